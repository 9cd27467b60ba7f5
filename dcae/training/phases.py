"""Which parameters train in each phase (Chen et al. 2025, Sec. 3.3), and the train/eval modes that go with it."""

from __future__ import annotations

from dataclasses import dataclass

import torch.nn as nn

from dcae.models.dc_ae import DCAE


@dataclass(frozen=True)
class PhaseDefaults:
    lr: float
    weight_decay: float
    betas: tuple[float, float]
    resolution: int
    gan: bool


PHASES: dict[int, PhaseDefaults] = {
    # AdamW settings as reported in the paper (Sec. 4.1 / App.); resolutions: 256 low, 1024 high.
    1: PhaseDefaults(lr=6.4e-5, weight_decay=0.1, betas=(0.9, 0.999), resolution=256, gan=False),
    2: PhaseDefaults(lr=1.6e-5, weight_decay=1e-3, betas=(0.9, 0.999), resolution=1024, gan=False),
    # Phase 3's weight decay is not reported: torch's AdamW default.
    3: PhaseDefaults(lr=5.4e-5, weight_decay=1e-2, betas=(0.5, 0.9), resolution=256, gan=True),
}


def model_units(model: DCAE) -> dict[str, nn.Module]:
    """The model cut into the units a phase trains or freezes, in forward order. Together they hold
    every parameter exactly once."""
    enc, dec = model.encoder, model.decoder
    units: dict[str, nn.Module] = {"encoder.project_in": enc.project_in}
    units.update({f"encoder.stages.{s}": st for s, st in enumerate(enc.stages)})
    units["encoder.project_out"] = enc.project_out
    units["decoder.project_in"] = dec.project_in
    # The decoder runs deepest stage first.
    units.update({f"decoder.stages.{s}": dec.stages[s] for s in reversed(range(len(dec.stages)))})
    units["decoder.norm_out"] = dec.norm_out
    units["decoder.project_out"] = dec.project_out
    return units


def phase_parameter_groups(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2
                           ) -> dict[str, nn.Module]:
    """The units that train in `phase`; everything else is frozen.

    phase 1: all units.
    phase 2: the end of the encoder (its `adapt_stages` deepest stages + project_out) and the start
             of the decoder (project_in + its `adapt_stages` deepest stages). A decoder stage begins
             with the up-sampling block that feeds it, an encoder stage ends with its down-sampling
             block, so the adapted part is symmetric around the latent. The paper names "the middle
             layers" without a count; 2 of 6 stages is our default.
    phase 3: the decoder head: its `head_stages` shallowest stages (stages[0] is the full-resolution
             one, empty in the "in" presets whose project_out does the last up-sampling) + norm_out
             + project_out.
    """
    units = model_units(model)
    n = len(model.encoder.stages)
    if phase == 1:
        return units
    if phase == 2:
        if not 1 <= adapt_stages <= n:
            raise ValueError(f"adapt_stages must be in 1..{n}, got {adapt_stages}")
        deep = range(n - adapt_stages, n)
        names = ([f"encoder.stages.{s}" for s in deep] + ["encoder.project_out", "decoder.project_in"]
                 + [f"decoder.stages.{s}" for s in reversed(deep)])
    elif phase == 3:
        if not 1 <= head_stages <= n:
            raise ValueError(f"head_stages must be in 1..{n}, got {head_stages}")
        names = [f"decoder.stages.{s}" for s in reversed(range(head_stages))] + ["decoder.norm_out",
                                                                                   "decoder.project_out"]
    else:
        raise ValueError(f"phase must be 1, 2 or 3, got {phase}")
    return {k: units[k] for k in names}


@dataclass(frozen=True)
class PhaseSelection:
    """Parameter counts per unit, trained and frozen (units without parameters omitted)."""

    phase: int
    trained: dict[str, int]
    frozen: dict[str, int]

    @property
    def trained_total(self) -> int:
        return sum(self.trained.values())

    @property
    def frozen_total(self) -> int:
        return sum(self.frozen.values())

    def format(self) -> str:
        total = self.trained_total + self.frozen_total
        lines = [f"phase {self.phase}: training {self.trained_total:,} of {total:,} parameters "
                 f"({100.0 * self.trained_total / max(total, 1):.1f}%) in {len(self.trained)} units"]
        for label, group in (("train ", self.trained), ("frozen", self.frozen)):
            lines += [f"  {label} {name:<24} {count:>12,}" for name, count in group.items()]
        return "\n".join(lines)


def apply_phase(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2) -> PhaseSelection:
    """Set requires_grad for `phase` and report what trains."""
    groups = phase_parameter_groups(model, phase, adapt_stages, head_stages)
    model.requires_grad_(False)
    for module in groups.values():
        module.requires_grad_(True)
    trained, frozen = {}, {}
    for name, module in model_units(model).items():
        count = sum(p.numel() for p in module.parameters())
        if count:
            (trained if name in groups else frozen)[name] = count
    return PhaseSelection(phase, trained, frozen)


def set_train_mode(model: DCAE, phase: int, adapt_stages: int = 2, head_stages: int = 2) -> None:
    """Train mode for the training units only: frozen BatchNorm layers must keep their running
    statistics (in train mode they would normalise with batch statistics and update them)."""
    model.eval()
    for module in phase_parameter_groups(model, phase, adapt_stages, head_stages).values():
        module.train()
