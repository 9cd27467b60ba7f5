"""A real Triton (the python-backend `tritonserver` of the nvidia-pytriton wheel) on 127.0.0.1 serving
the CPU model repository that `dcae export --cpu-python-backend` writes: encoder, decoder, dit,
text_encoder and generate over HTTP and gRPC through tritonclient, compared with the in-process
PyTorch results, then Triton's own metrics.

The server runs from its own environment (.venv-triton, `python -m export.triton_env setup`); the
client calls run there too (tests/support/triton_client.py), so this environment needs no tritonclient.
Skipped, saying why, where that environment cannot be made.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from dcae.checkpoint import load_pretrained
from dcae.checkpoint import load_generator
from dcae.contract.metadata import parse_metadata
from dcae.pipelines.latent_diffusion import LatentDiffusionPipeline
from dcae.data.tensors import to_uint8
from export.triton_env import TritonServer, parse_metrics, setup
from export import triton_config
from support.artifacts import checkpoints, config_summaries, cpu_repository, rel_err, workdir
from support.triton import run_client

PROMPT = "a watercolour painting of a lighthouse"


@pytest.fixture(scope="module")
def server(triton_env):  # triton_env: tests/conftest.py
    repo = cpu_repository()
    with TritonServer(repo, log_path=workdir() / "tritonserver.log") as s:  # stopped (process group) on exit
        yield s




def both(call: dict) -> list[dict]:
    return [{**call, "id": f"{call['id']}-{p}", "protocol": p} for p in ("http", "grpc")]


def test_networks_over_http_and_grpc_match_pytorch(server):
    ae = load_pretrained(checkpoints() / "ae")
    dit, _, _, _ = load_generator(checkpoints() / "gen_text")
    from dcae.models.text_encoder import load_text_encoder
    from dcae.contract.text_tokenize import tokenize

    text_encoder = load_text_encoder()
    g = torch.Generator().manual_seed(0)
    image_sq = torch.rand(2, 3, 64, 64, generator=g) * 2 - 1  # 2x2 latent: quadratic attention in PyTorch
    image_wide = torch.rand(1, 3, 256, 160, generator=g) * 2 - 1  # 8x5 latent: linear
    latent = torch.randn(3, 32, 4, 4, generator=g)
    timestep = torch.tensor([999.0, 400.0, 0.0])
    context = torch.randn(3, 32, 384, generator=g)
    mask = torch.zeros(3, 32, dtype=torch.bool)
    mask[:2, :6] = True  # row 2 unconditional: the null context
    ids, attention = tokenize([PROMPT, "a cat"], 32)
    arrays = {"image_sq": image_sq.numpy(), "image_wide": image_wide.numpy(), "latent": latent.numpy(),
              "timestep": timestep.numpy()[:, None],  # per-item scalars travel as (N, 1)
              "context": context.numpy(), "mask": mask.numpy(), "ids": ids, "attention": attention}
    with torch.no_grad():
        z_sq, z_wide = ae.encode(image_sq), ae.encode(image_wide)
        arrays["z_wide"] = z_wide.numpy()
        null = dit.text_embedder.null_context[None].expand(3, -1, -1)  # the learned "no prompt"
        null_mask = torch.ones(3, null.shape[1], dtype=torch.bool)
        any_real = mask.any(1)
        expected = {
            "enc-sq/latent": z_sq, "enc-wide/latent": z_wide, "dec-wide/image": ae.decode(z_wide),
            "dit/model_output": dit(latent, timestep, context=torch.where(any_real[:, None, None], context, null),
                                    context_mask=torch.where(any_real[:, None], mask, null_mask)),
        }
        tokens, pooled = text_encoder(torch.from_numpy(ids), torch.from_numpy(attention))
    calls = [
        *both({"id": "enc-sq", "model": "encoder", "inputs": {"image": {"array": "image_sq"}}, "outputs": ["latent"]}),
        *both({"id": "enc-wide", "model": "encoder", "inputs": {"image": {"array": "image_wide"}}, "outputs": ["latent"]}),
        *both({"id": "dec-wide", "model": "decoder", "inputs": {"latent": {"array": "z_wide"}}, "outputs": ["image"]}),
        *both({"id": "dit", "model": "dit", "outputs": ["model_output"],
               "inputs": {"latent": {"array": "latent"}, "timestep": {"array": "timestep"},
                          "context": {"array": "context"}, "context_mask": {"array": "mask"}}}),
        *both({"id": "te", "model": "text_encoder", "outputs": ["tokens", "pooled"],
               "inputs": {"input_ids": {"array": "ids"}, "attention_mask": {"array": "attention"}}}),
    ]
    out, extra = run_client(server, calls, arrays, configs=["encoder", "dit"])
    assert extra["errors"] == {}
    for protocol in ("http", "grpc"):
        for key, ref in expected.items():
            call, name = key.split("/")
            assert rel_err(out[f"{call}-{protocol}/{name}"], ref.numpy()) <= 1e-4, (key, protocol)
        real = attention.astype(bool)
        assert rel_err(out[f"te-{protocol}/tokens"][real], tokens.numpy()[real]) <= 1e-4
        assert rel_err(out[f"te-{protocol}/pooled"], pooled.numpy()) <= 1e-4
    # What the gateway reads in Triton mode: our metadata through get_model_config, both protocols.
    on_disk = triton_config.read_metadata(config_summaries(cpu_repository())["dit"])
    for protocol in ("http", "grpc"):
        meta = parse_metadata(extra["configs"][f"{protocol}/dit"]["parameters"]["dcae"]["string_value"])
        assert meta == on_disk and meta.generator.conditioning == "text"


def test_generate_matches_the_pytorch_pipeline_and_reports_errors(server):
    pipe = LatentDiffusionPipeline.from_pretrained(checkpoints() / "gen_text")
    cases = {  # id: (seed, steps, guidance, sampler or None, n)
        "euler": (7, 4, 4.0, None, 2),
        "dpm": (11, 3, 2.5, "dpmpp_2m", 1),
        "unguided": (5, 2, 1.0, "ddim", 1),
    }
    arrays, calls = {}, []
    for cid, (seed, steps, guidance, sampler, n) in cases.items():
        arrays.update({f"{cid}_seed": np.array([seed], np.int64), f"{cid}_steps": np.array([steps], np.int32),
                       f"{cid}_guidance": np.array([guidance], np.float32), f"{cid}_n": np.array([n], np.int32)})
        inputs = {"prompt": {"bytes": [PROMPT]}, "seed": {"array": f"{cid}_seed"}, "steps": {"array": f"{cid}_steps"},
                  "guidance": {"array": f"{cid}_guidance"}, "n": {"array": f"{cid}_n"}}
        if sampler:
            inputs["sampler"] = {"bytes": [sampler]}
        calls += both({"id": cid, "model": "generate", "inputs": inputs, "outputs": ["images"]})
    arrays["zero"] = np.array([0], np.int32)
    base = {"seed": {"array": "euler_seed"}, "steps": {"array": "euler_steps"}, "guidance": {"array": "euler_guidance"}}
    calls += both({"id": "no-prompt", "model": "generate", "inputs": {**base, "n": {"array": "euler_n"}},
                   "outputs": ["images"]})
    calls += both({"id": "zero-n", "model": "generate", "outputs": ["images"],
                   "inputs": {**base, "prompt": {"bytes": [PROMPT]}, "n": {"array": "zero"}}})
    calls += both({"id": "bad-sampler", "model": "generate", "outputs": ["images"],
                   "inputs": {**base, "prompt": {"bytes": [PROMPT]}, "n": {"array": "euler_n"},
                              "sampler": {"bytes": ["ddpm"]}}})  # ddpm ancestral on a flow model
    before = parse_metrics(server.metrics(), "nv_inference_request_success")
    out, extra = run_client(server, calls, arrays)

    for cid, (seed, steps, guidance, sampler, n) in cases.items():
        with torch.no_grad():
            images = pipe(prompt=PROMPT, n=n, seed=seed, steps=steps, guidance=guidance, sampler=sampler)
        expected = np.stack([to_uint8(x) for x in images])
        http, grpc = out[f"{cid}-http/images"], out[f"{cid}-grpc/images"]
        assert http.dtype == np.uint8 and http.shape == expected.shape == (n, 128, 128, 3)
        np.testing.assert_array_equal(http, grpc)  # same seed, same images, whichever protocol
        diff = np.abs(http.astype(int) - expected.astype(int))
        assert diff.max() <= 2 and diff.mean() < 0.05, (cid, diff.max(), diff.mean())  # ORT vs torch rounding
    assert not np.array_equal(out["euler-http/images"][0], out["euler-http/images"][1])  # seed + i per image
    errors = extra["errors"]
    for protocol in ("http", "grpc"):
        assert "give a prompt" in errors[f"no-prompt-{protocol}"]
        assert "n must be in [1, 16]" in errors[f"zero-n-{protocol}"]
        assert "ddpm sampler needs a ddpm model" in errors[f"bad-sampler-{protocol}"]

    # Triton's own metrics count what happened, the BLS calls inside generate included.
    text = server.metrics()
    success = parse_metrics(text, "nv_inference_request_success")
    failure = parse_metrics(text, "nv_inference_request_failure")
    gained = {m: success.get(m, 0) - before.get(m, 0) for m in success}
    # The python backend counts a request it answered with an error as a success (Triton 2.51):
    # all 12 generate requests appear in nv_inference_request_success and none in ..._failure, so
    # the gateway must count errors from the responses, not from these counters.
    assert gained["generate"] == 2 * (len(cases) + 3) and failure["generate"] == 0
    assert gained["dit"] == 2 * sum(steps for _, steps, *_ in cases.values())  # one dit request per step
    assert gained["decoder"] == 2 * len(cases)
    assert gained["text_encoder"] == 2 * (len(cases) + 1)  # the bad-sampler request encodes before failing
    assert gained["encoder"] == 0
    assert "nv_inference_queue_duration_us" in text and "nv_inference_compute_infer_duration_us" in text


def test_server_stops_cleanly(triton_env, tmp_path):
    """Start and stop a second server on other free ports: nothing is left running."""
    s = TritonServer(cpu_repository(), log_path=tmp_path / "log").start()
    pid = s.process.pid
    assert s.ready()
    s.stop()
    assert s.process.poll() is not None and not s.ready()
    with pytest.raises(ProcessLookupError):  # the server's process group (stubs included) is gone
        os.killpg(pid, 0)


@pytest.mark.slow
def test_class_conditional_generate(triton_env, tmp_path):
    """A class-conditional ddpm generator with learned sigma: its own CPU repository and server."""
    from export.repository import export_repository

    repo = tmp_path / "repo"
    export_repository(repo, generator=checkpoints() / "gen_class", cpu_python_backend=True, log=lambda *a: None)
    pipe = LatentDiffusionPipeline.from_pretrained(checkpoints() / "gen_class")
    arrays = {"seed": np.array([4], np.int64), "steps": np.array([5], np.int32), "g": np.array([3.0], np.float32),
              "n": np.array([2], np.int32), "label": np.array([7], np.int64), "bad": np.array([10], np.int64)}
    base = {"seed": {"array": "seed"}, "steps": {"array": "steps"}, "guidance": {"array": "g"}, "n": {"array": "n"}}
    calls = [*both({"id": "ddim", "model": "generate", "outputs": ["images"],
                    "inputs": {**base, "class_label": {"array": "label"}, "sampler": {"bytes": ["ddim"]}}}),
             *both({"id": "ddpm", "model": "generate", "outputs": ["images"],
                    "inputs": {**base, "class_label": {"array": "label"}, "sampler": {"bytes": ["ddpm"]}}}),
             *both({"id": "null-class", "model": "generate", "outputs": ["images"],
                    "inputs": {**base, "class_label": {"array": "bad"}}})]
    with TritonServer(repo, log_path=tmp_path / "log") as server:
        out, extra = run_client(server, calls, arrays)
    with torch.no_grad():
        expected = np.stack([to_uint8(x) for x in pipe(class_label=7, n=2, seed=4, steps=5, guidance=3.0, sampler="ddim")])
    diff = np.abs(out["ddim-http/images"].astype(int) - expected.astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05
    np.testing.assert_array_equal(out["ddpm-http/images"], out["ddpm-grpc/images"])  # ancestral noise from the seed
    assert "class_label must be in [0, 10)" in extra["errors"]["null-class-http"]


def test_environment_setup_is_idempotent_and_fast(triton_env, monkeypatch):

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"an up-to-date environment ran {args[0]}")

    monkeypatch.setattr(subprocess, "run", no_subprocess)  # `make test` calls it every time: no pip, no venv
    again = setup()
    assert again == triton_env
    assert again["numpy"].startswith("1.")  # the stub's numpy < 2
    assert Path(again["backend_directory"], "python", "triton_python_backend_stub").is_file()
