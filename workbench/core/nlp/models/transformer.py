"""The fine-tuned MiniLM check-worthiness model, run as int8 ONNX (the default scorer).

Run time needs only onnxruntime, tokenizers and numpy: torch and transformers
stay development-time tools (``training/``).  Three traps from the trial are
handled here on purpose:

* the bundled ``tokenizer.json`` pads to 128 tokens unless told not to, and
  padded inputs wreck the scores, so padding is switched off and inputs are
  truncated at the length the model was trained with (64);
* dynamically quantised int8 activations shift with batch composition, so
  every sentence is scored on its own: a sentence always gets the same score;
* onnxruntime grabs every core by default; one intra-op thread is the
  default so scoring never starves the UI or spaCy on a 2-core machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.nlp.models.base import THREADS_ENV, TRANSFORMER_NAME

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
REQUIRED_FILES: tuple[str, ...] = (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE)
DEFAULT_MAX_LENGTH = 64


def unavailable_reason(path: Path) -> str | None:
    """Why the model at ``path`` cannot run, judged from files and packages; None if fine."""
    if not path.is_dir():
        return f"weights not found: {path} is missing"
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        return f"weights incomplete: {', '.join(missing)} missing in {path}"
    import importlib.util

    for module, package in (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        if importlib.util.find_spec(module) is None:
            return f"runtime missing: pip install {package}"
    return None


def thread_count() -> int:
    """Intra-op threads: ``$WORKBENCH_SCORER_THREADS`` if a positive integer, else 1."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return 1


class TransformerModel:
    """P(check-worthy) from the int8 ONNX graph (mean pooling + linear head + sigmoid)."""

    name = TRANSFORMER_NAME
    description = "MiniLM check-worthiness (int8 ONNX)"

    def __init__(
        self,
        session: InferenceSession,
        tokenizer: Tokenizer,
        *,
        path: Path,
        config: dict[str, Any],
    ) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self.path = path
        self.config = config
        self._input_names = {i.name for i in session.get_inputs()}
        self._output_name = str(config.get("output_name", session.get_outputs()[0].name))

    @classmethod
    def load(cls, path: Path, *, threads: int | None = None) -> TransformerModel:
        """Load graph, tokenizer and config from ``path``; raises on unusable files."""
        import onnxruntime
        from tokenizers import Tokenizer

        config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError(f"{path / CONFIG_FILE} is not a JSON object")
        max_length = int(config.get("max_length", DEFAULT_MAX_LENGTH))
        tokenizer = Tokenizer.from_file(str(path / TOKENIZER_FILE))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_length)

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads if threads is not None else thread_count()
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        session = onnxruntime.InferenceSession(
            str(path / MODEL_FILE), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(session, tokenizer, path=path, config=config)

    def predict(self, sentences: Sequence[str]) -> list[float]:
        """One probability per sentence, each scored alone (pad-free, batch-independent)."""
        return [self._score_one(sentence) for sentence in sentences]

    def _score_one(self, sentence: str) -> float:
        import numpy as np

        if not sentence.strip():
            return 0.0  # blank text holds no claim (matches the spaCy model)
        encoding = self._tokenizer.encode(sentence)
        ids = np.asarray([encoding.ids], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids}
        if "attention_mask" in self._input_names:
            feeds["attention_mask"] = np.ones_like(ids)
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (probs,) = self._session.run([self._output_name], feeds)
        value = float(np.asarray(probs).reshape(-1)[0])
        return min(1.0, max(0.0, value))
