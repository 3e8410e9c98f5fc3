"""Internal-consistency checks: what an article contradicts about itself.

No outside knowledge beyond two small bundled tables (historical events,
office terms): each finding sets two places of the same text against each
other, or one place against the article's own date (its dateline).

Public API::

    check_article(text, *, dateline=None) -> ConsistencyReport
    find_dateline(text) -> (date, (start, end)) | None

Rules (one module each): ``anachronism``, ``anniversary``, ``weekday``,
``numbers`` (kinds ``numbers``, ``percentage``, ``parts_exceed_total``) and
``offices`` (kind ``office_term``).  Every rule is conservative: consistent
text must stay quiet, and the shakier a rule, the lower its confidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from workbench.core.model import FlagFinding
from workbench.core.nlp.consistency import anachronism, anniversary, numbers, offices, weekday
from workbench.core.nlp.consistency._common import Context, DatelineOrigin
from workbench.core.nlp.consistency.dateline import find_dateline
from workbench.core.nlp.temporal import find_dates, sentence_spans

__all__ = ["RULES", "ConsistencyReport", "check_article", "find_dateline"]

Rule = Callable[[Context], list[FlagFinding]]

RULES: tuple[tuple[str, Rule], ...] = (
    ("anachronism", anachronism.check),
    ("anniversary", anniversary.check),
    ("weekday", weekday.check),
    ("numbers", numbers.check),
    ("offices", offices.check),
)


@dataclass(frozen=True)
class ConsistencyReport:
    """What :func:`check_article` found, and the dateline it judged by.

    ``dateline_origin`` is ``"metadata"`` when the caller passed a dateline,
    ``"text"`` when it was found in the article (``dateline_span`` then
    says where), ``None`` when there is no dateline at all (the rules that
    need one are skipped).
    """

    dateline: date | None
    dateline_origin: DatelineOrigin | None
    dateline_span: tuple[int, int] | None
    findings: list[FlagFinding] = field(default_factory=list)


def check_article(text: str, *, dateline: date | None = None) -> ConsistencyReport:
    """Run every rule on ``text`` and return the findings, sorted by position.

    ``dateline`` is the article's date from its import metadata; without it
    the date is looked for in the text with :func:`find_dateline`.
    """
    origin: DatelineOrigin | None
    span: tuple[int, int] | None = None
    if dateline is not None:
        origin = "metadata"
    else:
        found = find_dateline(text)
        if found is None:
            origin = None
        else:
            dateline, span = found
            origin = "text"
    ctx = Context(
        text=text,
        dateline=dateline,
        dateline_origin=origin,
        dateline_span=span,
        sentences=sentence_spans(text),
        dates=find_dates(text, dateline=dateline),
    )
    findings: dict[str, FlagFinding] = {}
    for _name, rule in RULES:
        for f in rule(ctx):
            findings.setdefault(f.fingerprint, f)
    ordered = sorted(findings.values(), key=lambda f: (min(s for s, _ in f.spans), f.kind))
    return ConsistencyReport(
        dateline=dateline, dateline_origin=origin, dateline_span=span, findings=ordered
    )
