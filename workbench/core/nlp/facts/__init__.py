"""Structured facts found inside a claim: quantities, dates, quotes, attributions.

Every fact is a JSON dict with a ``kind`` key ("quantity", "date", "quote",
"attribution") and article character offsets ``start``/``end``, so the UI can
highlight it and the consistency checker can compare facts across claims.
Dates come from :mod:`workbench.core.nlp.temporal` (shared with the
consistency checker, so both read a date the same way); this package only
turns them into claim facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.nlp.temporal import DateMention


def date_fact(mention: DateMention) -> dict[str, Any]:
    """A temporal mention as a claim fact.

    ``date_kind`` says what was written (absolute, weekday, anniversary...);
    ``resolved_from`` is "text" when the text says the date outright and
    "dateline" when a relative expression was resolved against the article's
    dateline; ``iso`` is None when neither was possible.
    """
    fact: dict[str, Any] = {
        "kind": "date",
        "date_kind": mention.kind,
        "text": mention.text,
        "iso": mention.iso,
        "resolved_from": mention.resolved_from,
        "start": mention.start,
        "end": mention.end,
    }
    optional: dict[str, Any] = {
        "weekday": mention.weekday,
        "tense": mention.tense,
        "amount": mention.amount,
        "unit": mention.unit,
        "event": mention.event,
    }
    fact.update({k: v for k, v in optional.items() if v is not None})
    return fact
