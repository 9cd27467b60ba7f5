"""The clients people already use, against a live gateway over the tiny repository: the official `openai`
package (PyPI) unchanged, streaming, image-to-image and negative prompts in every runtime and in Triton's
generate model."""

from __future__ import annotations

import base64
import io
import json

import httpx
import numpy as np
import openai
import pytest
from PIL import Image

from support.served import RUNTIMES, count, free_port, gateway, images_of, npy, png
from support.gateway import ADMIN_KEY, Gateway, sha256, wait_until

PROMPT = "green hills under a blue sky"


def client(url: str, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=120)


def pixels(b64: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")).astype(int)


def start_image() -> bytes:
    rng = np.random.default_rng(4)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (80, 96, 3), dtype=np.uint8)).save(buf, "PNG")  # resized and cropped to 64
    return buf.getvalue()


@pytest.fixture(scope="module")
def embedded(request, gateways):
    return gateway(request, gateways, "embedded")


def test_the_openai_client_lists_models_and_generates(embedded):
    c = client(embedded.url)
    ids = [m.id for m in c.models.list()]
    assert ids[:2] == ["dc-ae-f32c32-tiny", "DiT-S/1"]
    args = dict(prompt=PROMPT, n=2, size="64x64", response_format="b64_json", extra_body={"seed": 11, "steps": 3})
    first, again = c.images.generate(**args), c.images.generate(model="DiT-S/1", **args)
    assert len(first.data) == 2 and first.output_format == "png" and first.size == "64x64"
    assert [d.b64_json for d in first.data] == [d.b64_json for d in again.data]  # same seed, same images
    assert not np.array_equal(pixels(first.data[0].b64_json), pixels(first.data[1].b64_json))
    ours = httpx.post(f"{embedded.url}/v1/generate", json={"prompt": PROMPT, "n": 2, "seed": 11, "steps": 3}).json()
    assert [d["b64_json"] for d in ours["data"]] == [d.b64_json for d in first.data]  # /v1/generate stays the same
    for fmt, magic in (("jpeg", b"\xff\xd8\xff"), ("webp", b"RIFF")):
        r = c.images.generate(prompt=PROMPT, output_format=fmt, output_compression=50, extra_body={"seed": 1, "steps": 2})
        assert base64.b64decode(r.data[0].b64_json).startswith(magic) and r.output_format == fmt
    r = c.images.generate(prompt=PROMPT, size="auto", quality="auto", moderation="low", user="u1",
                          extra_body={"seed": 1, "steps": 2})  # accepted and ignored, as documented
    assert len(r.data) == 1


@pytest.mark.parametrize("kwargs,param", [
    ({"size": "1024x1024"}, "size"), ({"response_format": "url"}, "response_format"), ({"quality": "high"}, "quality"),
    ({"background": "transparent"}, "background"), ({"style": "vivid"}, "style"), ({"n": 0}, "n"),
    ({"extra_body": {"bogus": 1}}, "bogus"), ({"extra_body": {"steps": 0}}, "steps"),
    ({"extra_body": {"sampler": "heun"}}, "sampler"), ({"partial_images": 4, "stream": True}, "partial_images"),
])
def test_bad_requests_are_the_clients_bad_request_errors(embedded, kwargs, param):
    with pytest.raises(openai.BadRequestError) as e:
        out = client(embedded.url).images.generate(prompt=PROMPT, **kwargs)
        list(out) if kwargs.get("stream") else None
    assert e.value.status_code == 400 and e.value.body["param"] == param and e.value.body["type"] == "invalid_request_error"


def test_authentication_rate_limits_and_unavailability_are_the_clients_errors(tiny_repository, tmp_path):
    keys = f"admin:{sha256(ADMIN_KEY)}:*,once:{sha256('once-key-1')}:generate:1"
    g = Gateway({"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_API_KEYS": keys}, tmp_path / "keyed.log").start()
    try:
        with pytest.raises(openai.AuthenticationError):
            client(g.url, "wrong-key").images.generate(prompt=PROMPT)
        assert client(g.url, ADMIN_KEY).images.generate(prompt=PROMPT, extra_body={"steps": 1}).data
        limited = client(g.url, "once-key-1")
        limited.images.generate(prompt=PROMPT, extra_body={"steps": 1})
        with pytest.raises(openai.RateLimitError):
            limited.images.generate(prompt=PROMPT, extra_body={"steps": 1})
    finally:
        g.stop()
    down = Gateway({"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_RUNTIME": "triton",
                    "DCAE_TRITON_URLS": f"127.0.0.1:{free_port()}"}, tmp_path / "down.log").start()
    try:
        with pytest.raises(openai.InternalServerError) as e:
            client(down.url).images.generate(prompt=PROMPT, extra_body={"steps": 1})
        assert e.value.status_code == 503
    finally:
        down.stop()


def test_streaming_gives_previews_then_the_same_images(embedded):
    c = client(embedded.url)
    plain = c.images.generate(prompt=PROMPT, n=2, extra_body={"seed": 5, "steps": 4})
    before = embedded_metric(embedded, 'dcae_streamed_requests_total{kind="image_generation"}')
    events = list(c.images.generate(prompt=PROMPT, n=2, stream=True, partial_images=2, extra_body={"seed": 5, "steps": 4}))
    kinds = [e.type for e in events]
    assert kinds.count("image_generation.partial_image") == 4 and kinds.count("image_generation.completed") == 2
    assert kinds[-2:] == ["image_generation.completed"] * 2 and "image_generation.progress" not in kinds
    assert sorted({e.partial_image_index for e in events if e.type.endswith("partial_image")}) == [0, 1]
    completed = [e for e in events if e.type == "image_generation.completed"]
    assert [e.b64_json for e in completed] == [d.b64_json for d in plain.data]
    previews = [e for e in events if e.type.endswith("partial_image") and e.model_extra["image_index"] == 0]
    assert not np.array_equal(pixels(previews[0].b64_json), pixels(completed[0].b64_json))
    assert embedded_metric(embedded, 'dcae_streamed_requests_total{kind="image_generation"}') == before + 1
    # Progress events on request (ours), and always on /v1/generate's stream.
    with_progress = list(c.images.generate(prompt=PROMPT, stream=True, extra_body={"seed": 5, "steps": 4, "progress": True}))
    assert [e.model_extra["step"] for e in with_progress if e.type == "image_generation.progress"] == [1, 2, 3, 4]
    lines = httpx.post(f"{embedded.url}/v1/generate", json={"prompt": PROMPT, "seed": 5, "steps": 4, "stream": True},
                       timeout=60).text.splitlines()
    data = [json.loads(line[5:]) for line in lines if line.startswith("data:")]
    assert [d["type"] for d in data] == ["image_generation.progress"] * 4 + ["image_generation.completed"]
    assert (data[1]["step"], data[1]["steps"]) == (2, 4)


def embedded_metric(served, prefix: str) -> float:
    return count(httpx.get(f"{served.url}/metrics").text, prefix)


def test_a_client_leaving_a_stream_cancels_the_generation(tiny_repository, tmp_path):
    g = Gateway({"DCAE_MODEL_REPOSITORY": str(tiny_repository), "DCAE_MAX_STEPS": "100000"}, tmp_path / "g.log").start()
    try:
        cancelled = 'dcae_requests_cancelled_total{reason="client_disconnected"}'
        steps = 'dcae_stage_duration_seconds_count{stage="denoise_step"}'
        with httpx.stream("POST", f"{g.url}/v1/generate", timeout=60,
                          json={"prompt": PROMPT, "steps": 100000, "stream": True}) as r:
            assert r.status_code == 200
            assert next(r.iter_lines()).startswith("event: image_generation.progress")  # the loop runs
        wait_until(lambda: g.metric(cancelled) >= 1, 20, "the departure noticed")
        ran = g.metric(steps)
        wait_until(lambda: g.metric(steps) == ran, 5, "the loop stopped")
        assert ran < 100000 and g.metric(steps) - ran <= 1
    finally:
        g.stop()


def test_edits_run_image_to_image(embedded):
    c = client(embedded.url)
    image = start_image()

    def edit(strength: float, **extra) -> np.ndarray:
        r = c.images.edit(image=("start.png", image, "image/png"), prompt=PROMPT,
                          extra_body={"seed": 9, "steps": 4, "strength": strength, **extra})
        return pixels(r.data[0].b64_json)

    # Strength 0: the autoencoder's reconstruction of the image, resized and cropped to the model's 64 px.
    from dcae.contract.pixels import fit_square

    fitted = fit_square(np.asarray(Image.open(io.BytesIO(image)).convert("RGB")), 64)
    z = httpx.post(f"{embedded.url}/v1/encode", files={"image": ("f.png", png(fitted))},
                   headers={"Accept": "application/x-npy"}).content
    recon = np.asarray(Image.open(io.BytesIO(httpx.post(f"{embedded.url}/v1/decode", content=z, headers={
        "Content-Type": "application/x-npy"}).content))).astype(int)
    assert np.abs(edit(0.0) - recon).max() <= 2
    plain = pixels(c.images.generate(prompt=PROMPT, extra_body={"seed": 9, "steps": 4}).data[0].b64_json)
    assert np.array_equal(edit(1.0), plain)  # strength 1: plain generation for the same seed
    half = edit(0.5)
    assert np.abs(half - plain).mean() > 2 and np.abs(half - recon).mean() > 2
    with pytest.raises(openai.BadRequestError):
        c.images.edit(image=("x.png", b"not an image", "image/png"), prompt=PROMPT)
    with pytest.raises(openai.BadRequestError):
        c.images.edit(image=("s.png", image, "image/png"), prompt=PROMPT, mask=("m.png", image, "image/png"))
    stream = list(c.images.edit(image=("start.png", image, "image/png"), prompt=PROMPT, stream=True, partial_images=1,
                                extra_body={"seed": 9, "steps": 4, "strength": 0.5}))
    assert [e.type for e in stream] == ["image_edit.partial_image", "image_edit.completed"]
    assert np.array_equal(pixels(stream[-1].b64_json), half)


REQUESTS = [{"prompt": PROMPT, "seed": 3, "steps": 4, "negative_prompt": "fog and darkness"},
            {"prompt": PROMPT, "seed": 3, "steps": 4, "image": base64.b64encode(start_image()).decode(), "strength": 0.6},
            {"prompt": PROMPT, "seed": 3, "steps": 4}]


@pytest.fixture(scope="module")
def embedded_images(embedded) -> list[np.ndarray]:
    return [images_of(httpx.post(f"{embedded.url}/v1/generate", json=r, timeout=60)) for r in REQUESTS]


def test_negative_prompts_change_the_image(embedded_images):
    negative, _, plain = embedded_images
    assert np.abs(negative.astype(int) - plain.astype(int)).mean() > 2


@pytest.mark.parametrize("runtime", [r for r in RUNTIMES if r != "embedded"])
def test_every_runtime_and_tritons_generate_model_agree_on_negative_prompts_and_img2img(request, gateways, runtime,
                                                                                       embedded_images):
    served = gateway(request, gateways, runtime)
    for req, expected in zip(REQUESTS, embedded_images):
        got = images_of(httpx.post(f"{served.url}/v1/generate", json=req, timeout=120))
        diff = np.abs(got.astype(int) - expected.astype(int))
        assert diff.max() <= 2 and diff.mean() < 0.05, (runtime, req.keys(), diff.max(), diff.mean())


def test_new_fields_refuse_bad_input_in_the_error_shape(embedded):
    url = f"{embedded.url}/v1/generate"
    for body, field in (({"prompt": PROMPT, "strength": 1.5, "image": ""}, "strength"),
                        ({"prompt": PROMPT, "image": "%%%"}, "image"),
                        ({"prompt": PROMPT, "partial_images": 9, "stream": True}, "partial_images"),
                        ({"prompt": PROMPT, "stream": True, "response_format": "png"}, "response_format")):
        r = httpx.post(url, json=body)
        assert r.status_code == 422 and r.json()["error"]["field"] == field, (body, r.text)
    r = httpx.post(url, json={"prompt": PROMPT, "image": base64.b64encode(b"nope").decode()})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_image"
    r = httpx.post(f"{embedded.url}/v1/images/edits", data={"prompt": PROMPT, "n": "two"},
                   files={"image": ("s.png", start_image())})
    assert r.status_code == 400 and r.json()["error"]["param"] == "n"
    r = httpx.post(f"{embedded.url}/v1/decode", content=npy(np.zeros((1, 32, 1, 1), np.float32)),
                   headers={"Content-Type": "application/x-npy"})
    assert r.status_code == 200  # our routes keep their own shape
