"""Make a compact copy of the training corpus for a remote GPU machine (whose uploads are size-capped
and which has no text encoder installed): short side scaled to at most 1280 px, JPEG q92, plus the
captions re-keyed to the new file names and their text-encoder tokens pre-computed.

    python scripts/prepare_gpu_data.py data/wallpapers dcae/assets/captions_wallpapers_train.json data/gpu

The held-out `eval/` images are copied the same way (for the ablation and adaptation measurements made
on that machine; the model card's table is computed here on the original files).
"""

import json
import sys
from pathlib import Path

from safetensors.torch import save_file

from dcae.data.corpus import list_images
from dcae.contract.pixels import resize_short_side
from dcae.data.files import load_image
from dcae.models.text_encoder import TextEncoder


def compact_copy(src: Path, out: Path, max_short_side: int) -> dict[str, str]:
    """{new name: old name} of the JPEG copies written to `out`."""
    out.mkdir(parents=True, exist_ok=True)
    names = {}
    for path in list_images(src):
        img = load_image(path)
        if min(img.size) > max_short_side:
            img = resize_short_side(img, max_short_side)
        img.save(out / (path.stem + ".jpg"), quality=92)
        names[path.stem + ".jpg"] = path.name
    return names


def main(src: str, captions_file: str, dst: str, max_short_side: int = 1280, text_len: int = 32) -> None:
    captions = json.loads(Path(captions_file).read_text())
    out = Path(dst) / "train"
    names = compact_copy(Path(src) / "train", out, max_short_side)
    compact_copy(Path(src) / "eval", Path(dst) / "eval", max_short_side)
    new_captions = {new: captions[old] for new, old in names.items()}
    new_captions = dict(sorted(new_captions.items()))
    (Path(dst) / "captions.json").write_text(json.dumps(new_captions, indent=2) + "\n")
    # train-dit reads OUT/run/text.safetensors when present; the tokens follow the sorted file order.
    tokens, mask, _ = TextEncoder().encode(list(new_captions.values()), max_length=text_len)
    save_file({"tokens": tokens.contiguous(), "mask": mask.contiguous()}, str(Path(dst) / "text.safetensors"))
    total = sum(f.stat().st_size for f in out.iterdir()) / 2**20
    print(f"{len(new_captions)} images, {total:.1f} MiB in {out}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
