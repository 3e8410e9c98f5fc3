"""Diff summaries between snapshot texts, and Wayback addresses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from workbench.core.sources.diff import summarize_diff
from workbench.core.sources.wayback import wayback_save_url, wayback_timestamp, wayback_url

OLD = "Headline\nThe deficit was 3.1% of GDP.\nMinisters met on Monday.\nMore to follow."


def test_identical_texts_have_no_change() -> None:
    summary = summarize_diff(OLD, OLD + "\n\n")
    assert not summary.changed
    assert str(summary) == "no change in the text"


def test_rewritten_paragraph_counts_and_is_quoted() -> None:
    new = OLD.replace("3.1%", "4.2%") + "\nCorrection: an earlier version misstated the deficit."
    summary = summarize_diff(OLD, new)
    assert (summary.added, summary.removed) == (2, 1)
    assert summary.first_change_kind == "changed"
    assert summary.first_change is not None
    assert "4.2%" in summary.first_change
    assert str(summary).startswith("+2 \u22121 paragraphs; first change (changed): ")


def test_removed_paragraph() -> None:
    summary = summarize_diff(OLD, OLD.replace("Ministers met on Monday.\n", ""))
    assert (summary.added, summary.removed) == (0, 1)
    assert summary.first_change_kind == "removed"
    assert summary.first_change == "Ministers met on Monday."
    assert (
        str(summary) == '+0 \u22121 paragraph; first change (removed): "Ministers met on Monday."'
    )


def test_long_change_is_shortened() -> None:
    summary = summarize_diff("a", "a\n" + "word " * 100)
    assert summary.first_change is not None
    assert len(summary.first_change) <= 90
    assert summary.first_change.endswith("\u2026")


def test_wayback_url_uses_utc_timestamp() -> None:
    at = datetime(2024, 5, 3, 12, 30, 5, tzinfo=timezone(timedelta(hours=2)))
    assert wayback_timestamp(at) == "20240503103005"
    assert (
        wayback_url("https://example.com/a?b=1", at=at)
        == "https://web.archive.org/web/20240503103005/https://example.com/a?b=1"
    )
    assert wayback_timestamp(datetime(2024, 1, 2, 3, 4, 5)) == "20240102030405"


def test_wayback_url_without_time_uses_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    url = wayback_url("https://example.com/")
    stamp = url.split("/")[4]
    assert datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC) >= before
    assert (
        wayback_save_url("https://example.com/")
        == "https://web.archive.org/save/https://example.com/"
    )
