"""torch_runtime.cuda_graphs.GraphedModule: what the torch runtime serves (CUDA-graph replay on GPUs, eager on CPUs)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dcae.models.dit import DiT, get_config
from dcae.models.random_init import randomize_
from torch_runtime.cuda_graphs import GraphedModule, batch_buckets
from export.wrappers import DiTClassExport, DiTTextExport

CUDA = torch.cuda.is_available()


def class_dit(in_channels: int = 8, side: int = 4) -> DiT:
    cfg = get_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=in_channels,
                                        input_size=side, num_classes=10, learn_sigma=False)
    return randomize_(DiT(cfg)).eval()  # adaLN-Zero would start at a zero output


def class_inputs(rows: int, seed: int = 0, channels: int = 8, side: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"latent": rng.standard_normal((rows, channels, side, side)).astype(np.float32),
            "timestep": rng.uniform(0, 1000, rows).astype(np.float32),
            "class_label": rng.integers(0, 11, rows).astype(np.int64)}


def reference(dit: DiT, inputs: dict[str, np.ndarray]) -> np.ndarray:
    with torch.no_grad():
        return dit(torch.from_numpy(inputs["latent"]), torch.from_numpy(inputs["timestep"]),
                   y=torch.from_numpy(inputs["class_label"])).numpy()


def test_batch_buckets_are_powers_of_two_up_to_the_limit():
    assert batch_buckets(1) == [1]
    assert batch_buckets(8) == [1, 2, 4, 8]
    assert batch_buckets(12) == [1, 2, 4, 8, 12]


def test_eager_serving_is_the_module_and_chunks_large_calls():
    dit = class_dit()
    served = GraphedModule(DiTClassExport(dit), ["latent", "timestep", "class_label"], max_batch=4)
    inputs = class_inputs(7)  # two chunks: 4 + 3
    out = served(inputs)
    assert out.dtype == np.float32 and out.shape == (7, 8, 4, 4)
    np.testing.assert_allclose(out, reference(dit, inputs), rtol=1e-5, atol=1e-5)


def test_serving_says_what_is_missing_and_refuses_graphs_without_cuda():
    served = GraphedModule(DiTClassExport(class_dit()), ["latent", "timestep", "class_label"])
    with pytest.raises(KeyError, match="class_label"):
        served({"latent": np.zeros((1, 8, 4, 4), np.float32), "timestep": np.zeros(1, np.float32)})
    if not CUDA:
        with pytest.raises(ValueError, match="CUDA graphs need a CUDA device"):
            GraphedModule(DiTClassExport(class_dit()), ["latent"], "cpu", graphs=True)


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA, reason="needs a CUDA device")
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_graph_replay_equals_eager_in_every_bucket(dtype):
    """Each call size runs its bucket's graph (3 rows: the 4-row graph, one row of stale padding
    dropped) and gives what the eager module gives on the same device and dtype; a second call of
    the same bucket replays the captured graph with the new inputs."""
    dit = class_dit()
    eager = GraphedModule(DiTClassExport(dit), ["latent", "timestep", "class_label"], "cuda", dtype, graphs=False)
    graphed = GraphedModule(DiTClassExport(dit), ["latent", "timestep", "class_label"], "cuda", dtype, max_batch=8)
    tol = 1e-4 if dtype == torch.float32 else 3e-2
    for seed, rows in enumerate([1, 3, 8, 3, 11]):
        inputs = class_inputs(rows, seed)
        want, got = eager(inputs), graphed(inputs)
        scale = np.abs(want).max()
        assert np.abs(got - want).max() <= tol * scale, (rows, dtype)
    assert sorted(k[0] for k in graphed.captured) == [1, 4, 8]  # 11 rows = 8 + 3 (bucket 4)


@pytest.mark.gpu
@pytest.mark.skipif(not CUDA, reason="needs a CUDA device")
def test_graphed_text_dit_with_masks():
    """Text conditioning: bool masks (the null context is all False) go through the static buffers."""
    cfg = get_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=8, input_size=4,
                                        num_classes=0, text_dim=32, text_len=6, learn_sigma=False)
    dit = randomize_(DiT(cfg)).eval()
    names = ["latent", "timestep", "context", "context_mask"]
    eager = GraphedModule(DiTTextExport(dit), names, "cuda", graphs=False)
    graphed = GraphedModule(DiTTextExport(dit), names, "cuda")
    rng = np.random.default_rng(1)
    mask = np.zeros((4, 6), bool)
    mask[:2, :3] = True  # rows 2-3: the null context
    inputs = {"latent": rng.standard_normal((4, 8, 4, 4)).astype(np.float32),
              "timestep": np.array([0.9, 0.5, 0.9, 0.1], np.float32),
              "context": rng.standard_normal((4, 6, 32)).astype(np.float32), "context_mask": mask}
    want, got = eager(inputs), graphed(inputs)
    assert np.isfinite(got).all()
    assert np.abs(got - want).max() <= 1e-4 * np.abs(want).max()
