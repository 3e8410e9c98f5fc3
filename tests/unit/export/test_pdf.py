from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.unit.export.memo_factory import CLAIM_SENTENCES, INJECTIONS, benign_twin, make_memo
from tests.unit.export.pdftext import read_pdf
from workbench.core.export import pdf as pdf_module
from workbench.core.export.fonts import FontSet, memo_fonts
from workbench.core.export.pdf import render_pdf

A4 = (595.27, 841.89)
LETTER = (612.0, 792.0)


def test_pdf_text_holds_every_claim_verdict_and_url() -> None:
    memo = make_memo()
    content = read_pdf(render_pdf(memo))
    text = content.text
    for sentence in CLAIM_SENTENCES[2:]:
        assert sentence in text
    assert "Edited plain words claim" in text
    for claim in memo.claims:
        assert f"Claim {claim.number}: {claim.verdict_label}" in text
        assert claim.location in text
    for source in memo.sources:
        assert source.url in content.compact
    assert "a" * 64 in content.compact
    assert "1" * 64 in content.compact
    for heading in ("Summary", "Claims", "Consistency findings", "Audit", "Sources", "Methodology"):
        assert heading in text
    assert "Warning: not fetched: HTTP 404 plain words" in text
    assert "Verdict contradicted by its own evidence" in text


def test_pdf_links_are_clickable_and_only_http() -> None:
    memo = make_memo()
    content = read_pdf(render_pdf(memo))
    for source in memo.sources:
        assert source.url in content.uris
    assert "https://news.example/summit?a=1&b=2" in content.uris
    assert all(u.startswith("https://") for u in content.uris)
    # Each evidence item's URL line and each source-list entry is a link.
    assert content.uris.count("https://source.example/b") == 3


def test_pdf_page_numbers_say_n_of_m() -> None:
    content = read_pdf(render_pdf(make_memo("many words " * 300)))
    total = len(content.pages)
    assert total >= 2
    for number, page in enumerate(content.pages, start=1):
        assert f"Page {number} of {total}" in " ".join(page.split())


@pytest.mark.parametrize(("paper", "size"), [("A4", A4), ("Letter", LETTER)])
def test_pdf_paper_size(paper: str, size: tuple[float, float]) -> None:
    memo = replace(make_memo(), paper_size=paper)
    content = read_pdf(render_pdf(memo))
    for width, height in content.sizes:
        assert width == pytest.approx(size[0], abs=0.5)
        assert height == pytest.approx(size[1], abs=0.5)


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_pdf_injection_leaves_structure_unchanged(name: str) -> None:
    benign = read_pdf(render_pdf(make_memo(benign_twin(INJECTIONS[name]))))
    hostile = read_pdf(render_pdf(make_memo(INJECTIONS[name])))
    # Same link targets (a paragraph split across pages is a link on each part).
    assert sorted(set(hostile.uris)) == sorted(set(benign.uris))
    assert hostile.internal_links == benign.internal_links == 0
    for content in (benign, hostile):
        for n, label in enumerate(["True", "False", "Mostly true", "No verdict", "No verdict"], 1):
            assert content.text.count(f"Claim {n}: {label}") == 1
        for sentence in CLAIM_SENTENCES[2:]:
            assert sentence in content.text


def test_pdf_keeps_non_latin1_text() -> None:
    payload = "Ελληνικά Привет “quotes” — dash €"
    content = read_pdf(render_pdf(make_memo(payload)))
    fonts = memo_fonts()
    if fonts.regular.startswith("WB-DejaVu"):
        assert payload in content.text
    # Whatever the font, every character is either drawn or spelled out.
    for ch in payload.replace(" ", ""):
        assert ch in content.text or f"[U+{ord(ch):04X}]" in content.text


def test_dejavu_is_used_when_the_system_has_it() -> None:
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.skip("no system DejaVu here")
    assert memo_fonts().regular == "WB-DejaVuSans"


def test_pdf_spells_out_characters_no_font_has() -> None:
    content = read_pdf(render_pdf(make_memo("party 🎉 here")))
    assert "party [U+1F389] here" in content.text or "party 🎉 here" in content.text


def test_pdf_with_a_latin1_only_font_degrades_without_raising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    latin1 = FontSet(
        regular="Helvetica",
        bold="Helvetica-Bold",
        italic="Helvetica-Oblique",
        bold_italic="Helvetica-BoldOblique",
        _covered=frozenset(range(160, 256)),
    )
    monkeypatch.setattr(pdf_module, "memo_fonts", lambda: latin1)
    content = read_pdf(render_pdf(make_memo("Привет café \u200d")))
    assert "[U+041F][U+0440][U+0438][U+0432][U+0435][U+0442] café" in content.text


def test_fontset_markup_uses_fallback_fonts() -> None:
    fonts = FontSet(
        regular="R",
        bold="B",
        italic="I",
        bold_italic="BI",
        fallbacks=(("CJK", frozenset({ord("中")})),),
        _covered=frozenset({ord("é")}),
    )
    assert fonts.markup("é中😀\ufe0f") == 'é<font face="CJK">中</font>[U+1F600]'


def test_pdf_is_reproducible() -> None:
    assert render_pdf(make_memo()) == render_pdf(make_memo())
