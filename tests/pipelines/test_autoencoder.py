"""Any-size encode/decode: padding, tiling, and the `dcae encode|decode` commands."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from dcae.checkpoint import save_pretrained
from dcae.cli import main
from dcae.pipelines.autoencoder import TileSpec, decode_latent, encode_image, pad_to_multiple, tiled_apply
from dcae.models.dc_ae import create_model


def smooth_image(h: int, w: int, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return F.interpolate(torch.rand(1, 3, 12, 12, generator=g) * 2 - 1, size=(h, w), mode="bicubic").clamp(-1, 1)


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    return create_model("dc-ae-f32c32-tiny").eval()


def test_tiled_apply_is_exact_for_local_maps():
    # For a map without spatial context the blend weights must reproduce the untiled result exactly.
    x = torch.randn(2, 4, 96, 160)
    up = lambda t: F.interpolate(t, scale_factor=4, mode="nearest") * 2 + 1  # noqa: E731
    down = lambda t: F.avg_pool2d(t, 4)  # noqa: E731
    assert torch.allclose(tiled_apply(up, x, tile=32, overlap=8, scale=4), up(x), atol=1e-6)
    assert torch.allclose(tiled_apply(down, x, tile=32, overlap=8, scale=0.25), down(x), atol=1e-6)


def _blend_profile(length: int, tile: int, overlap: int, scale: int) -> np.ndarray:
    """What tiling with linear ramps makes of a map that answers each tile with a constant (its first
    input column's value, here the tile's start): the start of the tile covering a pixel, and across
    each overlap a straight line from one start to the next, sampled at pixel centres."""
    stride = tile - overlap
    assert (length - tile) % stride == 0  # every overlap is exactly `overlap` wide
    starts = list(range(0, length - tile + 1, stride))
    out = np.zeros(length * scale)
    for p in range(length * scale):
        covering = [a for a in starts if a * scale <= p < (a + tile) * scale]
        if len(covering) == 1:
            out[p] = covering[0]
        else:
            a, b = covering
            out[p] = a + (b - a) * (p - b * scale + 0.5) / (overlap * scale)
    return out


@pytest.mark.parametrize("implementation", ["torch", "numpy"])
@pytest.mark.parametrize("scale", [1, 4])
def test_tiles_blend_with_linear_ramps_across_each_overlap(implementation, scale):
    """Tiles that disagree (each answers with its own constant) blend into straight ramps across the
    overlaps, exactly: a hard cut (a step), a flat average (two steps of half the size) or weights that
    do not sum to one all fail this. Both runners of the contract's plan: torch (the ML core) and numpy
    (the gateway)."""
    h, w, tile, overlap = 80, 112, 48, 16  # 2 x 3 tiles
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij")
    x = np.stack([1000 * rows + cols, 2 * cols])[None]  # (1, 2, H, W): each channel its own constant

    def first_value(t):  # the tile's top-left input values, everywhere in the tile's (scaled) output
        shape = (t.shape[0], t.shape[1], t.shape[2] * scale, t.shape[3] * scale)
        if implementation == "torch":
            return t[:, :, :1, :1].expand(shape).clone()
        return np.broadcast_to(t[:, :, :1, :1], shape).astype(np.float32)

    if implementation == "torch":
        out = tiled_apply(first_value, torch.from_numpy(x), tile=tile, overlap=overlap, scale=scale).numpy()
    else:
        import asyncio

        from dcae.contract.tiling import blend_tiles

        async def fn(t):
            return first_value(t)

        out = asyncio.run(blend_tiles(fn, x, tile, overlap, scale))
    row_profile, col_profile = _blend_profile(h, tile, overlap, scale), _blend_profile(w, tile, overlap, scale)
    expected = np.stack([1000 * row_profile[:, None] + col_profile[None, :],
                         np.broadcast_to(2 * col_profile[None, :], (h * scale, w * scale))])
    assert out.shape == (1, 2, h * scale, w * scale)
    np.testing.assert_allclose(out[0], expected, rtol=1e-6, atol=1e-3)


def test_pad_to_multiple():
    x = torch.randn(1, 3, 50, 70)
    y, size = pad_to_multiple(x, 32)
    assert y.shape[-2:] == (64, 96) and size == (50, 70)
    assert torch.equal(y[:, :, :50, :70], x)
    assert torch.equal(y[:, :, 50, :70], x[:, :, 48, :])  # reflected, not zeros
    tiny = torch.randn(1, 3, 5, 5)  # too small to reflect 27 rows: replicate
    assert pad_to_multiple(tiny, 32)[0].shape[-2:] == (32, 32)


def test_any_size_round_trip_shapes(tiny):
    x = smooth_image(75, 130)
    z = encode_image(tiny, x)
    assert z.shape[-2:] == (3, 5)  # ceil(75/32), ceil(130/32)
    assert decode_latent(tiny, z, image_size=(75, 130)).shape == x.shape


def test_tiled_decode_close_to_untiled_and_seamless(tiny):
    # Stated tolerance (random-weight tiny model; attention is global, so tiles cannot be exact):
    # mean abs difference <= 5% of the mean abs output on a 1024px image, 512px tiles, 128px overlap.
    z = encode_image(tiny, smooth_image(1024, 1024))
    full = decode_latent(tiny, z)
    tiled = decode_latent(tiny, z, tile=TileSpec(512, 128))
    assert ((tiled - full).abs().mean() / full.abs().mean()).item() <= 0.05
    # How the tiles blend (no seam) is checked exactly by test_tiles_blend_with_linear_ramps_across_each_overlap.


def test_tiled_encode_close_to_untiled(tiny):
    x = smooth_image(1024, 1024)
    full, tiled = encode_image(tiny, x), encode_image(tiny, x, tile=TileSpec(512, 256))
    assert tiled.shape == full.shape
    assert ((tiled - full).abs().mean() / full.abs().mean()).item() <= 0.15


@pytest.mark.slow
def test_4k_tiled_round_trip(tiny):
    x = smooth_image(2160, 3840)
    z = encode_image(tiny, x, tile=TileSpec(512, 128))
    assert decode_latent(tiny, z, image_size=(2160, 3840), tile=TileSpec(512, 128)).shape == x.shape


def test_encode_decode_commands(tiny, tmp_path, capsys):
    save_pretrained(tiny, tmp_path / "model")
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (70, 100, 3), dtype=np.uint8)).save(tmp_path / "in.png")
    assert main(["encode", str(tmp_path / "in.png"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "z.npy"), "--scaled", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["shape"] == [1, 32, 3, 4] and info["image_size"] == [70, 100]
    z = np.load(tmp_path / "z.npy", allow_pickle=False)
    assert z.dtype == np.float32 and z.shape == (1, 32, 3, 4)
    assert main(["decode", str(tmp_path / "z.npy"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "out.png"), "--json"]) == 0
    assert Image.open(tmp_path / "out.png").size == (100, 70)  # padding cropped back via the sidecar
    assert main(["decode", str(tmp_path / "z.npy"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "tiled.png"), "--tile", "--tile-size", "64", "--tile-overlap", "32"]) == 0
    assert Image.open(tmp_path / "tiled.png").size == (100, 70)
    # --size is HEIGHTxWIDTH, as the sidecar's image_size and the gateway's ?size=
    assert main(["decode", str(tmp_path / "z.npy"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "cropped.png"), "--size", "60x90"]) == 0
    assert Image.open(tmp_path / "cropped.png").size == (90, 60)
    assert main(["decode", str(tmp_path / "z.npy"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "x.png"), "--size", "60"]) == 2
    assert 'HEIGHTxWIDTH' in capsys.readouterr().err


def test_decode_rejects_wrong_latent(tiny, tmp_path, capsys):
    save_pretrained(tiny, tmp_path / "model")
    np.save(tmp_path / "bad.npy", np.zeros((1, 8, 2, 2), np.float32))
    assert main(["decode", str(tmp_path / "bad.npy"), "--model", str(tmp_path / "model"), "-o",
                 str(tmp_path / "x.png")]) == 2
    assert 'decodes (N, 32, h, w)' in capsys.readouterr().err


def test_commands_refuse_mistakes_in_one_line(tiny, tmp_path, capsys):
    """A user's mistake ends in one "error:" line and exit code 2 (not a traceback), before any work
    where it can be seen before: an unreadable image, an overlap as large as the tile (which used to
    tile forever), an output format PIL does not write; -o without .npy gets it, the sidecar follows."""
    save_pretrained(tiny, tmp_path / "model")
    model = ["--model", str(tmp_path / "model")]
    (tmp_path / "bad.png").write_bytes(b"\x89PNG not really")
    assert main(["encode", str(tmp_path / "bad.png"), *model, "-o", str(tmp_path / "z.npy")]) == 2
    assert "error: cannot identify image file" in capsys.readouterr().err
    Image.fromarray(np.zeros((70, 100, 3), np.uint8)).save(tmp_path / "in.png")
    assert main(["encode", str(tmp_path / "in.png"), *model, "-o", str(tmp_path / "t.npy"), "--tile",
                 "--tile-size", "128"]) == 2
    assert "overlap smaller than the tile" in capsys.readouterr().err
    assert main(["encode", str(tmp_path / "in.png"), *model, "-o", str(tmp_path / "new" / "lat.bin")]) == 0
    assert {p.name for p in (tmp_path / "new").iterdir()} == {"lat.bin.npy", "lat.bin.json"}
    capsys.readouterr()
    assert main(["decode", str(tmp_path / "new" / "lat.bin.npy"), *model, "-o", str(tmp_path / "out.txt")]) == 2
    assert "unknown image extension '.txt'" in capsys.readouterr().err
    assert main(["decode", str(tmp_path / "bad.png"), *model, "-o", str(tmp_path / "out.png")]) == 2
    assert 'not a .npy array' in capsys.readouterr().err
    assert main(["decode", str(tmp_path / "new" / "lat.bin.npy"), *model, "-o", str(tmp_path / "out.png"),
                 "--size", "10x-5"]) == 2
    assert "both sides must be positive" in capsys.readouterr().err
    assert main(["decode", str(tmp_path / "new" / "lat.bin.npy"), *model, "-o", str(tmp_path / "o" / "out.png")]) == 0
    assert Image.open(tmp_path / "o" / "out.png").size == (100, 70)  # the sidecar found under the real name
