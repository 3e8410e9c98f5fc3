"""Readable, deterministic forms of dates, types and facts shared by the formats."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from workbench.core.model import ClaimType, Stance

_TYPE_LABELS: dict[str, str] = {
    ClaimType.QUANTITY.value: "Quantity",
    ClaimType.TIME.value: "Time",
    ClaimType.QUOTE.value: "Quote",
    ClaimType.ATTRIBUTION.value: "Attribution",
    ClaimType.COMPARISON.value: "Comparison",
    ClaimType.CAUSAL.value: "Causal",
    ClaimType.PREDICTION.value: "Prediction (not yet checkable)",
    ClaimType.EVENT.value: "Event",
}

STANCE_HEADINGS: dict[Stance, str] = {
    Stance.SUPPORTS: "Supporting",
    Stance.REFUTES: "Refuting",
    Stance.MIXED: "Mixed",
    Stance.CONTEXT: "Context",
}
STANCE_ORDER: tuple[Stance, ...] = (Stance.SUPPORTS, Stance.REFUTES, Stance.MIXED, Stance.CONTEXT)

# Keys a fact parser is likely to use, shown first and in this order; any
# other key follows alphabetically so that output stays deterministic.
_FACT_KIND_KEYS = ("kind", "type")
_FACT_KEY_ORDER = (
    "text",
    "value",
    "unit",
    "hedge",
    "iso",
    "date",
    "resolved",
    "speaker",
    "source",
    "quote",
)
_HIDDEN_FACT_KEYS = frozenset({"start", "end", "span", "spans", "offsets"})


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value is not None else "unknown"


def fmt_datetime(value: datetime | None) -> str:
    """Minutes in UTC: what an editor needs, and stable across time zones."""
    if value is None:
        return "unknown"
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def type_label(name: str) -> str:
    return _TYPE_LABELS.get(name, name.replace("_", " ").capitalize())


def fact_line(fact: dict[str, Any]) -> str:
    """One structured fact as a line a person reads: ``Quantity: value 50000; hedge approx``."""
    kind = next((str(fact[k]) for k in _FACT_KIND_KEYS if fact.get(k)), "")
    shown = [k for k in _FACT_KEY_ORDER if k in fact]
    shown += sorted(
        k
        for k in fact
        if k not in _FACT_KEY_ORDER and k not in _FACT_KIND_KEYS and k not in _HIDDEN_FACT_KEYS
    )
    parts = []
    for key in shown:
        value = fact[key]
        if value is None or value == "":
            continue
        parts.append(f"{key.replace('_', ' ')} {_fact_value(value)}")
    body = "; ".join(parts) if parts else "(no details)"
    return f"{type_label(kind)}: {body}" if kind else body


def _fact_value(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”" if " " in value else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def sentence(text: str) -> str:
    """Text ending in punctuation, so that what the memo appends reads as a new sentence."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…)”\"'" else text + "."


def claims_ref(numbers: tuple[int, ...]) -> str:
    joined = ", ".join(str(n) for n in numbers)
    return f"Claim {joined}" if len(numbers) == 1 else f"Claims {joined}"
