"""JSON shapes of the CLI.  Outside tools rely on these names: add, never rename."""

from __future__ import annotations

from typing import Any

from workbench.core.model import (
    Article,
    ArticleSummary,
    Claim,
    EvidenceView,
    ExtractedClaim,
    Flag,
    FlagFinding,
    HistoryEntry,
)


def article_json(a: Article, *, with_text: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.id,
        "title": a.title,
        "outlet": a.outlet,
        "url": a.url,
        "author": a.author,
        "dateline": a.dateline.isoformat() if a.dateline else None,
        "language": a.language,
        "imported_at": a.imported_at.isoformat() if a.imported_at else None,
        "text_sha256": a.text_sha256,
        "length": len(a.text),
    }
    if with_text:
        out["text"] = a.text
    return out


def summary_json(s: ArticleSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "outlet": s.outlet,
        "dateline": s.dateline.isoformat() if s.dateline else None,
        "imported_at": s.imported_at.isoformat() if s.imported_at else None,
        "claims_total": s.claims_total,
        "claims_checked": s.claims_checked,
    }


def claim_json(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "text_extracted": c.text_extracted,
        "text_edited": c.text_edited,
        "score": round(c.score, 4),
        "scorer": c.scorer,
        "types": list(c.types),
        "entities": [e.to_json() for e in c.entities],
        "facts": list(c.facts),
        "origin": c.origin.value,
        "status": c.status.value,
        "verdict": c.verdict.value if c.verdict else None,
        "rationale": c.rationale,
        "position": c.position,
        "verdict_set_at": c.verdict_set_at.isoformat() if c.verdict_set_at else None,
    }


def evidence_json(v: EvidenceView) -> dict[str, Any]:
    e, s = v.evidence, v.source
    return {
        "id": e.id,
        "stance": e.stance.value,
        "excerpt": e.excerpt,
        "note": e.note,
        "excerpt_found": e.excerpt_found,
        "added_at": e.added_at.isoformat() if e.added_at else None,
        "source": {
            "id": s.id,
            "url": s.url,
            "normalized_url": s.normalized_url,
            "final_url": s.final_url,
            "title": s.title,
            "site": s.site,
            "author": s.author,
            "published": s.published,
            "fetch_state": s.fetch_state.value,
            "fetch_error": s.fetch_error,
            "fetched_at": s.fetched_at.isoformat() if s.fetched_at else None,
            "http_status": s.http_status,
            "raw_sha256": s.raw_sha256,
            "text_sha256": s.text_sha256,
        },
    }


def flag_json(f: Flag) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "message": f.message,
        "spans": [list(s) for s in f.spans],
        "claim_ids": list(f.claim_ids),
        "confidence": round(f.confidence, 3),
        "dismissed": f.dismissed,
        "dateline_used": f.dateline_used.isoformat() if f.dateline_used else None,
    }


def extracted_json(c: ExtractedClaim) -> dict[str, Any]:
    """An extracted claim that is not stored (``extract SOURCE``): same keys, no id."""
    return {
        "id": None,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "score": round(c.score, 4),
        "types": list(c.types),
        "entities": [e.to_json() for e in c.entities],
        "facts": list(c.facts),
        "status": "unchecked",
        "verdict": None,
    }


def finding_json(f: FlagFinding) -> dict[str, Any]:
    """A consistency finding that is not stored: the keys of :func:`flag_json`."""
    return {
        "id": None,
        "kind": f.kind,
        "message": f.message,
        "spans": [list(s) for s in f.spans],
        "claim_ids": [],
        "confidence": round(f.confidence, 3),
        "dismissed": False,
        "dateline_used": f.dateline_used.isoformat() if f.dateline_used else None,
    }


def history_json(h: HistoryEntry) -> dict[str, Any]:
    """One history entry; the shape team mode's change feed will carry too."""
    return {
        "id": h.id,
        "at": h.at.isoformat(),
        "actor": h.actor,
        "kind": h.kind,
        "summary": h.summary,
        "article_id": h.article_id,
        "claim_ids": list(h.claim_ids),
    }
