"""URL validation and normalization: what may be attached and what counts as one source."""

from __future__ import annotations

import pytest

from workbench.core.errors import UserInputError
from workbench.core.sources.urls import check_url, normalize_url, validate_url


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("javascript:alert(1)", "'javascript:' is not allowed"),
        ("JavaScript:alert(1)", "'javascript:' is not allowed"),
        ("file:///etc/passwd", "'file:' is not allowed"),
        ("data:text/html,<script>alert(1)</script>", "'data:' is not allowed"),
        ("ftp://ftp.example.com/file.txt", "'ftp:' is not allowed"),
        ("example.com/page", "no http:// or https:// scheme"),
        ("www.example.com", "no http:// or https:// scheme"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("https:example.com", "malformed"),
        ("http://exa mple.com/", "spaces"),
        ("http://[::1", "malformed"),
        ("http://example.com:99999/", "malformed"),
        ("http://user:secret@example.com/", "user name or password"),
        ("http://bad_host!.com/", "invalid host"),
        ("http://-bad.com/", "invalid host"),
    ],
)
def test_rejected_urls_say_why(raw: str, fragment: str) -> None:
    with pytest.raises(UserInputError) as info:
        validate_url(raw)
    assert fragment in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_scheme_less_input_suggests_https() -> None:
    with pytest.raises(UserInputError) as info:
        validate_url("example.com/page")
    assert "https://example.com/page" in info.value.one_line()


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("HTTPS://Example.COM/Path/Case", "https://example.com/Path/Case"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?utm_source=tw&utm_medium=social", "https://example.com/a"),
        ("https://example.com/a?id=7&utm_campaign=x&fbclid=abc", "https://example.com/a?id=7"),
        ("https://example.com/a?GCLID=1&page=2&mc_cid=3&mc_eid=4", "https://example.com/a?page=2"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
        ("https://example.com/a?q=caf%C3%A9", "https://example.com/a?q=caf%C3%A9"),
        ("https://example.com./a", "https://example.com/a"),
        ("http://127.0.0.1:8000/x", "http://127.0.0.1:8000/x"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("  https://example.com/trimmed  ", "https://example.com/trimmed"),
    ],
)
def test_normalization_table(raw: str, normalized: str) -> None:
    checked = check_url(raw)
    assert checked.normalized == normalized
    assert checked.original == raw.strip()


def test_original_is_kept_alongside_normalized() -> None:
    checked = check_url("HTTP://Example.com:80/story?utm_source=x#comments")
    assert checked.original == "HTTP://Example.com:80/story?utm_source=x#comments"
    assert checked.normalized == "http://example.com/story"


def test_normalization_is_idempotent() -> None:
    once = normalize_url("HTTP://Example.com:80/a?x=1&utm_term=z#f")
    assert normalize_url(once) == once
