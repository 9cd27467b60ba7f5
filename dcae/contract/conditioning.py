"""Guidance's two halves: what a generator is conditioned on, and what stands in the unconditional half.

The one rule, used by the gateway, Triton's generate model and the PyTorch pipelines (`dcae.pipelines`):

- text generators: the conditional half is the prompt's encoding. The unconditional half is
  - the negative prompt's encoding when one is given;
  - SANA (`negative_caption`): otherwise the default negative prompt's (the empty prompt's caption, as
    diffusers' `SanaPipeline`), always encoded by SANA's rule for negative prompts;
  - otherwise "no prompt": an all-False mask, for which the DiT substitutes its learned null context;
  - a generator that embeds the guidance (SANA-Sprint, `embedded_guidance`): none; it takes no negative prompt;
- class generators: the label, and the null class (`num_classes`) for the unconditional half; a prompt is
  mapped to a class by the caller before (`prompt_classes`), since that needs the text encoder;
- unconditional generators: nothing in either half.

The prompt encoder is injected: `encode(text, negative) -> (tokens (1, L, D), mask (1, L))`, where
`negative` asks for the negative prompts' rule. A caller whose encoder is asynchronous (the gateway) encodes
`Conditioning.prompts(...)` first and passes a lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .sana_prompt import DEFAULT_NEGATIVE_PROMPT

Encode = Callable[[str, bool], tuple[np.ndarray, np.ndarray]]


class ConditioningError(ValueError):
    """A request that does not fit the generator's conditioning (a missing prompt or label, a negative prompt for
    a generator without text)."""


@dataclass(frozen=True)
class Conditioning:
    kind: str  # "text", "class" or "none"
    num_classes: int = 0  # class: labels 0 .. num_classes - 1; num_classes is the null class
    negative_caption: bool = False  # text: the unconditional half is always a negative prompt's caption (SANA)
    prompt_classes: bool = False  # class: prompts map to classes (ImageNet generators; says so in errors)
    embedded_guidance: bool = False  # text: guidance is the network's input (SANA-Sprint): no unconditional half

    def __post_init__(self) -> None:
        if self.kind not in ("text", "class", "none"):
            raise ValueError(f"conditioning {self.kind!r}: expected text, class or none")

    @property
    def null_class(self) -> int:
        return self.num_classes

    def negative(self, negative_prompt: str | None) -> str | None:
        """The text of the unconditional half (text generators), or None for "no prompt"."""
        if self.embedded_guidance:
            if negative_prompt:
                raise ConditioningError("this generator embeds the guidance (SANA-Sprint: one pass per step, no "
                                        "unconditional half): it takes no negative prompt")
            return None
        if self.negative_caption:
            return negative_prompt or DEFAULT_NEGATIVE_PROMPT
        return negative_prompt or None

    def prompts(self, prompt: str | None, negative_prompt: str | None) -> list[tuple[str, bool]]:
        """The (text, negative rule) pairs that `conditions` will ask `encode` for."""
        if self.kind != "text" or _missing(prompt):
            return []
        negative = self.negative(negative_prompt)
        return [(prompt, False)] + ([] if negative is None else [(negative, self.negative_caption)])

    def conditions(self, n: int, prompt: str | None, negative_prompt: str | None, class_label: int | None,
                   encode: Encode) -> tuple[dict, dict]:
        """The conditional and the unconditional half's inputs, each of batch n, by the contract's names
        (context + context_mask, or class_label)."""
        if self.kind == "text":
            if _missing(prompt):
                raise ConditioningError("this generator is text-conditioned: give a prompt")
            negative = self.negative(negative_prompt)
            tokens, mask = encode(prompt, False)  # the prompt first, then the negative: callers see that order
            cond, uncond = text_conditions(tokens, mask, n, negative=None if negative is None
                                           else encode(negative, self.negative_caption))
            return (cond, {}) if self.embedded_guidance else (cond, uncond)
        if negative_prompt:
            raise ConditioningError("negative prompts are for text-conditioned generators")
        if self.kind == "class":
            if class_label is None:
                raise ConditioningError("this generator is class-conditional: give a class label"
                                        + (" (or a prompt)" if self.prompt_classes else ""))
            if not 0 <= class_label < self.num_classes:
                raise ConditioningError(f"class_label must be in [0, {self.num_classes}), got {class_label}")
            return class_conditions(class_label, self.null_class, n)
        return {}, {}


def _missing(prompt) -> bool:
    """No prompt: None or the empty string. (Training's sampler passes caption indices, 0 among them.)"""
    return prompt is None or prompt == ""


def text_conditions(tokens: np.ndarray, mask: np.ndarray, n: int,
                    negative: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[dict, dict]:
    """DiT inputs of the conditional and the unconditional half from one prompt's text-encoder tokens
    (1, L, D) and mask (1, L). The unconditional half is the negative prompt's (tokens, mask) when given,
    else "no prompt": an all-False mask, for which the DiT substitutes its learned null context."""
    tokens = np.repeat(tokens.astype(np.float32), n, axis=0)
    mask = np.repeat(mask.astype(bool), n, axis=0)
    if negative is None:
        return ({"context": tokens, "context_mask": mask},
                {"context": np.zeros_like(tokens), "context_mask": np.zeros_like(mask)})
    return ({"context": tokens, "context_mask": mask},
            {"context": np.repeat(negative[0].astype(np.float32), n, axis=0),
             "context_mask": np.repeat(negative[1].astype(bool), n, axis=0)})


def class_conditions(class_label: int, null_class: int, n: int) -> tuple[dict, dict]:
    """DiT inputs of the conditional and the unconditional half for a class label (null class: unconditional)."""
    return ({"class_label": np.full((n,), class_label, np.int64)},
            {"class_label": np.full((n,), null_class, np.int64)})
