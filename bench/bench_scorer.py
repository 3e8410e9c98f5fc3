"""Benchmark the check-worthiness probability models (printed figures, not a test).

Measures, for each shipped model, through the same runtime loaders the app
uses (``workbench.core.nlp.models``):

* dev precision / recall / F1 at the shipped 0.5 threshold and average precision;
* sentences/s on one thread (one sentence at a time, as the app scores) and
  batched (transformer: padded batches of 32 through the same int8 graph,
  shown for comparison only: the app does not batch because int8 scores
  shift with batch composition; textcat: ``nlp.pipe`` in batches of 64);
* int8 vs fp32 dev F1 (fp32 graph from ``training/runs/onnx`` when present,
  else the figures recorded at export time in config.json);
* load time and the install weight that onnxruntime + tokenizers add.

Run from the repository root with the app venv::

    .venv/bin/python bench/bench_scorer.py --write bench/results/scorer.md
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkworthy" / "ct24_en_dev.tsv"
FP32 = Path(__file__).resolve().parents[1] / "training" / "runs" / "onnx" / "model.fp32.onnx"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from cw_data import metrics, read_tsv  # noqa: E402


def read_dev(path: Path) -> tuple[list[str], list[int]]:
    rows = read_tsv(path)
    return [t for t, _ in rows], [y for _, y in rows]


def dist_size(name: str) -> int:
    """Bytes on disk of an installed distribution's files (site-packages footprint)."""
    dist = importlib.metadata.distribution(name)
    total = 0
    for f in dist.files or []:
        p = Path(str(dist.locate_file(f)))
        if p.is_file():
            total += p.stat().st_size
    return total


def batched_transformer(model: Any, texts: list[str], batch: int = 32) -> list[float]:
    """Padded batches through the shipped int8 graph (comparison only)."""
    import numpy as np

    tok = model._tokenizer
    sess = model._session
    out: list[float] = []
    for i in range(0, len(texts), batch):
        encs = [tok.encode(t) for t in texts[i : i + batch]]
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for j, e in enumerate(encs):
            ids[j, : len(e.ids)] = e.ids
            mask[j, : len(e.ids)] = 1
        (probs,) = sess.run(["probability"], {"input_ids": ids, "attention_mask": mask})
        out.extend(float(p) for p in probs.reshape(-1))
    return out


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def fmt(m: dict[str, float]) -> str:
    return " | ".join(f"{m[k]:.3f}" for k in ("precision", "recall", "f1", "ap"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the check-worthiness models.")
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--write", type=Path, help="also write the markdown report here")
    args = parser.parse_args(argv)

    from workbench.core.nlp.models import models_dir
    from workbench.core.nlp.models.base import TEXTCAT_DIRNAME, TRANSFORMER_DIRNAME
    from workbench.core.nlp.models.textcat import TextcatModel
    from workbench.core.nlp.models.transformer import TransformerModel

    texts, labels = read_dev(args.dev)
    n = len(texts)
    lines = [
        "# Check-worthiness scorer benchmark",
        "",
        f"Produced by `.venv/bin/python bench/bench_scorer.py --write bench/results/scorer.md` "
        f"on {time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (shared with other jobs: speeds are indicative).",
        f"Dev split: `ct24_en_dev.tsv`, {n} sentences, {sum(labels)} positive. "
        "Model-only probabilities (no cue layer), threshold 0.5. Dev figures, not test figures.",
        "",
    ]
    base = models_dir()

    # Transformer (default scorer).
    t_model, t_load = timed(TransformerModel.load, base / TRANSFORMER_DIRNAME)
    t_model.predict(texts[:20])  # warm-up
    t_probs, t_secs = timed(t_model.predict, texts)
    b_probs, b_secs = timed(batched_transformer, t_model, texts)
    t2_model = TransformerModel.load(base / TRANSFORMER_DIRNAME, threads=2)
    t2_model.predict(texts[:20])
    _, t2_secs = timed(t2_model.predict, texts)
    t_m = metrics(t_probs, labels)
    b_m = metrics(b_probs, labels)

    # spaCy textcat (fallback).
    c_model, c_load = timed(TextcatModel.load, base / TEXTCAT_DIRNAME)
    c_model.predict(texts[:20])
    c_probs, c_secs = timed(c_model.predict, texts)
    _, c1_secs = timed(lambda: [c_model.predict([t]) for t in texts])
    c_m = metrics(c_probs, labels)
    avg_m = metrics([(a + b) / 2 for a, b in zip(t_probs, c_probs, strict=True)], labels)
    assert [c_model.predict([t])[0] for t in texts[:50]] == c_probs[:50]

    lines += [
        "## Dev quality at 0.5",
        "",
        "| model | precision | recall | F1 | AP |",
        "|---|---|---|---|---|",
        f"| minilm-cw-int8 (default; one sentence at a time) | {fmt(t_m)} |",
        f"| minilm-cw-int8, padded batches of 32 (not used) | {fmt(b_m)} |",
        f"| spacy-textcat (fallback) | {fmt(c_m)} |",
        f"| mean of the two (explored, not shipped) | {fmt(avg_m)} |",
        "",
    ]

    cfg = json.loads((base / TRANSFORMER_DIRNAME / "config.json").read_text(encoding="utf-8"))
    if FP32.is_file():
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.intra_op_num_threads = 1
        fp_sess = onnxruntime.InferenceSession(
            str(FP32), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        fp_model = TransformerModel(
            fp_sess, t_model._tokenizer, path=FP32.parent, config=t_model.config
        )
        fp_probs, fp_secs = timed(fp_model.predict, texts)
        fp_m = metrics(fp_probs, labels)
        src = f"measured now from `{FP32.relative_to(FP32.parents[3])}`"
        fp_speed = f"{n / fp_secs:.0f}"
    else:
        fp_m = cfg["dev_fp32"]
        src = "recorded at export time in config.json (fp32 graph not present)"
        fp_speed = "n/a"
    lines += [
        "## int8 vs fp32 (transformer, dev, one sentence at a time)",
        "",
        "| graph | precision | recall | F1 | AP | sentences/s (1 thread) |",
        "|---|---|---|---|---|---|",
        f"| fp32 | {fmt(fp_m)} | {fp_speed} |",
        f"| int8 (shipped) | {fmt(t_m)} | {n / t_secs:.0f} |",
        "",
        f"F1 gap int8 - fp32: {t_m['f1'] - fp_m['f1']:+.4f} (fp32 {src}).",
        "",
        "## Speed",
        "",
        "| model | mode | sentences/s |",
        "|---|---|---|",
        f"| minilm-cw-int8 | one at a time, 1 intra-op thread (app default) | {n / t_secs:.0f} |",
        f"| minilm-cw-int8 | one at a time, 2 intra-op threads | {n / t2_secs:.0f} |",
        f"| minilm-cw-int8 | padded batches of 32, 1 thread (comparison) | {n / b_secs:.0f} |",
        f"| spacy-textcat | one at a time | {n / c1_secs:.0f} |",
        f"| spacy-textcat | `nlp.pipe` batches of 64 (app path) | {n / c_secs:.0f} |",
        "",
        "## Load time and size",
        "",
        "| model | load time (s) | files on disk (MB) |",
        "|---|---|---|",
    ]
    for name, secs, sub in (
        ("minilm-cw-int8", t_load, TRANSFORMER_DIRNAME),
        ("spacy-textcat", c_load, TEXTCAT_DIRNAME),
    ):
        size = sum(p.stat().st_size for p in (base / sub).rglob("*") if p.is_file())
        lines.append(f"| {name} | {secs:.2f} | {size / 1e6:.1f} |")
    lines += [
        "",
        "textcat load time includes importing spaCy when it is the first thing to load it.",
        "",
        "## Install weight of the transformer runtime",
        "",
        "| distribution | version | installed size (MB) | needed by |",
        "|---|---|---|---|",
    ]
    total = 0
    for name, why in (
        ("onnxruntime", "transformer runtime"),
        ("tokenizers", "transformer runtime"),
        ("flatbuffers", "onnxruntime"),
        ("protobuf", "onnxruntime"),
        ("huggingface-hub", "tokenizers (never called at run time)"),
    ):
        try:
            size = dist_size(name)
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        total += size
        lines.append(f"| {name} | {version} | {size / 1e6:.1f} | {why} |")
    lines += [
        f"| **total** | | **{total / 1e6:.1f}** | |",
        "",
        "numpy is already required by spaCy; huggingface-hub's own dependencies "
        "(httpx, tqdm, ...) are not counted. Sizes are the files recorded in each "
        "distribution's RECORD, measured in this venv's site-packages.",
        "",
    ]
    load1, load5, _ = os.getloadavg()
    lines += [
        f"Machine load average at the end of the run: {load1:.1f} (1 min), {load5:.1f} (5 min) "
        f"on {os.cpu_count()} CPUs.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text(report, encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
