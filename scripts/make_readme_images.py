"""The README's pictures, made through a running gateway (make run): a held-out photograph and its
reconstruction, and generated samples (prompts x seeds).

    python scripts/make_readme_images.py http://127.0.0.1:8000 docs/images
"""

import base64
import io
import json
import sys
import urllib.request
from pathlib import Path

from PIL import Image, ImageDraw

PROMPTS = [  # training captions (dcae/assets/captions_wallpapers_train.json), shortened
    "Low-poly vector illustration of snow-capped blue mountains reflected in a still lake",
    "Black and white photograph of a wooden jetty with a ladder leading into flat water and thick grey fog",
    "Vector illustration of a pink and magenta fancy goldfish swimming across a deep blue and purple wavy background",
    "A golden autumn forest path covered in fallen leaves",
]
SEEDS = (0, 1, 2)


def post(url: str, body: bytes, content_type: str, accept: str = "*/*") -> bytes:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, "Accept": accept})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.read()


def main(base: str, out: str) -> None:
    out = Path(out)
    original = (out / "heldout.png").read_bytes()
    boundary = "dcaeboundary"
    form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + original + f"\r\n--{boundary}--\r\n".encode()
    latent = post(f"{base}/v1/encode", form, f"multipart/form-data; boundary={boundary}", "application/x-npy")
    recon = Image.open(io.BytesIO(post(f"{base}/v1/decode", latent, "application/x-npy")))
    pair = Image.new("RGB", (1024 + 8, 512), "white")
    pair.paste(Image.open(io.BytesIO(original)), (0, 0))
    pair.paste(recon, (512 + 8, 0))
    pair.resize((516, 256), Image.Resampling.LANCZOS).save(out / "reconstruction.png")

    tile, pad, label = 192, 4, 18
    grid = Image.new("RGB", (len(SEEDS) * (tile + pad) + pad, len(PROMPTS) * (tile + pad + label) + pad), "white")
    draw = ImageDraw.Draw(grid)
    for r, prompt in enumerate(PROMPTS):
        body = json.dumps({"prompt": prompt, "n": len(SEEDS), "seed": SEEDS[0]}).encode()
        data = json.loads(post(f"{base}/v1/generate", body, "application/json"))["data"]
        y = pad + r * (tile + pad + label)
        draw.text((pad, y), prompt[:70] + ("..." if len(prompt) > 70 else ""), fill="black")
        for c, item in enumerate(data):
            img = Image.open(io.BytesIO(base64.b64decode(item["b64_json"]))).resize((tile, tile), Image.Resampling.LANCZOS)
            grid.paste(img, (pad + c * (tile + pad), y + label))
    grid.save(out / "generated.png")
    print(f"wrote {out / 'reconstruction.png'} and {out / 'generated.png'}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
