"""What every rule shares: the article context, finding construction, data tables.

A rule is a function ``rule(ctx) -> list[FlagFinding]``.  The context is
built once per article (sentences and date mentions are computed once, not
per rule) and is read-only.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from workbench.core.errors import BugError
from workbench.core.model import FlagFinding
from workbench.core.nlp.temporal import DateMention, sentence_at

DatelineOrigin = Literal["metadata", "text"]
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# Findings that rest on a dateline guessed from the text are a little less
# certain than those resting on the import metadata.
TEXT_DATELINE_FACTOR = 0.9


@dataclass(frozen=True, slots=True)
class Context:
    """One article as the rules see it."""

    text: str
    dateline: date | None
    dateline_origin: DatelineOrigin | None
    dateline_span: tuple[int, int] | None
    sentences: list[tuple[int, int]]
    dates: list[DateMention]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        return sentence_at(self.sentences, pos)

    def dates_in(self, span: tuple[int, int]) -> list[DateMention]:
        return [d for d in self.dates if span[0] <= d.start and d.end <= span[1]]

    def dateline_phrase(self) -> str:
        """How messages name the dateline: "2023-10-17 (dateline found in text: ...)"."""
        if self.dateline is None:
            return "an unknown date"
        if self.dateline_origin == "text" and self.dateline_span is not None:
            s, e = self.dateline_span
            return f"{self.dateline.isoformat()} (dateline found in text: '{self.text[s:e]}')"
        return f"{self.dateline.isoformat()} (dateline from the import metadata)"

    def with_dateline_span(self, *spans: tuple[int, int]) -> tuple[tuple[int, int], ...]:
        """``spans`` plus the dateline's own span when the dateline came from the text."""
        out = list(spans)
        if self.dateline_span is not None and self.dateline_span not in out:
            out.append(self.dateline_span)
        return tuple(out)


def make_finding(
    ctx: Context,
    kind: str,
    message: str,
    spans: tuple[tuple[int, int], ...],
    *,
    confidence: float,
    uses_dateline: bool = True,
) -> FlagFinding:
    """Build a finding with a fingerprint that survives re-runs.

    The fingerprint hashes the kind, the *texts* of the spans (not their
    offsets, so an edit elsewhere in the article does not orphan a
    dismissal) and the dateline used, since a different dateline makes it a
    different finding.
    """
    if uses_dateline and ctx.dateline_origin == "text":
        confidence *= TEXT_DATELINE_FACTOR
    confidence = max(0.0, min(1.0, round(confidence, 3)))
    dl = ctx.dateline if uses_dateline else None
    parts = [kind, dl.isoformat() if dl else "-", *(ctx.text[s:e] for s, e in spans)]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return FlagFinding(
        kind=kind,
        message=message,
        spans=spans,
        confidence=confidence,
        dateline_used=dl,
        fingerprint=f"{kind}:{digest}",
    )


def quote(text: str, limit: int = 90) -> str:
    """A span's text for a message, shortened and on one line."""
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"


@cache
def load_table(name: str) -> dict[str, Any]:
    """A bundled JSON table from resources/data (read once per process)."""
    try:
        raw = (files("workbench.resources") / "data" / name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise BugError(f"bundled data file resources/data/{name} is missing: {exc}") from exc
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise BugError(f"resources/data/{name} must hold a JSON object")
    return data


def parse_iso(raw: str) -> tuple[int, int | None, int | None]:
    """ "1945-09-02" / "1962-10" / "1945" -> (year, month, day)."""
    parts = [int(p) for p in raw.split("-")]
    return (
        parts[0],
        parts[1] if len(parts) > 1 else None,
        parts[2] if len(parts) > 2 else None,
    )


def words_of(text: str) -> list[str]:
    """Lower-cased words, curly apostrophes folded: what cue-word checks compare."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]
