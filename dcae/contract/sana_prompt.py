"""SANA's prompt handling, without torch: what the PyTorch pipeline and the gateway (ONNX Gemma-2) share.

SANA conditions on the last hidden states of a Gemma-2 decoder over the prompt. As the releases were
trained and as diffusers' `SanaPipeline` samples:

- the prompt is lower-cased and stripped, and prefixed with the "complex human instruction" (the lines
  below joined by newlines), which asks the language model to enrich the prompt;
- it is tokenised with the release's `tokenizer.json` (<bos> first), truncated and right-padded to
  `max_sequence_length` (300) + the instruction's tokens - 2;
- of the encoder's hidden states (and the mask) the first token and the last `max_sequence_length` - 1 are
  kept: `select_index = [0, -299, ..., -1]`, so the caption the transformer sees is 300 tokens;
- the negative prompt (default "", the unconditional half of guidance) is lower-cased, without the
  instruction, padded to `max_sequence_length` and kept whole.

`SanaPrompting.tokenize(prompts)` -> ids and masks for the encoder, `SanaPrompting.select(states, mask)` the
kept positions (numpy or torch: only indexing).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MAX_SEQUENCE_LENGTH = 300
DEFAULT_NEGATIVE_PROMPT = ""  # SanaPipeline's: guidance's unconditional half is the empty prompt's caption

# The default of the releases (diffusers' SanaPipeline and NVlabs/Sana's inference configs).
COMPLEX_HUMAN_INSTRUCTION = (
    "Given a user prompt, generate an 'Enhanced prompt' that provides detailed visual descriptions suitable for "
    "image generation. Evaluate the level of detail in the user prompt:",
    "- If the prompt is simple, focus on adding specifics about colors, shapes, sizes, textures, and spatial "
    "relationships to create vivid and concrete scenes.",
    "- If the prompt is already detailed, refine and enhance the existing details slightly without "
    "overcomplicating.",
    "Here are examples of how to transform or refine prompts:",
    "- User Prompt: A cat sleeping -> Enhanced: A small, fluffy white cat curled up in a round shape, sleeping "
    "peacefully on a warm sunny windowsill, surrounded by pots of blooming red flowers.",
    "- User Prompt: A busy city street -> Enhanced: A bustling city street scene at dusk, featuring glowing street "
    "lamps, a diverse crowd of people in colorful clothing, and a double-decker bus passing by towering glass "
    "skyscrapers.",
    "Please generate only the enhanced description for the prompt below and avoid including any additional "
    "commentary or evaluations:",
    "User Prompt: ",
)


# A release's tokenizer.json (Gemma's: 256,000 entries, 17 MB) takes a while to read: each is read once per
# setting, and the instances are shared (encoding does not change them).
@lru_cache(maxsize=16)
def _tokenizer(path: str, length: int | None, pad_token: str | None) -> Tokenizer:
    """Truncating and right-padding to `length` tokens; None: neither."""
    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    if length is not None:
        pad_id = tokenizer.token_to_id(pad_token)
        if pad_id is None:
            raise ValueError(f"{path} has no pad token {pad_token!r}")
        tokenizer.enable_truncation(max_length=length)
        tokenizer.enable_padding(length=length, pad_id=pad_id, pad_token=pad_token, direction="right")
    return tokenizer


@lru_cache(maxsize=16)
def _token_count(path: str, text: str) -> int:
    return len(_tokenizer(path, None, None).encode(text).ids)


@dataclass(frozen=True)
class SanaPrompting:
    """A release's tokenizer and SANA's prompt rules. `instruction` None: prompts without it."""

    tokenizer_path: str
    max_sequence_length: int = MAX_SEQUENCE_LENGTH
    instruction: tuple[str, ...] | None = COMPLEX_HUMAN_INSTRUCTION
    pad_token: str = "<pad>"

    @classmethod
    def from_release(cls, tokenizer_dir: str | Path, use_instruction: bool = True,
                     max_sequence_length: int = MAX_SEQUENCE_LENGTH) -> SanaPrompting:
        """From a release's `tokenizer/` folder (its tokenizer.json and, for the pad token, its
        tokenizer_config.json or special_tokens_map.json)."""
        import json

        directory = Path(tokenizer_dir)
        path = directory / "tokenizer.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: a SANA release's tokenizer/ holds tokenizer.json")
        pad = "<pad>"
        for name in ("tokenizer_config.json", "special_tokens_map.json"):
            if (directory / name).is_file():
                value = json.loads((directory / name).read_text()).get("pad_token")
                if value:
                    pad = value["content"] if isinstance(value, dict) else value
                    break
        return cls(str(path), max_sequence_length, COMPLEX_HUMAN_INSTRUCTION if use_instruction else None, pad)

    def to_metadata(self) -> dict:
        """The rules as the repository metadata records them (the tokenizer travels as a file beside it)."""
        return {"max_sequence_length": self.max_sequence_length, "pad_token": self.pad_token,
                "instruction": list(self.instruction) if self.instruction else None}

    @classmethod
    def from_metadata(cls, tokenizer_path: str | Path, rules: dict) -> SanaPrompting:
        instruction = rules.get("instruction")
        return cls(str(tokenizer_path), int(rules["max_sequence_length"]),
                   tuple(instruction) if instruction else None, rules.get("pad_token", "<pad>"))

    @property
    def instruction_text(self) -> str:
        return "\n".join(self.instruction) if self.instruction else ""

    def encoder_length(self, negative: bool = False) -> int:
        """Tokens the text encoder sees per prompt."""
        if negative or not self.instruction:
            return self.max_sequence_length
        return _token_count(self.tokenizer_path, self.instruction_text) + self.max_sequence_length - 2

    def tokenize(self, prompts: list[str], negative: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Prompts -> (input_ids, attention_mask), int64 (N, encoder_length). `negative`: the negative
        prompts' rule (no instruction)."""
        if isinstance(prompts, str):
            raise TypeError("tokenize takes a list of prompts, not a single string")
        length = self.encoder_length(negative)
        prefix = "" if negative else self.instruction_text
        tokenizer = _tokenizer(self.tokenizer_path, length, self.pad_token)
        encodings = tokenizer.encode_batch([prefix + p.lower().strip() for p in prompts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64).reshape(len(prompts), length)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64).reshape(len(prompts), length)
        return ids, mask

    def selected(self, length: int, negative: bool = False) -> list[int]:
        """The kept positions of an encoder output of `length` tokens: [0] + the last max_sequence_length - 1
        (the prompt with its instruction); all of them (negative prompts)."""
        if negative or not self.instruction:
            return list(range(length))
        return [0] + list(range(length - self.max_sequence_length + 1, length))

    def select(self, states, mask, negative: bool = False):
        """(N, L, D) hidden states and (N, L) mask -> the caption the transformer sees (N, 300, D), (N, 300)."""
        index = self.selected(mask.shape[1], negative)
        return states[:, index], mask[:, index]
