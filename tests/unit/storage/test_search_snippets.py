"""Snippets are cut in Python: matched words marked, a window of words, short texts whole."""

from __future__ import annotations

from workbench.core.storage import sqlite as dialect


def _marked(query: str, text: str) -> str:
    match = dialect.fts_match_expression(query)
    assert match is not None
    pattern = dialect._highlight_pattern(match)
    return dialect._pick_snippet(pattern, text).replace("\x02", "[").replace("\x03", "]")


def test_prefix_and_phrase_words_are_marked() -> None:
    assert _marked("health car", "Health care costs rose; care homes too.") == (
        "[Health] [care] costs rose; [care] homes too."
    )
    assert _marked('"old friend"', "Xi called Putin his old friend.") == (
        "Xi called Putin his [old] [friend]."
    )


def test_long_text_gets_a_window_around_the_first_match() -> None:
    words = [f"w{i}" for i in range(100)]
    words[60] = "pact"
    snippet = _marked("pact", " ".join(words))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "[pact]" in snippet
    assert len(snippet.split()) == dialect.SNIPPET_WORDS


def test_regex_syntax_in_queries_is_inert() -> None:
    assert _marked("a.b* (c", "a b c a.b (c").count("[") >= 1
