from pathlib import Path

import pytest
import torch


@pytest.fixture(autouse=True)
def _deterministic_fp32():
    # Parity tolerances assume true fp32 matmuls (reference Sec. 4: TF32 off).
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    yield


@pytest.fixture
def one_thread():
    """Tiny models: one intra-op thread is as fast as several on an idle machine and far faster on a
    busy one (OpenMP threads spin-waiting on shared cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tiny_repository(tmp_path_factory) -> Path:
    """A model repository exported from tiny random models (a text-conditioned flow DiT on
    dc-ae-f32c32-tiny), shared by every test that runs a gateway or a Triton server on it."""
    from dcae.checkpoint import save_pretrained
    from dcae.diffusion import Objective
    from dcae.generator import save_generator
    from dcae.models.dc_ae import create_model
    from dcae.models.dit import DiT, get_config
    from export.repository import export_repository

    root = tmp_path_factory.mktemp("svc")
    torch.manual_seed(0)
    save_pretrained(create_model("dc-ae-f32c32-tiny"), root / "ae")
    dit = DiT(get_config("DiT-S/1").replace(depth=2, hidden_size=64, num_heads=2, in_channels=32, input_size=2,
                                            num_classes=0, text_dim=384, learn_sigma=False))
    save_generator(dit, Objective("flow"), root / "gen", autoencoder_path="../ae", text_encoder="all-MiniLM-L6-v2")
    export_repository(root / "repo", generator=root / "gen", log=lambda *a: None)
    return root / "repo"
