"""Random weights for checks that need non-trivial outputs without a trained checkpoint (equivalence
tests, export checks, speed measurements)."""

import torch


def randomize_(module: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """Give every float tensor (weights, norm affines, BN running stats) random values, so that
    a mapping mistake anywhere shows up in the outputs (and DiT's adaLN-Zero initialisation does
    not make every output zero). Scaled to keep activations moderate."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not t.is_floating_point():
                continue
            if name.endswith("running_var"):
                t.copy_(torch.rand(t.shape, generator=g) + 0.5)
            elif name.endswith(("running_mean", "bias")):
                t.copy_(torch.randn(t.shape, generator=g) * 0.1)
            elif t.dim() == 1:  # norm weights
                t.copy_(1 + torch.randn(t.shape, generator=g) * 0.1)
            else:
                fan_in = t[0].numel()
                t.copy_(torch.randn(t.shape, generator=g) / fan_in**0.5)
    return module


def randomize_by_name_(module: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """As `randomize_`, each tensor from its own generator seeded by its name (and `seed`): two modules with the
    same names and shapes get the same values whatever order they register them in (a reference implementation
    run elsewhere, and ours: `tests/data/taesana/`)."""
    import zlib

    with torch.no_grad():
        for name, t in module.state_dict().items():
            if not t.is_floating_point():
                continue
            g = torch.Generator().manual_seed(zlib.crc32(name.encode()) + seed)
            if name.endswith("bias"):
                t.copy_(torch.randn(t.shape, generator=g) * 0.1)
            elif t.dim() == 1:
                t.copy_(1 + torch.randn(t.shape, generator=g) * 0.1)
            else:
                t.copy_(torch.randn(t.shape, generator=g) / t[0].numel() ** 0.5)
    return module
