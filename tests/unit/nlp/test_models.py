"""The trained check-worthiness models, loaded from the weights shipped in resources/.

These run the real int8 ONNX graph and the real spaCy pipeline: a missing or
broken weight file must fail here, not in front of a user.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.core.errors import UserInputError
from workbench.core.nlp import models
from workbench.core.nlp.models import (
    TEXTCAT_NAME,
    TRANSFORMER_NAME,
    ProbabilityModel,
    load_model,
    model_status,
)
from workbench.core.nlp.models.base import MODELS_DIR_ENV, SCORER_ENV, THREADS_ENV

SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "models"

CHECKWORTHY = [
    "The unemployment rate fell to 4.1 percent last year.",
    "We have cut taxes for 95 percent of working families.",
    "Over 15,000 North Korean troops have been deployed to support Russia in Ukraine.",
    "The federal deficit has tripled since 2008.",
]
NOT_CHECKWORTHY = [
    "Thank you very much.",
    "I think we need to move forward together as a nation.",
    "Good evening, everyone.",
    "Let me finish, please.",
]
AWKWARD = [
    "",
    "   ",
    "“Quoted” — with an em dash… and emoji 🎉🚀",
    "北京今天举行了阅兵式，共有五万名观众。",
    "قال الرئيس إن الاقتصاد نما بنسبة ثلاثة في المئة",
    "The budget grew " + "and grew " * 400 + "to 3 trillion dollars.",
]


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(MODELS_DIR_ENV, raising=False)
    monkeypatch.delenv(SCORER_ENV, raising=False)
    monkeypatch.delenv(THREADS_ENV, raising=False)
    models.clear_cache()
    yield
    models.clear_cache()


def test_shipped_weights_present_and_small() -> None:
    onnx = SHIPPED / "minilm-cw" / "model.int8.onnx"
    assert onnx.is_file()
    assert (SHIPPED / "minilm-cw" / "tokenizer.json").is_file()
    assert (SHIPPED / "minilm-cw" / "PROVENANCE.md").is_file()
    assert (SHIPPED / "textcat" / "PROVENANCE.md").is_file()
    for sub in ("minilm-cw", "textcat"):
        size = sum(p.stat().st_size for p in (SHIPPED / sub).rglob("*") if p.is_file())
        assert size < 25 * 1024 * 1024, f"{sub} is {size} bytes"


def test_auto_prefers_transformer() -> None:
    model = load_model()
    assert model is not None
    assert model.name == TRANSFORMER_NAME
    assert "MiniLM" in model.description
    assert isinstance(model, ProbabilityModel)
    assert model_status() == {TRANSFORMER_NAME: "available", TEXTCAT_NAME: "available"}


def test_load_is_cached_and_thread_safe() -> None:
    results: list[ProbabilityModel | None] = []

    def worker() -> None:
        results.append(load_model("transformer"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert all(r is results[0] and r is not None for r in results)
    assert load_model() is results[0]


def _model(preference: str) -> ProbabilityModel:
    model = load_model(preference)
    assert model is not None
    return model


@pytest.mark.parametrize(
    "preference", ["transformer", pytest.param("textcat", marks=pytest.mark.slow)]
)
def test_checkworthy_sentences_score_high(preference: str) -> None:
    scores = _model(preference).predict(CHECKWORTHY)
    assert all(s >= 0.5 for s in scores), list(zip(CHECKWORTHY, scores, strict=True))


@pytest.mark.parametrize(
    "preference", ["transformer", pytest.param("textcat", marks=pytest.mark.slow)]
)
def test_chatter_scores_low(preference: str) -> None:
    scores = _model(preference).predict(NOT_CHECKWORTHY)
    assert all(s < 0.5 for s in scores), list(zip(NOT_CHECKWORTHY, scores, strict=True))


@pytest.mark.parametrize(
    "preference", ["transformer", pytest.param("textcat", marks=pytest.mark.slow)]
)
def test_scores_in_range_for_awkward_text(preference: str) -> None:
    scores = _model(preference).predict(AWKWARD)
    assert len(scores) == len(AWKWARD)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert _model(preference).predict([]) == []


@pytest.mark.parametrize(
    "preference", ["transformer", pytest.param("textcat", marks=pytest.mark.slow)]
)
def test_score_independent_of_batch(preference: str) -> None:
    model = _model(preference)
    batch = CHECKWORTHY + NOT_CHECKWORTHY + AWKWARD
    together = model.predict(batch)
    alone = [model.predict([s])[0] for s in batch]
    reversed_batch = model.predict(batch[::-1])[::-1]
    assert together == alone
    assert together == reversed_batch
    assert model.predict(batch) == together


def test_transformer_thread_count_does_not_change_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    one = _model("transformer").predict(CHECKWORTHY + NOT_CHECKWORTHY)
    models.clear_cache()
    monkeypatch.setenv(THREADS_ENV, "2")
    two = _model("transformer").predict(CHECKWORTHY + NOT_CHECKWORTHY)
    assert one == pytest.approx(two, abs=1e-5)


def test_transformer_truncates_long_sentences() -> None:
    """Everything past 64 tokens is ignored, so a long tail cannot change the score."""
    model = _model("transformer")
    head = "The federal deficit has tripled since 2008 " + "and it grew " * 30
    assert model.predict([head + "yes."]) == model.predict([head + "no, it did not at all."])


def test_empty_models_dir_means_cue_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    assert load_model() is None
    assert load_model("transformer") is None
    assert load_model("textcat") is None
    status = model_status()
    assert set(status) == {TRANSFORMER_NAME, TEXTCAT_NAME}
    assert all(reason.startswith("weights not found") for reason in status.values())


@pytest.mark.slow
def test_falls_back_to_textcat_without_transformer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SHIPPED / "textcat", tmp_path / "textcat")
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    model = load_model()
    assert model is not None
    assert model.name == TEXTCAT_NAME
    status = model_status()
    assert status[TEXTCAT_NAME] == "available"
    assert "minilm-cw" in status[TRANSFORMER_NAME]


@pytest.mark.slow
def test_corrupt_transformer_reports_and_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SHIPPED / "textcat", tmp_path / "textcat")
    shutil.copytree(SHIPPED / "minilm-cw", tmp_path / "minilm-cw")
    (tmp_path / "minilm-cw" / "model.int8.onnx").write_bytes(b"not an onnx graph")
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    model = load_model()
    assert model is not None
    assert model.name == TEXTCAT_NAME
    assert model_status()[TRANSFORMER_NAME].startswith("failed to load")


def test_missing_tokenizer_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SHIPPED / "minilm-cw", tmp_path / "minilm-cw")
    (tmp_path / "minilm-cw" / "tokenizer.json").unlink()
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path))
    assert load_model("transformer") is None
    assert "tokenizer.json missing" in model_status()[TRANSFORMER_NAME]


@pytest.mark.slow
def test_env_var_overrides_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCORER_ENV, "textcat")
    model = load_model()
    assert model is not None
    assert model.name == TEXTCAT_NAME
    # An explicit preference wins over the environment.
    explicit = load_model("transformer")
    assert explicit is not None
    assert explicit.name == TRANSFORMER_NAME
    monkeypatch.setenv(SCORER_ENV, "cues")
    assert load_model() is None


def test_cues_preference_loads_nothing() -> None:
    assert load_model("cues") is None


def test_unknown_preference_is_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserInputError, match="bert"):
        load_model("bert")
    monkeypatch.setenv(SCORER_ENV, "gpt")
    with pytest.raises(UserInputError, match="WORKBENCH_SCORER"):
        load_model()
