"""A SANA-Sprint release (guidance embedded, the SCM sampler, 2 steps; written by diffusers' SanaSprintPipeline.
save_pretrained with random weights) from the folder to served images: dcae export -> the gateway on the embedded
runtime, in front of a real Triton, and with the loop in Triton's generate model -> /v1/generate and
/v1/images/edits, equal to `dcae generate` (dcae.pipelines.sana.SanaPipeline, itself equal to diffusers'
SanaSprintPipeline and SanaSprintImg2ImgPipeline: tests/pipelines/test_sana.py) for the same seed."""

from __future__ import annotations

import base64
import io

import httpx
import numpy as np
import pytest
import torch
from PIL import Image

from dcae.contract.pixels import to_uint8
from support.releases import write_sana_release
from support.served import RUNTIMES, cpu_triton, gateway, images_of, png, repository_beside

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

BODY = {"prompt": "A small red cat on the sea", "n": 2, "seed": 5}  # the release's recipe: 2 steps, guidance 4.5
EDIT = {"prompt": "a green dog", "seed": 3, "steps": 4, "strength": 0.6}


@pytest.fixture(scope="module")
def sprint_release(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sprint") / "Sana_Sprint_tiny_diffusers"
    write_sana_release(directory, seed=13, scheduler="scm")
    return directory


@pytest.fixture(scope="module")
def sprint_repository(sprint_release):
    return repository_beside(sprint_release)


@pytest.fixture(scope="module")
def sprint_triton(triton_env, sprint_repository, sprint_release, tmp_path_factory):
    with cpu_triton(sprint_repository, sprint_release, tmp_path_factory.mktemp("triton")) as server:
        yield server


def start_image() -> np.ndarray:
    """64 x 64 (the release's native size): smooth colours, so that the autoencoder's latent carries them."""
    y, x = np.mgrid[0:64, 0:64] / 63.0
    return (np.stack([x, y, 1 - x * y], axis=-1) * 255).round().astype(np.uint8)


@pytest.fixture(scope="module")
def pytorch_images(sprint_release):
    from dcae.pipelines.sana import SanaPipeline

    pipe = SanaPipeline.from_pretrained(sprint_release)
    image = torch.from_numpy(start_image().transpose(2, 0, 1)[None].astype(np.float32) / 127.5 - 1)
    edit = {k: v for k, v in EDIT.items()}
    return (to_uint8(pipe(**BODY).numpy()), to_uint8(pipe(**edit, image=image).numpy()),
            to_uint8(pipe(**{**edit, "strength": 1.0}).numpy()))


def test_the_export_records_a_sprint_generator(sprint_repository):
    import onnx

    from dcae.contract.metadata import read_metadata

    gen = read_metadata((sprint_repository / "dit" / "config.pbtxt").read_text()).generator
    assert (gen.family, gen.embedded_guidance, gen.samplers, gen.default_sampler) == ("sana-sprint", True, ["scm"], "scm")
    assert (gen.default_steps, gen.default_guidance, gen.objective["kind"]) == (2, 4.5, "trigflow")
    graph = onnx.load(str(sprint_repository / "dit" / "1" / "model.onnx"), load_external_data=False).graph
    assert [i.name for i in graph.input] == ["latent", "timestep", "context", "context_mask", "guidance"]
    from export.wrappers import MAX_BATCH_DIT

    assert gen.max_images == MAX_BATCH_DIT  # one row per image: no unconditional half


@pytest.mark.parametrize("runtime", [*RUNTIMES, "torch"])
def test_a_sprint_release_is_served_as_dcae_generate_makes_it(request, gateways, runtime, pytorch_images):
    served = gateway(request, gateways, runtime, repository="sprint_repository", triton="sprint_triton")
    images = images_of(httpx.post(f"{served.url}/v1/generate", json=BODY, timeout=120))
    diff = np.abs(images.astype(int) - pytorch_images[0].astype(int))
    assert diff.max() <= 2 and diff.mean() < 0.05, (diff.max(), diff.mean())
    # image-to-image (SanaSprintImg2ImgPipeline's rule) through /v1/generate
    body = {**EDIT, "image": base64.b64encode(png(start_image())).decode()}
    edited = images_of(httpx.post(f"{served.url}/v1/generate", json=body, timeout=120))
    diff = np.abs(edited.astype(int) - pytorch_images[1].astype(int))
    assert diff.max() <= 2, diff.max()
    assert np.abs(edited.astype(int) - pytorch_images[2].astype(int)).mean() > 2  # the image reaches the result


def test_models_edits_and_refusals(request, gateways, pytorch_images):
    served = gateway(request, gateways, "embedded", repository="sprint_repository")
    models = httpx.get(f"{served.url}/v1/models").json()["data"]
    gen = next(m for m in models if m["kind"] == "generator")["details"]
    assert (gen["family"], gen["guidance"], gen["objective"], gen["samplers"]) == \
        ("sana-sprint", "embedded", "trigflow", ["scm"])
    # the OpenAI edits route, as /v1/generate with image + strength
    r = httpx.post(f"{served.url}/v1/images/edits", files={"image": ("start.png", png(start_image()), "image/png")},
                   data={"prompt": EDIT["prompt"], "seed": "3", "steps": "4", "strength": "0.6"}, timeout=120)
    assert r.status_code == 200, r.text
    edited = np.asarray(Image.open(io.BytesIO(base64.b64decode(r.json()["data"][0]["b64_json"]))))
    assert np.abs(edited.astype(int) - pytorch_images[1][0].astype(int)).max() <= 2
    r = httpx.post(f"{served.url}/v1/generate", json={**BODY, "negative_prompt": "blue sky"})
    assert r.status_code == 422 and "no negative prompt" in r.json()["error"]["message"]
    r = httpx.post(f"{served.url}/v1/generate", json={**BODY, "sampler": "euler"})
    assert r.status_code == 422 and "scm" in r.json()["error"]["message"]


@pytest.mark.openvino
def test_bfloat16_on_the_cpu_keeps_the_sprint_graph_close_to_float32(sprint_repository, tmp_path):
    """OpenVINO's bfloat16 (the gateway's default on CPUs with bf16 matrix instructions) on Sprint's transformer
    graph, with its guidance input and the timestep's and guidance's sinusoids kept in float32: finite, and within
    bfloat16's accuracy of ONNX Runtime's float32, at the SCM times of the 2-step recipe."""
    import onnx
    import onnxruntime as ort
    import openvino as ov

    from dcae.contract.cpu import compile_openvino, openvino_call

    rng = np.random.default_rng(0)
    mask = np.arange(300)[None].repeat(2, 0) < np.array([[7], [1]])
    feeds = {"latent": rng.standard_normal((2, 32, 2, 3)).astype(np.float32),
             "timestep": np.array([1.0, 0.78], np.float32),
             "context": rng.standard_normal((2, 300, 24)).astype(np.float32), "context_mask": mask,
             "guidance": np.array([4.5, 2.0], np.float32)}
    src = sprint_repository / "dit" / "1" / "model.onnx"
    ref = ort.InferenceSession(str(src)).run(None, feeds)[0]
    compiled, kept = compile_openvino(ov, src, "bfloat16", cache_dir=tmp_path,
                                      read_nodes=lambda: onnx.load(str(src), load_external_data=False).graph.node)
    got = openvino_call(compiled)(feeds)["model_output"]
    assert kept > 0 and np.isfinite(got).all()
    assert np.linalg.norm(got - ref) / np.linalg.norm(ref) < 0.02
