"""Which parts of a network keep float32 when the rest computes in a 16-bit type: one rule for the GPU's
fp16 graphs (`export.precision`) and the CPU's bfloat16 (OpenVINO in the gateway and in Triton's python
backend, `cpu`).

The regions are the modules that need float32 (reference Sec. 7): norms, attention cores and the
timestep sinusoid. A sinusoid of t = 500 computed in bfloat16 has a step of 2 radians in its argument,
and fp16 norms and attention overflow. A node belongs to a region when the innermost module that
emitted it is one of `FP32_MODULES` (the attention *core*, not its qkv/proj projections, which are
Conv/Linear children and run in the low type), or when any module around it is within
`FP32_WITHIN_PREFIXES`. The exporter records each ONNX node's module classes in its metadata
(`HIERARCHY_KEY`); nodes without it (made by the optimiser) follow the producer of their first input.

Torch-free and onnx-free: the functions read any object shaped like an ONNX NodeProto (op_type, input,
output, name, metadata_props), so the gateway's and Triton's callers pass what `onnx.load` gave them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

FP32_MODULES = frozenset({
    # norms
    "dcae.models.dc_ae.RMSNorm2d",
    "torch.nn.modules.batchnorm.BatchNorm2d",
    "torch.nn.modules.normalization.LayerNorm",
    "torch.nn.modules.normalization.GroupNorm",
    # attention cores (their projections are Conv2d/Linear children and run in the low type)
    "dcae.models.dc_ae.LiteMLA",
    "dcae.models.dit.Attention",
    "dcae.models.dit.CrossAttention",
    "dcae.models.text_encoder.SelfAttention",
    # the sinusoidal timestep embedding, and the text encoder's masking and mean pooling
    "dcae.models.dit.TimestepEmbedder",
    # U-ViT: its attention core and its time token (the raw sinusoid)
    "dcae.models.uvit.Attention",
    "dcae.models.uvit.TimeToken",
    "dcae.models.text_encoder.BertTextEncoder",
    # SANA: its linear and cross attention cores, the caption's RMS norm, the timestep embedding's sinusoid,
    "dcae.models.sana.Attention",
    "dcae.models.sana.RMSNorm",
    "dcae.models.sana.AdaLayerNormSingle",
    "dcae.models.sana.TimestepGuidanceEmbedding",  # SANA-Sprint: the timestep's and the guidance's sinusoids
    "dcae.models.sana.PatchEmbed",  # the 2K/4K releases' sin-cos positions
    # Gemma-2 (SANA's text encoder), where it runs in bfloat16: its norms, attention cores and rotary sinusoid
    "transformers.models.gemma2.modeling_gemma2.Gemma2RMSNorm",
    "transformers.models.gemma2.modeling_gemma2.Gemma2Attention",
    "transformers.models.gemma2.modeling_gemma2.Gemma2RotaryEmbedding",
})
FP32_MODULE_PREFIXES = ("export.wrappers.",)  # the wrappers' own few ops (null-context selection)
# Everything inside these modules, at any depth: SANA's Gemma-2, trained in bfloat16, whose range float16
# lacks (its residual stream is not known to stay under 65504), and run once per request. In bfloat16 (the
# type it was trained in) it runs in the low type: `FP32_WITHIN_PREFIXES_FP16_ONLY`.
FP32_WITHIN_PREFIXES = ("transformers.models.gemma2.",)
FP32_WITHIN_PREFIXES_FP16_ONLY = frozenset(FP32_WITHIN_PREFIXES)
FP32_OPS = frozenset({"Range", "CumSum"})  # no fp16 kernels in common execution providers
HIERARCHY_KEY = "pkg.torch.onnx.class_hierarchy"


def module_hierarchy(node: Any) -> list[str] | None:
    """The classes of the modules that emitted `node`, outermost first, from the exporter's metadata."""
    for prop in node.metadata_props:
        if prop.key == HIERARCHY_KEY:
            return ast.literal_eval(prop.value)[:-1]  # [root class, ..., innermost class, op]
    return None


def module_class(node: Any) -> str | None:
    """The class of the innermost module that emitted `node`, from the exporter's metadata."""
    hierarchy = module_hierarchy(node)
    return hierarchy[-1] if hierarchy else None


def in_fp32_region(node: Any, low: str = "float16") -> bool | None:
    """True: float32; False: the low type (`float16` or `bfloat16`); None (a node the optimiser made,
    without metadata): as its inputs."""
    if node.op_type in FP32_OPS:
        return True
    hierarchy = module_hierarchy(node)
    if not hierarchy:
        return None
    cls = hierarchy[-1]
    within = tuple(p for p in FP32_WITHIN_PREFIXES if low == "float16" or p not in FP32_WITHIN_PREFIXES_FP16_ONLY)
    return (cls in FP32_MODULES or cls.startswith(FP32_MODULE_PREFIXES)
            or bool(within) and any(c.startswith(within) for c in hierarchy))


def float32_nodes(nodes: Iterable[Any], low: str = "bfloat16") -> tuple[set[str], set[str]]:
    """(node names, tensor names) of the float32 regions of a graph's nodes in topological order. A node
    without metadata (the exporter's own decompositions, such as scaled_dot_product_attention's Softmax)
    is float32 when any of its inputs comes from a float32 node (graph inputs and weights come from none)."""
    names: set[str] = set()
    tensors: set[str] = set()
    producer_fp32: dict[str, bool] = {}
    for node in nodes:
        keep = in_fp32_region(node, low)
        if keep is None:
            keep = any(producer_fp32.get(i, False) for i in node.input)
        producer_fp32.update({o: keep for o in node.output})
        if keep:
            names.add(node.name)
            tensors.update(o for o in node.output if o)
    return names, tensors
