import pytest
import torch


@pytest.fixture(autouse=True)
def _deterministic_fp32():
    # Parity tolerances assume true fp32 matmuls (reference Sec. 4: TF32 off).
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    yield
