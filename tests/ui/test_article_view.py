"""The article view: highlights by state, flags, offsets, selection, context action."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from workbench.core.model import Article, Claim, Flag, Status, Verdict
from workbench.ui.models.claims_model import STATE_COLOURS, ClaimDisplayRow, ReviewState
from workbench.ui.widgets.article_view import FLAG_COLOUR, ArticleView

TEXT = "Emoji 😀 first. The dam holds 3 billion litres. Officials said it opened in 1999."


def _article() -> Article:
    return Article(id=1, title="Dam", text=TEXT, text_sha256="x")


def _row(
    cid: int, start: int, end: int, *, verdict=None, status=Status.UNCHECKED
) -> ClaimDisplayRow:
    claim = Claim(
        id=cid,
        article_id=1,
        start=start,
        end=end,
        text_extracted=TEXT[start:end],
        text_edited=None,
        score=0.5,
        verdict=verdict,
        status=status,
    )
    return ClaimDisplayRow.build(claim, None)


def _spans(view: ArticleView) -> list[tuple[str, str]]:
    out = []
    for sel in view.extraSelections():
        out.append((sel.cursor.selectedText(), sel.format.background().color().name()))
    return out


def test_highlights_follow_state_and_astral_offsets(qtbot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_article(_article())
    s1 = TEXT.index("The dam")
    e1 = TEXT.index("litres.") + len("litres.")
    s2 = TEXT.index("Officials")
    view.set_claims([_row(1, s1, e1, verdict=Verdict.FALSE), _row(2, s2, len(TEXT))])
    spans = _spans(view)
    # The emoji before the spans takes two UTF-16 units; the text still lines up.
    assert spans[0] == (TEXT[s1:e1], STATE_COLOURS[ReviewState.REFUTED])
    assert spans[1] == (TEXT[s2:], STATE_COLOURS[ReviewState.UNCHECKED])
    view.select_span(s1, e1)
    assert view.selection_span() == (s1, e1)
    assert view.claim_at(s1 + 3) == 1
    assert view.claim_at(TEXT.index("first")) is None


def test_flags_get_a_wavy_underline(qtbot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_article(_article())
    start = TEXT.index("1999")
    flag = Flag(
        id=1,
        article_id=1,
        kind="anachronism",
        message="check the year",
        spans=((start, start + 4),),
    )
    view.set_flags([flag])
    sel = view.extraSelections()[-1]
    assert sel.cursor.selectedText() == "1999"
    assert sel.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert sel.format.underlineColor().name() == FLAG_COLOUR
    dismissed = Flag(id=2, article_id=1, kind="x", message="y", spans=((0, 5),), dismissed=True)
    view.set_flags([dismissed])
    assert view.extraSelections() == []


def test_selected_claim_is_marked_and_add_action_needs_a_selection(qtbot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_article(_article())
    s = TEXT.index("The dam")
    view.set_claims([_row(7, s, s + 7)])
    view.select_claim(7)
    top = view.extraSelections()[-1]
    assert top.format.background().color().name() != STATE_COLOURS[ReviewState.UNCHECKED]
    assert view.textCursor().position() == s + 1  # after the emoji's extra unit
    assert not view.add_claim_action.isEnabled()
    requests: list[tuple[int, int]] = []
    view.add_claim_requested.connect(lambda a, b: requests.append((a, b)))
    view.select_span(0, 5)
    assert view.add_claim_action.isEnabled()
    view.add_claim_action.trigger()
    assert requests == [(0, 5)]


def test_claims_and_flags_are_rebuilt_separately_and_reopening_keeps_the_scroll(qtbot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    article = _article()
    view.set_article(article)
    s = TEXT.index("The dam")
    flag = Flag(id=1, article_id=1, kind="k", message="m", spans=((s, s + 7),))
    view.set_claims([_row(1, s, s + 20)])
    view.set_flags([flag])
    view.set_claims([_row(1, s, s + 20), _row(2, s + 21, s + 30)])  # the flag stays
    assert [sel.cursor.selectedText() for sel in view.extraSelections()] == [
        TEXT[s : s + 20],
        TEXT[s + 21 : s + 30],
        TEXT[s : s + 7],
    ]
    view.set_flags([])  # the claims stay
    assert len(view.extraSelections()) == 2
    # Opening the same article again keeps the cursor; its highlights start over.
    view.select_span(s, s + 3)
    view.set_article(article)
    assert view.selection_span() == (s, s + 3) and view.extraSelections() == []
    view.set_article(Article(id=2, title="Other", text="Other text.", text_sha256="y"))
    assert view.toPlainText() == "Other text." and view.selection_span() is None
