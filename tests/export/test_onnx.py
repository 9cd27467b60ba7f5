"""The model code stays exportable: the dynamo ONNX exporter, dynamic batch/height/width from a
batch-2 example, and ONNX Runtime matching PyTorch at sizes on both sides of the attention
threshold, square and not."""

import numpy as np
import pytest
import torch

from dcae.models.dc_ae import DCAEConfig, create_model, get_config

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")

NARROW = {
    "in": get_config("dc-ae-f32c32-in-1.0").replace(name="narrow-in", width_list=(16, 32, 64, 64, 64, 128),
                                                    encoder_depths=(0, 1, 1, 1, 1, 1), decoder_depths=(0, 1, 1, 1, 1, 1)),
    "sana": get_config("dc-ae-f32c32-sana-1.0").replace(name="narrow-sana", width_list=(16, 32, 64, 64, 64, 128),
                                                        encoder_depths=(1, 1, 1, 1, 1, 1),
                                                        decoder_depths=(1, 1, 1, 1, 1, 1)),
}


def export(module: torch.nn.Module, example: torch.Tensor, factor: int, path, in_name: str, out_name: str):
    batch = torch.export.Dim("batch", min=1, max=64)
    h, w = torch.export.Dim("h", min=1, max=256), torch.export.Dim("w", min=1, max=256)
    torch.onnx.export(module, (example,), str(path), dynamo=True, opset_version=18, input_names=[in_name],
                      output_names=[out_name], dynamic_shapes=({0: batch, 2: h * factor, 3: w * factor},))
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def max_rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / np.abs(b).max())


def check_model(cfg: DCAEConfig, tmp_path, sizes):
    torch.manual_seed(0)
    model = create_model(cfg).eval()
    f, c = cfg.compression, cfg.latent_channels
    enc = export(model.encoder, torch.randn(2, 3, 2 * f, 2 * f), f, tmp_path / "encoder.onnx", "image", "latent")
    dec = export(model.decoder, torch.randn(2, c, 2, 2), 1, tmp_path / "decoder.onnx", "latent", "image")
    for n, (h, w) in sizes:
        x = torch.rand(n, 3, h * f, w * f) * 2 - 1
        with torch.no_grad():
            z = model.encode(x)
            y = model.decode(z)
        z_onnx = enc.run(None, {"image": x.numpy()})[0]
        assert z_onnx.shape == tuple(z.shape)
        assert max_rel_err(z_onnx, z.numpy()) <= 1e-4, (n, h, w)
        assert max_rel_err(dec.run(None, {"latent": z.numpy()})[0], y.numpy()) <= 1e-4, (n, h, w)


# Latent sizes (in latent pixels): 1x1 and 4x6 keep every attention stage at <= 32 tokens (the eager
# model takes the quadratic form there); 8x8 and 12x7 go linear in the deeper stages.
@pytest.mark.parametrize("family", ["in", "sana"])
def test_onnx_export_dynamic_shapes_matches_pytorch(family, tmp_path):
    check_model(NARROW[family], tmp_path, [(1, (1, 1)), (3, (4, 6)), (1, (8, 8)), (2, (12, 7))])


@pytest.mark.slow
def test_full_size_official_config_exports(tmp_path):
    check_model(get_config("dc-ae-f32c32-in-1.0"), tmp_path, [(1, (1, 1)), (1, (8, 6))])


def test_attention_with_a_zero_normaliser_stays_finite(tmp_path):
    """ReLU(k) = 0 everywhere makes every token's attention normaliser 0 (flat image regions do this
    for some heads): PyTorch gives 0 / eps = 0, and so must the exported graph, not 0 / 0 = NaN."""
    torch.manual_seed(0)
    model = create_model(NARROW["in"]).eval()
    with torch.no_grad():
        for block in model.decoder.modules():
            if hasattr(block, "qkv") and hasattr(block, "head_dim"):
                block.qkv.weight.view(-1, 3, block.head_dim, block.qkv.weight.shape[1])[:, 1] = 0  # k = 0
        z = torch.randn(1, NARROW["in"].latent_channels, 8, 8)
        y = model.decode(z)
    assert torch.isfinite(y).all()
    dec = export(model.decoder, torch.rand(2, NARROW["in"].latent_channels, 2, 2), 1, tmp_path / "d.onnx",
                 "latent", "image")
    y_onnx = dec.run(None, {"latent": z.numpy()})[0]
    assert np.isfinite(y_onnx).all()
    assert max_rel_err(y_onnx, y.numpy()) <= 1e-4


@pytest.mark.parametrize("overrides", [{"interpolation_scale": 2.0}, {"qk_norm": "rms_norm_across_heads",
                                                                        "guidance_embeds": True}],
                         ids=["4k-positions", "sprint-guidance"])
def test_sana_transformer_graphs_compute_positions_and_guidance_for_any_grid(overrides, tmp_path):
    """The 2K/4K releases' sin-cos positions are computed in the graph from the latent's grid (one graph serves
    every size), and SANA-Sprint's graph takes the guidance as an input; both equal PyTorch at several sizes."""
    import onnxruntime as ort

    from dcae.models.random_init import randomize_
    from dcae.models.sana import SanaConfig, SanaTransformer
    from export.to_onnx import export_onnx
    from export.wrappers import SanaTransformerExport

    cfg = SanaConfig(in_channels=8, out_channels=8, num_attention_heads=2, attention_head_dim=8, num_layers=2,
                     num_cross_attention_heads=2, cross_attention_head_dim=8, cross_attention_dim=16,
                     caption_channels=24, sample_size=4, **overrides)
    model = randomize_(SanaTransformer(cfg), seed=0).eval()
    wrapper = SanaTransformerExport(model, text_len=5, max_side=8)
    session = ort.InferenceSession(str(export_onnx(wrapper, tmp_path / "dit.onnx")), providers=["CPUExecutionProvider"])
    g = torch.Generator().manual_seed(0)
    for n, (h, w) in ((1, (4, 4)), (2, (6, 3)), (3, (8, 8))):
        feeds = {"latent": torch.randn(n, 8, h, w, generator=g), "timestep": torch.rand(n, generator=g),
                 "context": torch.randn(n, 5, 24, generator=g), "context_mask": torch.ones(n, 5, dtype=torch.bool)}
        if cfg.guidance_embeds:
            feeds["guidance"] = torch.full((n,), 4.5)
        with torch.no_grad():
            expected = wrapper(*feeds.values()).numpy()
        got = session.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
        assert got.shape == expected.shape == (n, 8, h, w)
        assert max_rel_err(got, expected) <= 1e-4
