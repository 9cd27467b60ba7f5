# The gateway image (service/): Python, ONNX Runtime, tritonclient and tokenizers; no torch, no
# training code, no weights. The model repository is mounted at /models (read-only): in Triton mode
# the gateway still reads the config.pbtxt metadata and the tokenizer from it.
#
#   docker build -t dcae-gateway .
#   docker run -p 8000:8000 -v "$PWD/model_repository:/models:ro" dcae-gateway      # embedded ONNX Runtime
#   docker run ... -e DCAE_RUNTIME=triton -e DCAE_TRITON_URLS=triton:8001 dcae-gateway  # Triton over gRPC
#
# BASE: the registry's Python image by default; `make compose-up` (deploy/local_stack.py) builds one offline
# from Debian's packages (debootstrap) and passes it here, so this one file builds both.
#
# tests/deploy/test_deploy.py parses this file, runs the files it copies with the pinned service
# requirements, and runs the HEALTHCHECK command against them.

ARG BASE=python:3.11.13-slim-bookworm
FROM ${BASE} AS build
RUN python -m venv /opt/venv
COPY requirements-service.txt /tmp/requirements-service.txt
RUN /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check -r /tmp/requirements-service.txt

FROM ${BASE}
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin dcae \
    && install -d -o 10001 -g 10001 /var/cache/dcae
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The gateway and the torch-free contract of the ML package (dcae/contract/: sampling, tiling, pixels,
# tokenisation, the repository's metadata).
COPY service/ /app/service/
COPY dcae/__init__.py /app/dcae/
COPY dcae/contract/ /app/dcae/contract/
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DCAE_MODEL_REPOSITORY=/models \
    DCAE_ENGINE_CACHE=/var/cache/dcae/openvino
# OpenVINO's compiled graphs (CPUs with bfloat16 matrix instructions): a volume mounted at /var/cache/dcae keeps
# them across restarts (docker-compose.yml's engine-cache); without one, on a read-only root, the gateway
# compiles at each start.
USER 10001:10001
EXPOSE 8000
# Healthy = ready: every model answers a real inference (GET /health/ready, cached for
# DCAE_READINESS_TTL_SECONDS). The first start may wait for Triton to load its models.
HEALTHCHECK --interval=15s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=8)"]
CMD ["python", "-m", "service", "--host", "0.0.0.0", "--port", "8000"]
