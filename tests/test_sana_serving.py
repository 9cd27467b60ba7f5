"""A SANA release (written by diffusers' SanaPipeline.save_pretrained, random weights) from the folder to served
images: dcae export -> the gateway in every runtime (embedded ONNX Runtime, PyTorch, Triton with the gateway's
loop, Triton's generate model) -> /v1/generate and the OpenAI route, each equal to `dcae generate`
(dcae.sana.SanaGenerator) for the same seed, at the native size and at another."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import pytest
from PIL import Image

from dcae.contract.pixels import to_uint8
from helpers import write_sana_release
from served import gateway, images_of

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PROMPT, NEGATIVE = "A small red cat on the sea", "blue sky"
REQUESTS = {  # name -> (request fields, SanaGenerator keyword arguments)
    "native": ({"prompt": PROMPT, "n": 2, "seed": 4, "steps": 3}, dict(prompt=PROMPT, n=2, seed=4, steps=3)),
    "wide, negative": ({"prompt": PROMPT, "negative_prompt": NEGATIVE, "seed": 7, "steps": 2, "width": 96,
                        "height": 64, "guidance": 3.0},
                       dict(prompt=PROMPT, negative_prompt=NEGATIVE, seed=7, steps=2, width=96, height=64,
                            guidance=3.0)),
}


@pytest.fixture(scope="module")
def sana_release(tmp_path_factory):
    root = tmp_path_factory.mktemp("sana")
    write_sana_release(root / "Sana_tiny_diffusers", seed=11)
    return root / "Sana_tiny_diffusers"


@pytest.fixture(scope="module")
def sana_repository(sana_release):
    """The GPU repository; the release lies beside it (DCAE_WEIGHTS for the torch runtime: the parent)."""
    from export.repository import export_repository

    export_repository(sana_release.parent / "repo", generator=sana_release, log=lambda *a: None)
    return sana_release.parent / "repo"


@pytest.fixture(scope="module")
def sana_triton(triton_env, sana_repository, sana_release, tmp_path_factory):
    from export.repository import export_repository
    from export.triton_env import TritonServer

    cpu = sana_repository.parent / "repo_cpu"
    export_repository(cpu, generator=sana_release, cpu_python_backend=True, reuse_onnx=sana_repository,
                      log=lambda *a: None)
    with TritonServer(cpu, log_path=tmp_path_factory.mktemp("triton") / "tritonserver.log") as server:
        yield server


@pytest.fixture(scope="module")
def pytorch_images(sana_release):
    """What `dcae generate` (the PyTorch pipeline) gives for REQUESTS."""
    from dcae.sana import SanaGenerator

    pipe = SanaGenerator.from_pretrained(sana_release)
    return {name: to_uint8(pipe(**kwargs).numpy()) for name, (_, kwargs) in REQUESTS.items()}


def test_the_export_records_the_release(sana_repository):
    from dcae.contract.metadata import read_metadata
    from dcae.contract.sana_prompt import COMPLEX_HUMAN_INSTRUCTION

    meta = read_metadata((sana_repository / "dit" / "config.pbtxt").read_text())
    gen, te = meta.generator, meta.text_encoder
    assert (gen.family, gen.conditioning, gen.image_size, gen.max_image_size) == ("sana", "text", 64, 128)
    assert (gen.default_sampler, gen.default_steps, gen.default_guidance) == ("dpmpp_2m", 20, 4.5)
    assert gen.objective["flow_shift"] == 3.0 and gen.text_len == 300
    assert te.prompting["instruction"] == list(COMPLEX_HUMAN_INSTRUCTION) and te.width == 24
    assert (sana_repository / "text_encoder" / "1" / "tokenizer.json").is_file()
    assert "dims: [ 32, -1, -1 ]" in (sana_repository / "dit" / "config.pbtxt").read_text()  # any latent size


@pytest.mark.parametrize("runtime", ["embedded", "torch", "triton", "triton-loop"])
def test_the_gateway_serves_sana_as_dcae_generate_does(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="sana_repository", triton="sana_triton")
    models = httpx.get(f"{served.url}/v1/models", timeout=30).json()["data"]
    gen = next(m for m in models if m["kind"] == "generator")["details"]
    assert (gen["family"], gen["default_steps"], gen["default_guidance"], gen["max_image_size"]) == \
        ("sana", 20, 4.5, 128)
    for name, (body, _) in REQUESTS.items():
        r = httpx.post(f"{served.url}/v1/generate", json=body, timeout=120)
        images = images_of(r)
        diff = np.abs(images.astype(int) - pytorch_images[name].astype(int))
        assert diff.max() <= 2 and diff.mean() < 0.05, (name, diff.max(), diff.mean())
    # OpenAI's size is WIDTHxHEIGHT
    r = httpx.post(f"{served.url}/v1/images/generations", timeout=120,
                   json={"prompt": PROMPT, "negative_prompt": NEGATIVE, "seed": 7, "steps": 2, "guidance": 3.0,
                         "size": "96x64"})
    assert r.status_code == 200 and r.json()["size"] == "96x64", r.text
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"]))).convert("RGB"))
    assert np.abs(image.astype(int) - pytorch_images["wide, negative"][0]).max() <= 2
    for body, message in (({"width": 50}, "multiples of 32 from 32 to 128"), ({"size": 160}, "from 32 to 128"),
                          ({"size": 64, "width": 64}, "not both")):
        r = httpx.post(f"{served.url}/v1/generate", json={"prompt": PROMPT, "steps": 1, **body}, timeout=30)
        assert r.status_code == 422 and message in r.json()["error"]["message"], r.text


def test_the_negative_prompt_reaches_the_image(request, gateways, pytorch_images):
    served = gateway(request, gateways, "embedded", repository="sana_repository")
    body = {**REQUESTS["wide, negative"][0], "negative_prompt": "a dog"}
    other = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    assert np.abs(other.astype(int) - pytorch_images["wide, negative"].astype(int)).max() > 10


def test_tritons_generate_model_takes_a_size(sana_triton, pytorch_images):
    """A Triton client calling the generate model directly: prompt, negative prompt, height and width."""
    from test_triton import run_client

    arrays = {"seed": np.array([7], np.int64), "steps": np.array([2], np.int32),
              "guidance": np.array([3.0], np.float32), "n": np.array([1], np.int32),
              "height": np.array([64], np.int32), "width": np.array([96], np.int32)}
    call = {"model": "generate", "outputs": ["images"],
            "inputs": {**{k: {"array": k} for k in arrays}, "prompt": {"bytes": [PROMPT]},
                       "negative_prompt": {"bytes": [NEGATIVE]}}}
    out, extra = run_client(sana_triton, [{**call, "id": "sana", "protocol": "grpc"}], arrays)
    assert not extra["errors"], extra["errors"]
    assert np.abs(out["sana/images"].astype(int) - pytorch_images["wide, negative"].astype(int)).max() <= 2
