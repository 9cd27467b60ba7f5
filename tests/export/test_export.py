"""`dcae export`: the wrappers' ONNX graphs match PyTorch (float32, several sizes on both sides of the
attention threshold, square and not), the fp16 variant keeps norms and attention in fp32, and every
Triton config agrees with its ONNX file.

The tiny checkpoints and the exported CPU repository are built once per test process
(`cpu_repository()`) and shared with tests/export/test_triton.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch

pytest.importorskip("onnxscript")
ort = pytest.importorskip("onnxruntime")
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

from dcae.checkpoint import load_pretrained, save_pretrained  # noqa: E402
from dcae.checkpoint import load_generator  # noqa: E402
from dcae.models.dc_ae import create_model, get_config  # noqa: E402
from export import precision, quantize, triton_config  # noqa: E402
from dcae.contract import precision as fp32_rule  # noqa: E402
from dcae.contract.metadata import read_metadata  # noqa: E402
from export.repository import export_repository  # noqa: E402
from export.to_onnx import ExportError, check_signature, export_onnx  # noqa: E402
from export.wrappers import DiTClassExport  # noqa: E402
from dcae.models.random_init import randomize_  # noqa: E402
from support.artifacts import (REPO_ROOT, TEXT_DIT, checkpoints, config_summaries, cpu_repository,  # noqa: E402
                               int8_repository, rel_err, session, workdir)



# ----------------------------------------------------------------------------------------------
# Shared artifacts (built once per process)














# ----------------------------------------------------------------------------------------------
# Parity with PyTorch, float32

# Latent sizes: at 1x1 and 4x6 the deepest attention stage has <= 32 tokens (PyTorch takes the
# quadratic form there), at 8x8 and 12x7 more (linear); 4x6 and 12x7 are not square. The 4x6 image
# also puts 384 tokens in the shallowest attention stage: both forms inside one graph call.
SIZES = [(1, (1, 1)), (3, (4, 6)), (1, (8, 8)), (2, (12, 7))]


def test_encoder_and_decoder_match_pytorch_at_every_size():
    ae = load_pretrained(checkpoints() / "ae")
    f, c = ae.compression, ae.config.latent_channels
    enc, dec = session(cpu_repository() / "encoder/1/model.onnx"), session(cpu_repository() / "decoder/1/model.onnx")
    for n, (h, w) in SIZES:
        x = torch.rand(n, 3, h * f, w * f) * 2 - 1
        with torch.no_grad():
            z = ae.encode(x)
            y = ae.decode(z)
        assert rel_err(enc.run(["latent"], {"image": x.numpy()})[0], z.numpy()) <= 1e-4, (n, h, w)
        assert rel_err(dec.run(["image"], {"latent": z.numpy()})[0], y.numpy()) <= 1e-4, (n, h, w)
    assert enc.get_outputs()[0].shape[1] == c


def test_graphs_rearrange_space_with_one_hot_convolutions_and_have_no_trace_time_branches():
    for name, op in (("encoder", "Conv"), ("decoder", "ConvTranspose")):
        model = onnx.load(str(cpu_repository() / name / "1/model.onnx"))
        ops = {n.op_type for n in model.graph.node}
        # ONNX SpaceToDepth/DepthToSpace order channels differently from PyTorch's pixel_(un)shuffle;
        # an If/Loop would mean a data-dependent branch survived (the attention form is fixed, linear).
        assert not ops & {"SpaceToDepth", "DepthToSpace", "If", "Loop"}, (name, ops)
        assert "MatMul" in ops  # the attention is in the graph
        # pixel_(un)shuffle as grouped one-hot convolutions, not 6-D transposes (slow in ONNX Runtime)
        rearrangements = [n for n in model.graph.node if n.name in quantize._one_hot_convolutions(model)]
        assert rearrangements and {n.op_type for n in rearrangements} >= {op}, name
        ranks = {len(numpy_helper.to_array(t)) for t in model.graph.initializer
                 if any(n.op_type == "Reshape" and n.input[1] == t.name for n in model.graph.node)}
        assert 6 not in ranks, (name, ranks)


@pytest.mark.parametrize("factor", [2, 4])
def test_one_hot_kernels_are_pixel_unshuffle_and_shuffle_exactly(factor):
    from dcae.models.dc_ae import _one_hot_kernel, pixel_shuffle, pixel_unshuffle

    x = torch.randn(2, 5, 4 * factor, 3 * factor)
    w = _one_hot_kernel(5, factor, x)
    down = torch.nn.functional.conv2d(x, w, stride=factor, groups=5)
    assert torch.equal(down, pixel_unshuffle(x, factor))
    assert torch.equal(down, torch.nn.functional.pixel_unshuffle(x, factor))
    up = torch.nn.functional.conv_transpose2d(down, w, stride=factor, groups=5)
    assert torch.equal(up, x) and torch.equal(pixel_shuffle(down, factor), x)


# ----------------------------------------------------------------------------------------------
# int8 graphs for the embedded CPU runtime




def test_int8_graphs_quantize_the_convolutions_and_stay_close_to_float32():
    repo = int8_repository()
    images = quantize.calibration_images(workdir() / "calibration", resolution=64)
    for name, feed_name in (("encoder", "image"), ("decoder", "latent")):
        model = onnx.load(str(repo / name / "1" / quantize.INT8_FILENAME))
        ops = [n.op_type for n in model.graph.node]
        assert ops.count("QuantizeLinear") > 10 and ops.count("DequantizeLinear") > 10, name
        # the one-hot rearrangements stay float32: no DequantizeLinear feeds their weights
        produced_by = {o: n.op_type for n in model.graph.node for o in n.output}
        for node in model.graph.node:
            if node.name in quantize._one_hot_convolutions(model):
                assert produced_by.get(node.input[1]) != "DequantizeLinear", node.name
        # the attention's matrix products stay float32 (their values grow with the number of tokens)
        matmuls = [n for n in model.graph.node if n.op_type == "MatMul"]
        assert matmuls and all(produced_by.get(i) != "DequantizeLinear" for n in matmuls for i in n.input), name
    enc32, dec32 = (session(repo / n / "1" / "model.onnx") for n in ("encoder", "decoder"))
    enc8, dec8 = (session(repo / n / "1" / quantize.INT8_FILENAME) for n in ("encoder", "decoder"))
    z32 = enc32.run(["latent"], {"image": images})[0]
    z8 = enc8.run(["latent"], {"image": images})[0]
    y32 = dec32.run(["image"], {"latent": z32})[0]
    y8 = dec8.run(["image"], {"latent": z32})[0]
    # Rounding, not another function: wrong scales give ~1 or more. Random weights quantize worse than
    # trained ones (the shipped model: 0.08 and 0.03; tests/test_shipped.py).
    for got, ref in ((z8, z32), (y8, y32)):
        relative_rms = float(np.sqrt(np.mean((got - ref) ** 2) / np.mean(ref ** 2)))
        assert 0 < relative_rms < 0.5


def test_int8_metadata_records_calibration_and_quality():
    int8 = read_metadata((int8_repository() / "encoder" / "config.pbtxt").read_text()).int8
    assert int8.file == quantize.INT8_FILENAME and int8.networks == ["encoder", "decoder"]
    assert int8.calibration_images == 6 and int8.calibration.endswith("calibration")
    # The recorded PSNRs are the graphs' own: recomputed here on the calibration crops (uint8 grid).
    repo, images = int8_repository(), quantize.calibration_images(workdir() / "calibration",
                                                                  resolution=int8.calibration_resolution)

    def round_trip_psnr(graph: str, decoder_graph: str | None = None) -> float:
        enc, dec = session(repo / "encoder" / "1" / graph), session(repo / "decoder" / "1" / (decoder_graph or graph))
        out = np.concatenate([dec.run(["image"], {"latent": enc.run(["latent"], {"image": images[i:i + 1]})[0]})[0]
                              for i in range(len(images))])
        grid = [np.rint((np.clip(a, -1, 1) + 1) * 127.5) for a in (out, images)]
        mse = ((grid[0] - grid[1]) ** 2).mean(axis=(1, 2, 3))
        return float(np.mean(10 * np.log10(255.0**2 / mse)))

    assert round_trip_psnr("model.onnx") == pytest.approx(int8.psnr_float32, abs=0.01)
    assert round_trip_psnr(quantize.INT8_FILENAME) == pytest.approx(int8.psnr_int8, abs=0.01)
    assert int8.psnr_int8 != int8.psnr_float32  # the int8 graphs were measured, not the float32 twice
    assert read_metadata((cpu_repository() / "encoder" / "config.pbtxt").read_text()).int8 is None


def test_int8_is_refused_without_images_or_when_it_loses_too_much(tmp_path, monkeypatch):
    with pytest.raises(quantize.QuantizationError, match="no calibration images"):
        export_repository(tmp_path / "a", autoencoder=checkpoints() / "ae", int8=tmp_path / "missing",
                          log=lambda *a: None)
    with pytest.raises(ValueError, match="--fp16"):
        export_repository(tmp_path / "b", autoencoder=checkpoints() / "ae", int8=True, fp16=True, log=lambda *a: None)
    monkeypatch.setattr(quantize, "MAX_PSNR_DROP_DB", -100.0)  # any int8 graph "loses too much"
    with pytest.raises(quantize.QuantizationError, match="serve the float32 ones"):
        export_repository(tmp_path / "c", autoencoder=checkpoints() / "ae", int8=workdir() / "calibration",
                          reuse_onnx=cpu_repository(), log=lambda *a: None)


def test_dit_text_matches_pytorch_and_all_false_mask_is_the_null_context():
    dit, _, _, _ = load_generator(checkpoints() / "gen_text")
    sess = session(cpu_repository() / "dit/1/model.onnx")
    g = torch.Generator().manual_seed(0)
    for n in (1, 3):
        x = torch.randn(n, 32, 4, 4, generator=g)
        t = torch.tensor([999.0, 500.0, 3.0][:n])
        ctx = torch.randn(n, 32, 384, generator=g)
        mask = torch.zeros(n, 32, dtype=torch.bool)
        mask[:, :5] = True
        mask[-1] = False  # the last row is unconditional
        with torch.no_grad():
            null = dit.text_embedder.null_context[None].expand(n, -1, -1)  # the learned "no prompt"
            null_mask = torch.ones(n, null.shape[1], dtype=torch.bool)
            expect = dit(x, t, context=torch.where(mask.any(1)[:, None, None], ctx, null),
                         context_mask=torch.where(mask.any(1)[:, None], mask, null_mask))
            uncond_row = dit(x[-1:], t[-1:], context=null[:1], context_mask=null_mask[:1])
        got = sess.run(["model_output"], {"latent": x.numpy(), "timestep": t.numpy(), "context": ctx.numpy(),
                                          "context_mask": mask.numpy()})[0]
        assert rel_err(got, expect.numpy()) <= 1e-4
        assert rel_err(got[-1:], uncond_row.numpy()) <= 1e-4
        assert np.abs(got).max() > 0  # random weights: a non-trivial output


def test_dit_class_export_matches_pytorch(tmp_path):
    dit, _, _, _ = load_generator(checkpoints() / "gen_class")
    path = export_onnx(DiTClassExport(dit), tmp_path / "dit.onnx")
    sess = session(path)
    for n in (1, 4):
        x = torch.randn(n, 32, 4, 4)
        t = torch.linspace(999, 0, n)
        y = torch.tensor([0, 9, 10, 3][:n])  # 10 = the null class
        with torch.no_grad():
            expect = dit(x, t, y=y)
        got = sess.run(["model_output"], {"latent": x.numpy(), "timestep": t.numpy(), "class_label": y.numpy()})[0]
        assert got.shape == (n, 64, 4, 4)  # learned sigma: 2C channels
        assert rel_err(got, expect.numpy()) <= 1e-4


def test_text_encoder_matches_pytorch_at_two_lengths():
    from dcae.models.text_encoder import load_text_encoder
    from dcae.contract.text_tokenize import tokenize

    model = load_text_encoder()
    sess = session(cpu_repository() / "text_encoder/1/model.onnx")
    prompts = ["a photo of a dog", "", "an astronaut riding a horse on the moon, oil painting"]
    for length in (32, 8):
        ids, mask = tokenize(prompts, length)
        with torch.no_grad():
            tokens, pooled = model(torch.from_numpy(ids), torch.from_numpy(mask))
        got_tokens, got_pooled = sess.run(["tokens", "pooled"], {"input_ids": ids, "attention_mask": mask})
        real = mask.astype(bool)  # padded positions are unused (masked) downstream
        assert rel_err(got_tokens[real], tokens.numpy()[real]) <= 1e-4
        assert rel_err(got_pooled, pooled.numpy()) <= 1e-4


def test_signature_check_rejects_a_graph_that_drifted(tmp_path):
    src = cpu_repository() / "decoder/1/model.onnx"
    model = onnx.load(str(src))
    model.graph.input[0].name = "z"
    for node in model.graph.node:
        node.input[:] = ["z" if i == "latent" else i for i in node.input]
    onnx.save(model, str(tmp_path / "drifted.onnx"))
    from export.wrappers import DecoderExport

    wrapper = DecoderExport(load_pretrained(checkpoints() / "ae"))
    check_signature(src, wrapper.inputs, wrapper.outputs)
    with pytest.raises(ExportError, match="input names"):
        check_signature(tmp_path / "drifted.onnx", wrapper.inputs, wrapper.outputs)


# ----------------------------------------------------------------------------------------------
# Reduced precision


@pytest.mark.parametrize("name", ["encoder", "decoder", "dit", "text_encoder"])
def test_fp16_variant_keeps_norms_attention_and_timestep_in_fp32(name, tmp_path):
    src = cpu_repository() / name / "1/model.onnx"
    dst = precision.convert_to_fp16(src, tmp_path / "model.onnx")
    model = onnx.shape_inference.infer_shapes(onnx.load(str(dst)))
    g = model.graph
    types = {v.name: v.type.tensor_type.elem_type for v in (*g.input, *g.output, *g.value_info)}
    types.update({t.name: t.data_type for t in g.initializer})
    FLOAT, FLOAT16 = onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16
    assert all(types[v.name] != FLOAT16 for v in (*g.input, *g.output))  # the serving contract is unchanged
    fp32_ops, fp16_ops = set(), set()
    for node in g.node:
        floats = {types.get(t) for t in (*node.input, *node.output) if types.get(t) in (FLOAT, FLOAT16)}
        cls = fp32_rule.module_class(node)
        if cls in fp32_rule.FP32_MODULES:
            assert floats <= {FLOAT}, (node.name, node.op_type, cls)  # no fp16 tensor inside a region
            fp32_ops.add(node.op_type)
        elif node.op_type in ("Conv", "Gemm", "MatMul", "Einsum") and floats:
            fp16_ops.add(node.op_type)
            assert floats == {FLOAT16}, (node.name, cls)  # the heavy layers outside the regions run fp16
    assert fp16_ops, "no layer runs in fp16"
    expected_fp32 = {"encoder": {"ReduceMean", "MatMul", "Div"}, "decoder": {"ReduceMean", "MatMul", "Div"},
                     "dit": {"LayerNormalization", "Softmax", "Cos", "Sin"},
                     "text_encoder": {"LayerNormalization", "Softmax"}}[name]
    assert expected_fp32 <= fp32_ops, fp32_ops

    # It runs (ONNX Runtime's CPU provider falls back to fp32 kernels where it has no fp16 one) and
    # agrees with fp32 to fp16 accuracy.
    ref_sess, half_sess = session(src), session(dst)
    rng = np.random.default_rng(0)
    mask = np.arange(32)[None].repeat(2, 0) < np.array([[5], [0]])  # one conditional row, one unconditional
    feeds = {
        "encoder": {"image": rng.uniform(-1, 1, (2, 3, 64, 96)).astype(np.float32)},
        "decoder": {"latent": rng.standard_normal((2, 32, 3, 2)).astype(np.float32)},
        "dit": {"latent": rng.standard_normal((2, 32, 4, 4)).astype(np.float32),
                "timestep": np.array([999.0, 10.0], np.float32),
                "context": rng.standard_normal((2, 32, 384)).astype(np.float32), "context_mask": mask},
        "text_encoder": {"input_ids": rng.integers(1000, 5000, (2, 16)), "attention_mask": np.ones((2, 16), np.int64)},
    }[name]
    for ref, half in zip(ref_sess.run(None, feeds), half_sess.run(None, feeds)):
        assert half.dtype == np.float32 and np.isfinite(half).all()
        assert rel_err(half, ref) <= 2e-2


def test_fp16_tensors_inside_a_region_never_round_trip_through_fp16():
    """A node-by-node conversion (onnxruntime.transformers.float16) casts every blocked node's output
    back to fp16, so a linear-attention sum could overflow between two fp32 ops; ours casts only on
    region borders."""
    import ast

    def scope(node) -> str | None:  # the module instance that emitted the node
        for prop in node.metadata_props:
            if prop.key == "pkg.torch.onnx.name_scopes":
                return ast.literal_eval(prop.value)[-2]
        return None

    dst = precision.convert_to_fp16(cpu_repository() / "decoder/1/model.onnx", workdir() / "decoder_fp16.onnx")
    g = onnx.load(str(dst)).graph
    producer = {o: n for n in g.node for o in n.output}
    to_fp16 = [n for n in g.node if n.op_type == "Cast" and n.attribute[0].i == onnx.TensorProto.FLOAT16]
    assert to_fp16
    for cast in to_fp16:
        src = producer.get(cast.input[0])
        if src is None or fp32_rule.module_class(src) not in fp32_rule.FP32_MODULES:
            continue
        consumers = [n for n in g.node if cast.output[0] in n.input]
        assert not all(scope(c) == scope(src) for c in consumers), (cast.name, scope(src))


# ----------------------------------------------------------------------------------------------
# Triton configs


def test_every_cpu_config_matches_its_onnx_file():
    repo = cpu_repository()
    configs = config_summaries(repo)
    assert set(configs) == {"encoder", "decoder", "dit", "text_encoder", "generate"}
    for name, cfg in configs.items():
        if name == "generate":
            continue
        assert triton_config.check_model(repo / name, cfg) == [], name
        assert cfg["backend"] == "python" and cfg["dynamic_batching"] and cfg["warmup"]
        assert (repo / name / "1/model.py").read_text() == (REPO_ROOT / "export/backends/onnx_model.py").read_text()
        assert {k: v for k, v in cfg["parameters"].items() if k != "dcae"} == {
            "intra_op_threads": "0", "engine": "auto", "precision": "auto"}  # the gateway's engine rule
        assert sorted(p.name for p in (repo / name / "1/dcae_contract").glob("*.py")) == sorted(
            p.name for p in (REPO_ROOT / "dcae/contract").glob("*.py"))
    gen = configs["generate"]
    assert [(t["name"], t["data_type"], t["optional"]) for t in gen["input"]] == [
        ("prompt", "TYPE_STRING", True), ("class_label", "TYPE_INT64", True), ("seed", "TYPE_INT64", False),
        ("steps", "TYPE_INT32", False), ("guidance", "TYPE_FP32", False), ("sampler", "TYPE_STRING", True),
        ("n", "TYPE_INT32", False), ("negative_prompt", "TYPE_STRING", True), ("image", "TYPE_UINT8", True),
        ("strength", "TYPE_FP32", True), ("height", "TYPE_INT32", True), ("width", "TYPE_INT32", True)]
    assert [(t["name"], t["data_type"], t["dims"]) for t in gen["output"]] == [("images", "TYPE_UINT8", [-1, -1, -1, 3]),
                                                                                ("class_label", "TYPE_INT64", [1])]
    assert (repo / "text_encoder/1/tokenizer.json").is_file()
    contract = sorted((REPO_ROOT / "dcae/contract").glob("*.py"))  # the torch-free contract, copied whole
    assert sorted(p.name for p in (repo / "generate/1/dcae_contract").glob("*.py")) == [p.name for p in contract]
    assert all((repo / "generate/1/dcae_contract" / p.name).read_text() == p.read_text() for p in contract)
    assert {p.name for p in (repo / "generate/1").iterdir()} >= {"model.py", "dcae_contract", "tokenizer.json"}


def test_the_openvino_backend_variant_serves_the_same_graphs(tmp_path):
    """`dcae export --cpu-openvino-backend`: every network an `openvino` model over the float32 graphs reused from
    the CPU repository, with the OpenVINO backend's documented parameters; the configs agree with the graphs."""
    out = tmp_path / "repo_openvino"
    export_repository(out, generator=checkpoints() / "gen_text", cpu_openvino_backend=True, reuse_onnx=cpu_repository(),
                      log=lambda *a: None)
    configs = config_summaries(out)
    for name in ("encoder", "decoder", "dit", "text_encoder"):
        cfg = configs[name]
        assert triton_config.check_model(out / name, cfg) == [], name
        assert cfg["backend"] == "openvino" and cfg["default_model_filename"] == "model.onnx"
        assert cfg["dynamic_batching"] and not (out / name / "1" / "model.py").exists()
        params = cfg["parameters"]
        assert params["PERFORMANCE_HINT"] == "LATENCY" and params["RESHAPE_IO_LAYERS"] == "NO"
        assert triton_config.read_metadata(cfg).variant == "cpu-openvino"
    assert configs["generate"]["backend"] == "python"  # the sampling loop stays a python model
    with pytest.raises(ValueError, match="choose one CPU variant"):
        export_repository(tmp_path / "both", generator=checkpoints() / "gen_text", cpu_python_backend=True,
                          cpu_openvino_backend=True, log=lambda *a: None)


def test_metadata_carries_what_the_gateway_needs():
    configs = config_summaries(cpu_repository())
    metas = {name: triton_config.read_metadata(cfg).to_dict() for name, cfg in configs.items()}
    common = {k: v for k, v in metas["dit"].items() if k not in ("model", "role")}
    for name, meta in metas.items():  # one source of truth, repeated in every model
        assert {k: v for k, v in meta.items() if k not in ("model", "role")} == common
        assert meta["model"] == name
    digest = common["autoencoder"].pop("weights_sha256")
    assert common["autoencoder"] == {"name": "dc-ae-f32c32-tiny", "compression": 32, "latent_channels": 32,
                                     "scaling_factor": 0.5, "decoder": None}  # None: its own decoder
    assert common["preview_decoder"] is None
    assert len(digest) == 16 and digest != common["generator"]["weights_sha256"]
    gen = common["generator"]
    assert gen["dit"] == TEXT_DIT.to_dict() and gen["objective"]["kind"] == "flow"
    assert (gen["conditioning"], gen["text_len"], gen["default_sampler"], gen["latent_shape"]) == ("text", 32, "euler", [32, 4, 4])
    assert {k: v for k, v in common["text_encoder"].items() if k != "weights_sha256"} == {
        "name": "all-MiniLM-L6-v2", "width": 384, "max_length": 32, "prompting": None}
    assert common["networks"]["dit"]["inputs"][3] == {"name": "context_mask", "dtype": "bool", "shape": ["N", 32]}


def test_gpu_fp16_repository_configs_match_onnx_and_name_tensorrt():
    out = workdir() / "model_repository_gpu_fp16"
    export_repository(out, generator=checkpoints() / "gen_text", fp16=True, reuse_onnx=cpu_repository(),
                      log=lambda *a: None)
    configs = config_summaries(out)
    for name, cfg in configs.items():
        if name == "generate":
            assert cfg["instance_kinds"] == ["KIND_CPU"]
            continue
        assert triton_config.check_model(out / name, cfg) == [], name
        assert cfg["backend"] == "onnxruntime" and cfg["instance_kinds"] == ["KIND_GPU"]
        assert cfg["dynamic_batching"] and cfg["warmup"]
        text = (out / name / "config.pbtxt").read_text()
        assert 'name : "tensorrt"' in text and '"precision_mode" value: "FP16"' in text
        assert triton_config.read_metadata(cfg).precision == "float16"
        # trtexec shapes name exactly the graph's inputs, min <= opt <= max
        flags = (out / name / "trtexec_shapes.txt").read_text().split()
        profiles = [dict(item.split(":") for item in f.split("=", 1)[1].split(",")) for f in flags]
        assert [set(p) for p in profiles] == [{t["name"] for t in cfg["input"]}] * 3
        for inp in profiles[0]:
            lo, opt, hi = ([int(d) for d in p[inp].split("x")] for p in profiles)
            assert all(a <= b <= c for a, b, c in zip(lo, opt, hi)), (name, inp)
        fp16_types = {t.data_type for t in onnx.load(str(out / name / "1/model.onnx")).graph.initializer}
        assert onnx.TensorProto.FLOAT16 in fp16_types


def test_config_check_finds_drift(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(cpu_repository() / "decoder", repo / "decoder")
    cfg_path = repo / "decoder/config.pbtxt"
    cfg_path.write_text(cfg_path.read_text().replace("dims: [ 32, -1, -1 ]", "dims: [ 16, -1, -1 ]", 1))
    problems = triton_config.check_model(repo / "decoder", config_summaries(repo)["decoder"])
    assert problems and "dims [16, -1, -1] != ONNX [32, -1, -1]" in problems[0]


def test_reuse_refuses_graphs_of_other_checkpoints(tmp_path):
    other = tmp_path / "ae2"  # same preset and scaling factor, other weights
    save_pretrained(create_model(get_config("dc-ae-f32c32-tiny").replace(scaling_factor=0.5)), other)
    with pytest.raises(ValueError, match="another autoencoder"):
        export_repository(tmp_path / "out", autoencoder=other, reuse_onnx=cpu_repository(), log=lambda *a: None)


def test_cli_writes_a_repository(tmp_path, capsys):
    from dcae.cli import main

    out = tmp_path / "repo"
    # The CLI itself, reusing the shared graphs so that the default tier does not export again.
    code = main(["export", "--generator", str(checkpoints() / "gen_text"), "-o", str(out), "--cpu-python-backend",
                 "--reuse-onnx", str(cpu_repository()), "--generate-instances", "3", "--json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["models"]) == {"encoder", "decoder", "dit", "text_encoder", "generate"}
    assert result["variant"] == "cpu-python"
    assert "instance_group [ { kind: KIND_CPU count: 3 } ]" in (out / "generate" / "config.pbtxt").read_text()
    assert "count: 1 }" in (out / "dit" / "config.pbtxt").read_text()  # the networks keep one instance each
    assert main(["export", "--autoencoder", str(checkpoints() / "ae"), "-o", str(out), "--fp16",
                 "--cpu-python-backend"]) == 2
    assert "fp16" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------
# The TensorRT build script (no TensorRT here: a stand-in trtexec records its arguments)


def test_tensorrt_script_passes_profiles_and_strong_typing(tmp_path):
    script = REPO_ROOT / "export/tensorrt/build_engines.sh"
    repo = tmp_path / "repo"
    for name in ("encoder", "dit"):
        (repo / name / "1").mkdir(parents=True)
        (repo / name / "1" / "model.onnx").write_bytes(b"onnx")
    (repo / "encoder/trtexec_shapes.txt").write_text(
        "--minShapes=image:1x3x32x32 --optShapes=image:1x3x512x512 --maxShapes=image:8x3x1024x1024\n")
    (repo / "dit/trtexec_shapes.txt").write_text(
        "--minShapes=latent:1x32x4x4,timestep:1 --optShapes=latent:2x32x4x4,timestep:2 --maxShapes=latent:32x32x4x4,timestep:32\n")
    fake = tmp_path / "trtexec"
    fake.write_text('#!/usr/bin/env bash\necho "$@" >> "$(dirname "$0")/calls.txt"\n'
                    'for a in "$@"; do case $a in --saveEngine=*) echo plan > "${a#--saveEngine=}";; esac; done\n'
                    'echo "Engine built"\n')
    fake.chmod(0o755)
    env = {**os.environ, "TRTEXEC": str(fake)}
    run = subprocess.run(["bash", str(script), str(repo), str(tmp_path / "out")], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "calls.txt").read_text().splitlines()
    assert len(calls) == 2 and all("--stronglyTyped" in c for c in calls)
    assert "--maxShapes=latent:32x32x4x4,timestep:32" in calls[0] and "--onnx=" in calls[0]
    assert (tmp_path / "out/encoder.plan").is_file() and (tmp_path / "out/dit.plan").is_file()
    missing = subprocess.run(["bash", str(script), str(repo), str(tmp_path / "out")],
                             env={**os.environ, "TRTEXEC": "/nonexistent/trtexec"}, capture_output=True, text=True)
    assert missing.returncode == 2 and "TensorRT" in missing.stderr


# ----------------------------------------------------------------------------------------------
# Slow tier: full-size official configuration


@pytest.mark.slow
def test_full_size_autoencoder_export_matches_pytorch(tmp_path):
    from export.wrappers import DecoderExport, EncoderExport

    ae = randomize_(create_model("dc-ae-f32c32-in-1.0"), seed=0).eval()
    enc = session(export_onnx(EncoderExport(ae), tmp_path / "enc.onnx"))
    dec = session(export_onnx(DecoderExport(ae), tmp_path / "dec.onnx"))
    for n, (h, w) in [(1, (1, 1)), (1, (8, 6))]:
        x = torch.rand(n, 3, 32 * h, 32 * w) * 2 - 1
        with torch.no_grad():
            z = ae.encode(x)
            y = ae.decode(z)
        assert rel_err(enc.run(None, {"image": x.numpy()})[0], z.numpy()) <= 1e-4
        assert rel_err(dec.run(None, {"latent": z.numpy()})[0], y.numpy()) <= 1e-4


def test_a_missing_int8_calibration_folder_is_refused_before_the_export(tmp_path, capsys):
    from dcae.cli import main

    assert main(["export", "--autoencoder", str(checkpoints() / "ae"), "-o", str(tmp_path / "repo"),
                 "--int8", str(tmp_path / "nowhere")]) == 2
    assert "no such folder of calibration images" in capsys.readouterr().err
    assert not (tmp_path / "repo").exists()
