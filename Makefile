# The two commands a new user runs: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REPO   := model_repository
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-slow test-compose compose-up compose-down bench bench-quick model-repository triton-env deploy-tools compose-tools mutation clean

$(STAMP): requirements.txt requirements-service.txt requirements-dev.txt requirements-nodeps.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The Triton server's own environment (numpy<2), for the tests that start a real Triton.
triton-env: $(STAMP)
	$(BIN)/python -m export.triton_env setup

# Debian tools the deployment tests use: a real Prometheus (evaluates every dashboard query) and
# docker-compose (validates docker-compose.yml; no Docker engine needed). Installs only what is missing.
deploy-tools:
	@command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v docker-compose >/dev/null && \
	  command -v chromium >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      prometheus docker-compose chromium >/dev/null; }

# The shipped models (weights/) exported to ONNX + Triton configs, with int8 autoencoder graphs for
# DCAE_PRECISION=int8 (calibrated on weights/dc-ae-f32c32-small/calibration/); skipped when up to date (with the
# weights, and with the model and export code the graphs are traced from).
$(REPO)/encoder/config.pbtxt: $(STAMP) $(wildcard weights/*/model.safetensors weights/*/config.json) \
                              $(wildcard weights/*/calibration/*) $(wildcard dcae/models/*.py dcae/contract/*.py export/*.py export/backends/*.py)
	$(BIN)/dcae export --generator weights/dit-mini-wallpapers --int8 -o $(REPO)

model-repository: $(REPO)/encoder/config.pbtxt

# Serve the shipped models on http://$(HOST):$(PORT) (embedded: OpenVINO bfloat16 on CPUs with AMX or AVX512-BF16,
# else ONNX Runtime; no GPU, no Triton).
run: model-repository
	DCAE_MODEL_REPOSITORY=$(REPO) $(BIN)/python -m service --host $(HOST) --port $(PORT)

# pytest exits 5 when no test ran, which fails this target (and CI) as it should. The tests that run OpenVINO in
# the test process (marker `openvino`) run in a pytest process of their own: with them in it, the long suite's
# process crashed later on (SIGSEGV inside CPython's allocator, at two different tests: a corrupt heap) in 3 of 3
# full runs here; without them it passed.
test: $(STAMP) triton-env model-repository deploy-tools
	$(BIN)/python -m pytest -m "not slow and not openvino" -q
	$(BIN)/python -m pytest -m "openvino and not slow" -q

test-slow: $(STAMP) triton-env deploy-tools
	$(BIN)/python -m pytest -m slow -q

# The CPU stack in containers on this machine (deploy/compose/local.yml): two gateways (embedded on :8000, Triton
# mode on :8010), a CPU Triton and Prometheus (:9090), on the host's network and 127.0.0.1 only. Images built
# offline from Debian's packages and the project's Dockerfiles (deploy/local_stack.py; 15-20 minutes the first
# time), a Docker daemon of its own when none runs (as root). compose-down stops it all.
compose-tools:
	@command -v dockerd >/dev/null && command -v debootstrap >/dev/null && command -v docker-compose >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      docker.io debootstrap docker-compose >/dev/null; }

compose-up: $(STAMP) model-repository compose-tools
	$(BIN)/python deploy/local_stack.py up

compose-down:
	$(BIN)/python deploy/local_stack.py down

# The compose stack's tests (slow tier): requests through both gateways, Prometheus, a killed Triton, the
# containers' confinement, and `down`.
test-compose: $(STAMP) triton-env model-repository compose-tools
	$(BIN)/python -m pytest -m slow -q tests/deploy/test_compose_stack.py

# CPU benchmarks -> bench/results/*.json and docs/BENCHMARKS.md (not part of `make test`). Run on a
# quiet machine: 1-2 hours on 2 cores. bench-quick: the same suite shrunk, in about 20 minutes.
bench: $(STAMP) model-repository
	$(BIN)/python -m bench

bench-quick: $(STAMP) model-repository
	$(BIN)/python -m bench --quick

# Mutation testing (mutmut 3, scripts/mutation.py, [tool.mutmut] in pyproject.toml) of the torch-free
# contract and the gateway's keys and generation loop; the surviving mutants go to mutation-report.txt.
# Not part of `make test`: about an hour on 2 cores. `scripts/mutation.py all` adds the request handling.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/python scripts/mutation.py
	$(BIN)/python scripts/mutation.py report | tee mutation-report.txt

clean:
	rm -rf $(VENV) $(VENV)-triton .pytest_cache mutants
