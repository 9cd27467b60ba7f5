"""ImageNet-1k class names and text-prompt -> nearest-class lookup, without torch.

A class-conditional generator (DiT on ImageNet) answers a free-text prompt with the ImageNet class
whose prompt "a photo of a {name}" is nearest in the text encoder's pooled embedding space. The
names come from timm's WordNet lemma lists (provenance and license: `dcae/assets/README.md`).

Both backends share this module: `encode_pooled` is any function prompts -> (N, D) unit vectors,
the torch `TextEncoder` or the ONNX model behind the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

CLASS_NAMES_FILE = Path(__file__).resolve().parent.parent / "assets" / "imagenet_classes.txt"
CLASS_TABLE_FILE = "imagenet_classes.npz"  # a `ClassTable` in the model repository (`dcae export`)
NUM_CLASSES = 1000
PROMPT_TEMPLATE = "a photo of a {}"  # CLIP's ImageNet zero-shot template


@lru_cache(maxsize=1)
def class_names() -> tuple[str, ...]:
    """The 1000 names in class-index order (0 = "tench", 999 = "toilet tissue")."""
    names = tuple(CLASS_NAMES_FILE.read_text(encoding="utf-8").splitlines())
    if len(names) != NUM_CLASSES:
        raise ValueError(f"{CLASS_NAMES_FILE} has {len(names)} lines, expected {NUM_CLASSES}")
    return names


def class_prompts(template: str = PROMPT_TEMPLATE) -> list[str]:
    return [template.format(name) for name in class_names()]


def class_embeddings(
    encode_pooled: Callable[[list[str]], np.ndarray],
    cache_path: Path | None = None,
    template: str = PROMPT_TEMPLATE,
    batch_size: int = 200,
) -> np.ndarray:
    """The (1000, D) float32 pooled embeddings of the 1000 class prompts.

    With `cache_path` (.npz), a cache written for the same prompts is read back instead of
    re-encoding; the cache stores its prompts, so a changed template or list invalidates it. The
    cache does not know which encoder wrote it: use one file per encoder.
    """
    prompts = class_prompts(template)
    if cache_path is not None and Path(cache_path).is_file():
        with np.load(cache_path) as cached:
            if cached["prompts"].tolist() == prompts:
                return cached["embeddings"].astype(np.float32)
    batches = [prompts[i : i + batch_size] for i in range(0, len(prompts), batch_size)]
    embeddings = np.concatenate([np.asarray(encode_pooled(batch), dtype=np.float32) for batch in batches])
    if cache_path is not None:
        Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache_path, prompts=np.array(prompts), embeddings=embeddings)
    return embeddings


@dataclass(frozen=True)
class ClassTable:
    """Class names and the pooled text embeddings of their prompts: what maps a prompt to a class.
    `dcae export` writes one beside the text encoder of an ImageNet generator, so that the gateway and
    Triton's generate model need neither torch nor the names file."""

    names: tuple[str, ...]
    embeddings: np.ndarray  # (len(names), D) float32

    @classmethod
    def imagenet(cls, embeddings: np.ndarray) -> ClassTable:
        return cls(class_names(), np.asarray(embeddings, dtype=np.float32))

    @classmethod
    def load(cls, path: str | Path) -> ClassTable:
        with np.load(path) as data:
            names, embeddings = tuple(str(n) for n in data["names"]), data["embeddings"].astype(np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != len(names):
            raise ValueError(f"{path}: {len(names)} names but embeddings of shape {embeddings.shape}")
        return cls(names, embeddings)

    def save(self, path: str | Path) -> None:
        np.savez(path, names=np.array(self.names), embeddings=self.embeddings)

    def nearest(self, pooled_prompt: np.ndarray) -> tuple[int, str, float]:
        """(index, name, cosine) of the class whose embedding is nearest to one prompt's (D,) or (1, D)
        pooled embedding; neither needs to be normalised."""
        query = np.asarray(pooled_prompt, dtype=np.float64).reshape(-1)
        table = np.asarray(self.embeddings, dtype=np.float64)
        if table.shape[1] != query.shape[0]:
            raise ValueError(f"class embeddings of width {table.shape[1]}, a prompt embedding of {query.shape[0]}")
        cosines = table @ query / (np.linalg.norm(table, axis=1) * np.linalg.norm(query) + 1e-12)
        index = int(np.argmax(cosines))
        return index, self.names[index], float(cosines[index])


def nearest_class(pooled_prompt: np.ndarray, class_embeddings: np.ndarray) -> tuple[int, str, float]:
    """(index, name, cosine) of the ImageNet class nearest to one prompt: `class_embeddings` (1000, D)
    from `class_embeddings`; torch CPU tensors work too."""
    table = np.asarray(class_embeddings, dtype=np.float32)
    if table.shape[0] != NUM_CLASSES:
        raise ValueError(f"class_embeddings must be ({NUM_CLASSES}, D), got {table.shape}")
    return ClassTable.imagenet(table).nearest(pooled_prompt)
