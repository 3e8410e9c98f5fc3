"""Reading the CT24 check-worthiness files and scoring predictions against them.

Stdlib only, so the training scripts (run in their own venv) and the
benchmarks under bench/ share one definition of the dev figures they report.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path


def read_tsv(path: Path) -> list[tuple[str, int]]:
    """Rows of (text, label) from a CT24 TSV file (header ``id text label``)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        if header[:3] != ["id", "text", "label"]:
            raise SystemExit(f"{path}: unexpected header {header}")
        return [(row[1], int(row[2])) for row in reader]


def metrics(
    probs: Sequence[float], labels: Sequence[int], threshold: float = 0.5
) -> dict[str, float]:
    """Positive-class precision, recall, F1 at ``threshold`` and average precision."""
    tp = sum(1 for p, y in zip(probs, labels, strict=True) if p >= threshold and y == 1)
    fp = sum(1 for p, y in zip(probs, labels, strict=True) if p >= threshold and y == 0)
    fn = sum(1 for p, y in zip(probs, labels, strict=True) if p < threshold and y == 1)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    # Average precision: mean precision at each positive, ranked by score
    # (ties broken by input order, matching a stable sort).
    order = sorted(range(len(probs)), key=lambda i: -probs[i])
    hits = 0
    ap_sum = 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i] == 1:
            hits += 1
            ap_sum += hits / rank
    return {"precision": prec, "recall": rec, "f1": f1, "ap": ap_sum / max(1, sum(labels))}
