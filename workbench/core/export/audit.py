"""The audit: what an editor should look at again before the memo goes out.

Shown in the UI before export and at the end of every memo.  Each finding is
something the fact-checker can act on (attach evidence, revisit a verdict,
re-read a changed page), never a judgement the tool makes for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.export.fmt import fmt_datetime
from workbench.core.export.snapshots import SnapshotChoice
from workbench.core.model import Claim, EvidenceView, JSONValue, Polarity, Stance, StrEnum


class AuditKind(StrEnum):
    NO_EVIDENCE = "no_evidence"
    CONTRADICTED = "contradicted"
    SOURCE_CHANGED = "source_changed"
    EXCERPT_NOT_FOUND = "excerpt_not_found"
    NOT_FETCHED = "not_fetched"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AuditKind.NO_EVIDENCE: "Verdict without evidence",
    AuditKind.CONTRADICTED: "Verdict contradicted by its own evidence",
    AuditKind.SOURCE_CHANGED: "Source changed since the verdict",
    AuditKind.EXCERPT_NOT_FOUND: "Excerpt not found in source",
    AuditKind.NOT_FETCHED: "Evidence not fetched",
}


@dataclass(frozen=True, slots=True)
class AuditItem:
    kind: AuditKind
    claim_id: int
    claim_number: int
    message: str
    source_id: int | None = None
    source_number: int | None = None

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "kind": self.kind.value,
            "label": self.kind.label,
            "claim_id": self.claim_id,
            "claim_number": self.claim_number,
            "source_id": self.source_id,
            "source_number": self.source_number,
            "message": self.message,
        }


def audit_verdict(claim: Claim, number: int, views: Sequence[EvidenceView]) -> list[AuditItem]:
    """Findings about the verdict as a whole."""
    if claim.verdict is None:
        return []
    if not views:
        return [
            AuditItem(
                AuditKind.NO_EVIDENCE,
                claim.id,
                number,
                f"Claim {number} is rated {claim.verdict.label} but cites no source.",
            )
        ]
    stances = {v.evidence.stance for v in views}
    # "Only refuting sources": a mixed or supporting source is some support,
    # context sources say nothing either way, so they do not count.
    polarity = claim.verdict.polarity
    if (
        polarity is Polarity.POSITIVE
        and Stance.REFUTES in stances
        and not (stances & {Stance.SUPPORTS, Stance.MIXED})
    ):
        return [_contradicted(claim, number, "only refuting sources")]
    if (
        polarity is Polarity.NEGATIVE
        and Stance.SUPPORTS in stances
        and not (stances & {Stance.REFUTES, Stance.MIXED})
    ):
        return [_contradicted(claim, number, "only supporting sources")]
    return []


def _contradicted(claim: Claim, number: int, what: str) -> AuditItem:
    label = claim.verdict.label if claim.verdict else ""
    return AuditItem(
        AuditKind.CONTRADICTED, claim.id, number, f"Claim {number} is rated {label} with {what}."
    )


def audit_evidence(
    claim: Claim,
    number: int,
    view: EvidenceView,
    choice: SnapshotChoice,
    *,
    source_number: int,
) -> list[AuditItem]:
    """Findings about one evidence item of a claim."""
    items: list[AuditItem] = []

    def add(kind: AuditKind, message: str) -> None:
        items.append(AuditItem(kind, claim.id, number, message, view.source.id, source_number))

    ref = f"Claim {number}, source [{source_number}]"
    if choice.changed_by is not None:
        add(
            AuditKind.SOURCE_CHANGED,
            f"{ref}: the copy fetched {fmt_datetime(choice.changed_by.fetched_at)} differs "
            "from the one current when the verdict was set.",
        )
    if view.evidence.excerpt_found is False:
        add(AuditKind.EXCERPT_NOT_FOUND, f"{ref}: the excerpt was not found in the saved copy.")
    if choice.not_fetched is not None:
        add(AuditKind.NOT_FETCHED, f"{ref}: not fetched ({choice.not_fetched}).")
    return items
