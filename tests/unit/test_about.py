"""What the About dialog reports, read from the installed distributions (no Qt)."""

from __future__ import annotations

from email.message import Message

from workbench.core import about


def test_the_shipped_set_is_the_apps_dependency_closure() -> None:
    shipped = {name.lower().replace("_", "-") for name in about.runtime_distributions()}
    for needed in ("claim-workbench", "spacy", "pyside6-essentials", "onnxruntime", "alembic"):
        assert needed in shipped
    # justext asks for lxml[html_clean]: extras a requirement names are followed.
    assert "lxml-html-clean" in shipped
    # Extras of the app itself (test, train) are not: they never ship.
    for dev_only in ("pytest", "mypy", "ruff", "torch", "hypothesis"):
        assert dev_only not in shipped


def test_third_party_components_name_their_licences_and_carry_the_texts() -> None:
    components = {c.name.lower(): c for c in about.third_party()}
    assert "claim-workbench" not in components
    spacy = components["spacy"]
    assert spacy.licence == "MIT"
    assert any("Permission is hereby granted" in text for _name, text in spacy.texts)
    pyside = next(c for name, c in components.items() if name.startswith("pyside6"))
    assert "LGPL-3.0" in pyside.licence
    unknown = [c.name for c in components.values() if c.licence.startswith("unknown")]
    assert unknown == []


def _meta(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


def test_licence_name_prefers_spdx_then_a_short_field_then_classifiers() -> None:
    assert about.licence_name(_meta(License_Expression="MIT", License="whatever")) == "MIT"  # type: ignore[arg-type]
    assert about.licence_name(_meta(License="BSD-3-Clause")) == "BSD-3-Clause"  # type: ignore[arg-type]
    classifiers = ["License :: OSI Approved", "License :: OSI Approved :: Apache Software License"]
    pasted = "Apache License\nVersion 2.0, January 2004\n" + "terms " * 50
    assert about.licence_name(_meta(License=pasted, Classifier=classifiers)) == (  # type: ignore[arg-type]
        "Apache Software License"
    )
    assert about.licence_name(_meta(License=pasted)) == "Apache-2.0"  # type: ignore[arg-type]
    assert about.licence_name(_meta()).startswith("unknown")  # type: ignore[arg-type]


def test_the_apps_licence_and_the_scorers_provenance() -> None:
    assert about.app_licence().startswith("MIT License")
    models = dict(about.provenance())
    assert {"minilm-cw", "textcat"} <= set(models)
    assert "Terms" in models["minilm-cw"] and "CheckThat!" in models["minilm-cw"]


def test_notices_for_what_has_no_python_metadata() -> None:
    titles = [title for title, _text in about.other_notices()]
    assert "Python" in titles
