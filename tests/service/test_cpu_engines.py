"""The CPU's engines: which one `auto` picks, refusals of settings that cannot run, and the accuracy gates of
OpenVINO's bfloat16 (float32 kept in norms, attention cores and timestep sinusoids) against ONNX Runtime's
float32 on the same graphs: the shipped models' held-out photograph, their generated images, the tiny
SANA's linear attention and Gemma-2. Speed is measured by the benchmark (`make bench`), not here."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from dcae.contract.cpu import bf16_matrix, choose_engine, cpu_flags
from support.served import free_port, images_of, start_server

pytestmark = pytest.mark.openvino  # `make test` runs this module in a pytest process of its own
ROOT = Path(__file__).resolve().parents[2]
REPO = ROOT / "model_repository"
HELDOUT = ROOT / "docs" / "images" / "heldout.png"  # a mate-backgrounds photograph: never trained on
AMX = "fpu sse4_2 avx2 avx512f amx_tile amx_bf16 amx_int8"
NO_BF16 = "fpu sse4_2 avx2 avx512f avx512_vnni"  # a Cascade Lake: VNNI, no bfloat16
BF16_CPU = bf16_matrix(cpu_flags())
needs_bf16 = pytest.mark.skipif(not BF16_CPU, reason="this CPU has no bfloat16 matrix instructions")
needs_repo = pytest.mark.skipif(not (REPO / "encoder" / "config.pbtxt").is_file(),
                                reason="model_repository/ not exported: run `make model-repository`")


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255.0**2 / np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)))


def pixels(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round((x + 1) * 127.5), 0, 255)


# -- choosing the engine

@pytest.mark.parametrize("flags, engine, precision", [
    (AMX, "openvino", "bfloat16"),
    ("fpu avx512f avx512_bf16", "openvino", "bfloat16"),  # Cooper Lake, Zen 4: AVX512-BF16 without AMX
    (NO_BF16, "onnxruntime", "float32"),
    ("", "onnxruntime", "float32"),  # nothing known (not Linux): the portable engine
])
def test_auto_picks_openvino_in_bfloat16_only_where_the_cpu_multiplies_bfloat16(flags, engine, precision):
    choice = choose_engine("auto", "auto", flags.split(), openvino_available=True)
    assert (choice.engine, choice.precision, choice.float_precision) == (engine, precision, precision)


def test_explicit_choices_are_kept():
    assert choose_engine("onnxruntime", "auto", AMX.split(), True)[:2] == ("onnxruntime", "float32")
    assert choose_engine("openvino", "auto", NO_BF16.split(), True)[:2] == ("openvino", "float32")
    assert choose_engine("openvino", "float32", AMX.split(), True)[:3] == ("openvino", "float32", "float32")
    assert choose_engine("auto", "float32", AMX.split(), True)[:2] == ("onnxruntime", "float32")
    # int8: the autoencoder's int8 graphs; OpenVINO where it runs the other networks in bfloat16
    assert choose_engine("auto", "int8", AMX.split(), True)[:3] == ("openvino", "int8", "bfloat16")
    assert choose_engine("auto", "int8", NO_BF16.split(), True)[:3] == ("onnxruntime", "int8", "float32")
    # auto without the package: the portable engine, said why
    choice = choose_engine("auto", "auto", AMX.split(), openvino_available=False)
    assert (choice.engine, choice.precision) == ("onnxruntime", "float32") and "openvino" in choice.reason


@pytest.mark.parametrize("engine, precision, flags, available, named", [
    ("tensorrt", "auto", AMX, True, "DCAE_ENGINE='tensorrt'"),
    ("auto", "fp8", AMX, True, "DCAE_PRECISION='fp8'"),
    ("openvino", "auto", AMX, False, "`openvino`"),
    ("onnxruntime", "bfloat16", AMX, True, "DCAE_PRECISION=bfloat16 with DCAE_ENGINE=onnxruntime"),
    ("auto", "bfloat16", NO_BF16, True, "no bfloat16 matrix instructions"),
    ("auto", "bfloat16", AMX, False, "`openvino`"),
])
def test_settings_that_cannot_run_are_refused_naming_the_setting_or_package(engine, precision, flags, available, named):
    with pytest.raises(ValueError, match=named.replace("(", r"\(").replace(")", r"\)")):
        choose_engine(engine, precision, flags.split(), available)


def run_gateway(env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m service` expected to stop during start-up: its exit and output."""
    return subprocess.run([sys.executable, "-m", "service", "--host", "127.0.0.1", "--port", str(free_port())],
                          env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@needs_repo
def test_bad_engine_settings_stop_start_up_with_a_message(tmp_path):
    unknown = run_gateway({"DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_ENGINE": "tensorrt"})
    assert unknown.returncode != 0 and "engine" in unknown.stdout + unknown.stderr
    # OpenVINO chosen but not installed: a stand-in package that fails to import, as a missing one does
    fake = tmp_path / "openvino"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('No module named openvino')\n")
    missing = run_gateway({"DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_ENGINE": "openvino",
                           "PYTHONPATH": str(tmp_path)})
    output = missing.stdout + missing.stderr
    assert missing.returncode != 0 and "DCAE_ENGINE=openvino" in output and "`openvino` is not installed" in output


def models_of(env: dict) -> dict:
    port = free_port()
    proc = start_server({**os.environ, "DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_ORT_THREADS": "1", **env}, port)
    try:
        return httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=30).json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@needs_repo
def test_v1_models_reports_the_engine_and_precision_as_loaded(tmp_path):
    """On a simulated CPU without bfloat16, auto falls back to ONNX Runtime; on one with AMX, OpenVINO runs
    bfloat16 (on a real CPU without it, OpenVINO's CPU plugin would compute float32: the flags only steer
    the choice). Compiled graphs go to DCAE_ENGINE_CACHE."""
    fallback = models_of({"DCAE_ENGINE": "auto", "DCAE_CPU_FLAGS": NO_BF16})
    assert (fallback["engine"], fallback["precision"]) == ("onnxruntime", "float32")
    loaded = {m["kind"]: m["details"]["loaded"] for m in fallback["data"]}
    assert loaded["autoencoder"]["decoder"] == {"graph": "decoder/1/model.onnx", "engine": "onnxruntime",
                                                "precision": "float32"}
    cache = tmp_path / "cache"
    fast = models_of({"DCAE_ENGINE": "auto", "DCAE_CPU_FLAGS": AMX, "DCAE_ENGINE_CACHE": str(cache)})
    assert (fast["engine"], fast["precision"]) == ("openvino", "bfloat16")
    loaded = {m["kind"]: m["details"]["loaded"] for m in fast["data"]}
    for entry in (*loaded["autoencoder"].values(), loaded["generator"], loaded["text_encoder"]):
        assert entry["engine"] == "openvino" and entry["precision"] == "bfloat16"
        assert entry["float32_layers"] > 0  # norms, attention cores, sinusoids
    assert len(list((cache / "ir").iterdir())) == 4 and any((cache / "blobs").iterdir())
    int8 = models_of({"DCAE_ENGINE": "auto", "DCAE_CPU_FLAGS": AMX, "DCAE_ENGINE_CACHE": str(cache),
                      "DCAE_PRECISION": "int8"})
    loaded = {m["kind"]: m["details"]["loaded"] for m in int8["data"]}
    assert (int8["engine"], int8["precision"]) == ("openvino", "int8")
    encoder = loaded["autoencoder"]["encoder"]
    assert (encoder["graph"], encoder["engine"], encoder["precision"]) == ("encoder/1/model.int8.onnx", "openvino", "int8")
    assert loaded["generator"]["precision"] == "bfloat16"


# -- the accuracy gates

@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """network -> (ONNX Runtime float32, OpenVINO bfloat16) calls over the shipped repository's graphs."""
    from service.runtimes.embedded import create_openvino, create_session, session_runner
    from service.settings import Settings

    settings = Settings(engine_cache=tmp_path_factory.mktemp("openvino"), ort_threads=0)
    calls = {}
    for name in ("encoder", "decoder", "dit"):
        path = REPO / name / "1" / "model.onnx"
        calls[name] = (session_runner(create_session(path, settings)), create_openvino(path, "bfloat16", settings)[0])
    return calls


def heldout() -> np.ndarray:
    image = np.asarray(Image.open(HELDOUT).convert("RGB"), np.float32)
    return np.ascontiguousarray((image / 127.5 - 1).transpose(2, 0, 1)[None])


@needs_bf16
@needs_repo
def test_bfloat16_decodes_the_heldout_photograph_within_45_db_of_float32(engines):
    """Measured on this project's CPU (AVX512-BF16): decoder 55.9 dB from float32, round trip 55.0 dB; the
    encoder's latent 0.48 % (relative L2) from float32's."""
    (enc32, enc16), (dec32, dec16) = engines["encoder"], engines["decoder"]
    x = heldout()
    z32, z16 = enc32({"image": x})["latent"], enc16({"image": x})["latent"]
    assert np.linalg.norm(z16 - z32) / np.linalg.norm(z32) < 0.01
    y32 = pixels(dec32({"latent": z32})["image"])
    assert psnr(pixels(dec16({"latent": z32})["image"]), y32) >= 45
    assert psnr(pixels(dec16({"latent": z16})["image"]), y32) >= 45  # the whole round trip in bfloat16
    original = np.round((x + 1) * 127.5)
    assert psnr(pixels(dec16({"latent": z16})["image"]), original) >= psnr(y32, original) - 0.05


@needs_bf16
@needs_repo
def test_bfloat16_dit_step_stays_close_at_every_timestep(engines):
    """The DiT step at t = 0, 500 and 999 (the sinusoid's argument is largest at 999) within 2 % of float32."""
    dit32, dit16 = engines["dit"]
    rng = np.random.default_rng(0)
    mask = np.zeros((2, 32), bool)
    mask[:, :5] = True
    for t in (0.0, 500.0, 999.0):
        inputs = {"latent": rng.standard_normal((2, 32, 16, 16), np.float32), "timestep": np.full(2, t, np.float32),
                  "context": rng.standard_normal((2, 32, 384), np.float32), "context_mask": mask}
        a, b = dit32(inputs)["model_output"], dit16(inputs)["model_output"]
        assert np.linalg.norm(b - a) / np.linalg.norm(a) < 0.02, t


def test_the_timestep_sinusoid_stays_float32_in_bfloat16(tmp_path):
    """DiT's TimestepEmbedder alone, exported as the repository exports: t = 500 x frequency has a bfloat16 step
    of 2 radians, so computed in bfloat16 its sinusoid is noise. With the float32 regions marked it matches
    float32 to bfloat16's precision; unmarked (OpenVINO's own choice), it does not."""
    import onnx
    import openvino as ov
    import torch

    from dcae.contract.cpu import compile_openvino, openvino_call
    from dcae.models.dit import TimestepEmbedder

    module = TimestepEmbedder(256).eval()
    path = tmp_path / "t.onnx"
    torch.onnx.export(module, (torch.zeros(4),), str(path), input_names=["timestep"], output_names=["emb"],
                      dynamic_shapes=({0: torch.export.Dim("N")},), dynamo=True, verbose=False)
    t = np.array([0, 250, 500, 999], np.float32)
    with torch.no_grad():
        expected = module(torch.from_numpy(t)).numpy()
    marked, count = compile_openvino(ov, path, "bfloat16", read_nodes=lambda: onnx.load(str(path)).graph.node)
    unmarked, _ = compile_openvino(ov, path, "bfloat16")
    error = {name: np.linalg.norm(openvino_call(c)({"timestep": t})["emb"] - expected) / np.linalg.norm(expected)
             for name, c in (("marked", marked), ("unmarked", unmarked))}
    print("relative L2 from float32:", error)
    assert count > 0
    assert error["marked"] < 0.01, error
    if BF16_CPU:  # elsewhere OpenVINO computes float32 whatever the hint
        assert error["unmarked"] > 5 * error["marked"], error


@needs_bf16
@needs_repo
def test_generated_images_in_bfloat16_stay_close_to_float32():
    """The same seed through two gateways, ONNX Runtime float32 and OpenVINO bfloat16: measured 0.46 levels
    apart on average and 3 at most, 51.3 dB PSNR (the gates: 3 levels on average, 30 dB)."""
    images = {}
    for engine, precision in (("onnxruntime", "float32"), ("openvino", "bfloat16")):
        port = free_port()
        proc = start_server({**os.environ, "DCAE_MODEL_REPOSITORY": str(REPO), "DCAE_ENGINE": engine,
                             "DCAE_PRECISION": precision}, port)
        try:
            images[engine] = images_of(httpx.post(f"http://127.0.0.1:{port}/v1/generate", timeout=300, json={
                "prompt": "a mountain lake at dawn", "seed": 3, "n": 2, "steps": 10}))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    a, b = images["onnxruntime"].astype(float), images["openvino"].astype(float)
    assert a.shape == b.shape
    diff = np.abs(a - b)
    print(f"bfloat16 vs float32: mean {diff.mean():.2f} levels, max {diff.max():.0f}, PSNR {psnr(a, b):.1f} dB")
    assert diff.mean() < 3 and psnr(a, b) >= 30


@needs_bf16
@needs_repo
def test_the_cpu_triton_repository_serves_through_openvino(triton_env, tmp_path, monkeypatch, engines):
    """Triton's python-backend models pick OpenVINO by the gateway's rule (their config says engine auto): the
    held-out photograph's round trip through the gateway's Triton runtime lands within 45 dB of float32."""
    from export.repository import export_repository
    from export.triton_env import TritonServer
    from support.served import triton_gateway_env

    cpu = tmp_path / "repo_cpu"
    export_repository(cpu, generator=ROOT / "weights" / "dit-mini-wallpapers", cpu_python_backend=True, reuse_onnx=REPO,
                      log=lambda *a: None)
    assert 'parameters { key: "engine" value { string_value: "auto" } }' in (cpu / "decoder" / "config.pbtxt").read_text()
    monkeypatch.setenv("DCAE_ENGINE", "auto")  # tritonserver's environment: the configs' own choice
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with TritonServer(cpu, log_path=tmp_path / "tritonserver.log") as triton:
        log = (tmp_path / "tritonserver.log").read_text()
        for name in ("encoder", "decoder", "dit", "text_encoder"):
            assert f"{name}: openvino bfloat16" in log, log[-3000:]
        port = free_port()
        proc = start_server({**os.environ, **triton_gateway_env(triton)}, port)
        try:
            url = f"http://127.0.0.1:{port}"
            latent = httpx.post(f"{url}/v1/encode", files={"image": ("p.png", HELDOUT.read_bytes())},
                                headers={"Accept": "application/x-npy"}, timeout=120)
            assert latent.status_code == 200, latent.text
            back = httpx.post(f"{url}/v1/decode", content=latent.content,
                              headers={"Content-Type": "application/x-npy"}, timeout=120)
            served = np.asarray(Image.open(io.BytesIO(back.content)).convert("RGB"), np.float64)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    (enc32, _), (dec32, _) = engines["encoder"], engines["decoder"]
    expected = pixels(dec32({"latent": enc32({"image": heldout()})["latent"]})["image"])[0].transpose(1, 2, 0)
    assert psnr(served, expected) >= 45


# -- the PyTorch paths

@needs_bf16
def test_pytorch_paths_in_bfloat16_keep_the_images(tmp_path):
    """`dcae decode` and `dcae generate` with bfloat16 autocast (their default on this CPU) against --precision
    float32: measured 57.0 dB on the held-out photograph's latent, and generated images 0.25 levels apart on
    average (3 at most, 54 dB)."""
    from dcae.cli import main

    assert main(["encode", str(HELDOUT), "--model", str(ROOT / "weights" / "dc-ae-f32c32-small"),
                 "-o", str(tmp_path / "z.npy"), "--precision", "float32"]) == 0
    for precision in ("float32", "bfloat16"):
        assert main(["decode", str(tmp_path / "z.npy"), "--model", str(ROOT / "weights" / "dc-ae-f32c32-small"),
                     "-o", str(tmp_path / f"d_{precision}.png"), "--precision", precision]) == 0
        assert main(["generate", "--prompt", "a mountain lake at dawn", "--seed", "3", "-n", "2", "--steps", "6",
                     "-o", str(tmp_path / f"g_{precision}.png"), "--precision", precision]) == 0
    image = {p: np.asarray(Image.open(tmp_path / f"d_{p}.png"), np.float64) for p in ("float32", "bfloat16")}
    assert psnr(image["bfloat16"], image["float32"]) >= 45
    for i in (0, 1):
        a, b = (np.asarray(Image.open(tmp_path / f"g_{p}_{i}.png"), np.float64) for p in ("float32", "bfloat16"))
        assert np.abs(a - b).mean() < 1 and psnr(a, b) >= 40


def test_dcae_torch_precision_opts_out(monkeypatch):
    from dcae.pipelines.autoencoder import compute_precision

    monkeypatch.setenv("DCAE_TORCH_PRECISION", "float32")
    assert compute_precision("cpu") == "float32"
    assert compute_precision("cpu", "bfloat16") == "bfloat16"  # an explicit choice wins
    monkeypatch.setenv("DCAE_TORCH_PRECISION", "bfloat16")
    assert compute_precision("cpu") == "bfloat16"
    monkeypatch.setenv("DCAE_TORCH_PRECISION", "fp8")
    with pytest.raises(ValueError, match="DCAE_TORCH_PRECISION"):
        compute_precision("cpu")
