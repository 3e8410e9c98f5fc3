"""Plan how a re-extraction lands on an article that already has claims.

Re-running extraction (a better scorer, a fixed bug) must never cost the
fact-checker their work.  This module only *plans*; the services apply the
plan in one transaction and decide, per orphan, whether it carries user work
(edited text, verdict, rationale, status, evidence) and so must be kept.

Rules:

* Manual claims are never matched, refreshed or orphaned: they are the
  fact-checker's own.  A proposal that overlaps a manual claim heavily is not
  added again (it would be a duplicate the user has to delete); it is listed
  in ``covered_by_manual`` so nothing disappears unreported.
* An automatic claim is matched to at most one proposal and vice versa.
  Pairs are taken greedily by overlap (intersection over union of the
  character spans), best first; a pair counts when the intersection covers
  at least half of the shorter span, or when the texts are identical (the
  article was re-imported and offsets moved).
* Matched claims get fresh machine fields from their proposal; unmatched
  proposals are additions; unmatched automatic claims are orphans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.model import Claim, ExtractedClaim, Origin

MIN_COVER = 0.5
"""Share of the shorter span the overlap must cover for two spans to match."""


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What to do with each existing claim and each proposal.

    ``updates``: (existing auto claim id, proposal) whose machine fields
    (score, types, entities, facts, span, extracted text) should be refreshed.
    ``additions``: proposals to store as new automatic claims.
    ``orphaned``: ids of automatic claims no proposal matches any more.
    ``manual``: ids of manual claims, left untouched.
    ``covered_by_manual``: (manual claim id, proposal) not added because the
    user already holds that span.
    """

    updates: tuple[tuple[int, ExtractedClaim], ...] = ()
    additions: tuple[ExtractedClaim, ...] = ()
    orphaned: tuple[int, ...] = ()
    manual: tuple[int, ...] = ()
    covered_by_manual: tuple[tuple[int, ExtractedClaim], ...] = ()

    @property
    def is_noop(self) -> bool:
        return not (self.updates or self.additions or self.orphaned)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> tuple[float, float]:
    """(intersection over union, intersection over the shorter length) of two spans."""
    inter = min(a_end, b_end) - max(a_start, b_start)
    if inter <= 0:
        return 0.0, 0.0
    union = max(a_end, b_end) - min(a_start, b_start)
    shorter = max(1, min(a_end - a_start, b_end - b_start))
    return inter / union, inter / shorter


def plan_merge(existing: Sequence[Claim], proposed: Sequence[ExtractedClaim]) -> MergePlan:
    """Match proposals to existing automatic claims; see the module docstring."""
    auto = [c for c in existing if c.origin == Origin.AUTO]
    manual = [c for c in existing if c.origin != Origin.AUTO]

    pairs: list[tuple[float, float, int, int]] = []
    for ci, claim in enumerate(auto):
        for pi, prop in enumerate(proposed):
            iou, cover = overlap(claim.start, claim.end, prop.start, prop.end)
            same_text = claim.text_extracted == prop.text
            if cover >= MIN_COVER or same_text:
                # Identical text ranks first, then overlap, then closeness.
                rank = 2.0 if same_text and iou == 1.0 else iou + (1.0 if same_text else 0.0)
                pairs.append((rank, -abs(claim.start - prop.start), ci, pi))
    pairs.sort(reverse=True)

    used_claims: set[int] = set()
    used_props: set[int] = set()
    updates: list[tuple[int, ExtractedClaim]] = []
    for _rank, _dist, ci, pi in pairs:
        if ci in used_claims or pi in used_props:
            continue
        used_claims.add(ci)
        used_props.add(pi)
        updates.append((auto[ci].id, proposed[pi]))

    additions: list[ExtractedClaim] = []
    covered: list[tuple[int, ExtractedClaim]] = []
    for pi, prop in enumerate(proposed):
        if pi in used_props:
            continue
        holder = _manual_holder(manual, prop)
        if holder is not None:
            covered.append((holder, prop))
        else:
            additions.append(prop)

    orphaned = [c.id for ci, c in enumerate(auto) if ci not in used_claims]
    updates.sort(key=lambda u: (u[1].start, u[1].end, u[0]))
    return MergePlan(
        updates=tuple(updates),
        additions=tuple(additions),
        orphaned=tuple(orphaned),
        manual=tuple(c.id for c in manual),
        covered_by_manual=tuple(covered),
    )


def _manual_holder(manual: Sequence[Claim], prop: ExtractedClaim) -> int | None:
    best: tuple[float, int] | None = None
    for claim in manual:
        iou, _cover = overlap(claim.start, claim.end, prop.start, prop.end)
        if iou >= MIN_COVER and (best is None or iou > best[0]):
            best = (iou, claim.id)
    return best[1] if best else None
