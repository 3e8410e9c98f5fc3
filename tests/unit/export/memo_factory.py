"""Hand-built model objects for renderer tests (no database needed).

``make_memo(payload)`` puts ``payload`` into every place a user or a source
can write (titles, rationale, notes, excerpts, sites, flag messages, checker
name), so the injection tests can compare the structure with benign text.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from workbench.core.export.memo import Memo, MemoOptions, MemoSettings, build_memo_model
from workbench.core.model import (
    Article,
    Claim,
    ClaimType,
    Evidence,
    EvidenceView,
    FetchState,
    Flag,
    Snapshot,
    Source,
    Stance,
    Status,
    Verdict,
)

ARTICLE_TEXT = (
    "Leaders met in Beijing on October 17, 2023. The U.S. President was not there.\n"
    "Around 50,000 spectators attended the parade. Officials said 80,000 doves flew.\n"
    "A pact was signed in June 2024. Dr. Smith disagreed! Nobody else did.\n"
)

T0 = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
VERDICT_AT = datetime(2024, 1, 12, 15, 30, tzinfo=UTC)
LATER = datetime(2024, 2, 1, 8, 0, tzinfo=UTC)
MEMO_DATE = date(2024, 3, 1)

CLAIM_SENTENCES = (
    "Leaders met in Beijing on October 17, 2023.",
    "Around 50,000 spectators attended the parade.",
    "Officials said 80,000 doves flew.",
    "A pact was signed in June 2024.",
    "Nobody else did.",
)


def _span(text: str) -> tuple[int, int]:
    start = ARTICLE_TEXT.index(text)
    return start, start + len(text)


def make_memo(
    payload: str = "plain words",
    *,
    url_payload: str | None = None,
    options: MemoOptions | None = None,
) -> Memo:
    """A memo exercising every section: verdicts, evidence of each stance, flags, audit."""
    article = Article(
        id=1,
        title=f"Summit report {payload}",
        text=ARTICLE_TEXT,
        text_sha256="a" * 64,
        outlet=f"Daily {payload}",
        url="https://news.example/summit?a=1&b=2",
        author=f"Jane {payload}",
        dateline=date(2023, 10, 17),
        imported_at=T0,
    )
    url_a = url_payload or "https://source.example/a"
    sources = [
        Source(
            id=10,
            url=url_a,
            normalized_url=url_a,
            title=f"Source A {payload}",
            site=f"site-a {payload}",
            fetch_state=FetchState.FETCHED,
            current_snapshot_id=101,
        ),
        Source(
            id=11,
            url="https://source.example/b",
            normalized_url="https://source.example/b",
            title=f"Source B {payload}",
            site="site-b",
            fetch_state=FetchState.FETCHED,
            current_snapshot_id=111,
        ),
        Source(
            id=12,
            url="https://source.example/c",
            normalized_url="https://source.example/c",
            title=None,
            fetch_state=FetchState.FAILED,
            fetch_error=f"HTTP 404 {payload}",
        ),
    ]
    snapshots = {
        10: [
            _snap(100, 10, T0, "1" * 64, payload),
            _snap(101, 10, LATER, "2" * 64, payload),  # changed after the verdict
        ],
        11: [_snap(111, 11, T0, "3" * 64, payload)],
        12: [],
    }
    claims = []
    for i, sentence in enumerate(CLAIM_SENTENCES):
        start, end = _span(sentence)
        claims.append(
            Claim(
                id=i + 1,
                article_id=1,
                start=start,
                end=end,
                text_extracted=sentence,
                text_edited=None,
                score=0.9 - i * 0.1,
                types=(ClaimType.QUANTITY.value, ClaimType.TIME.value),
                facts=({"kind": "quantity", "value": 50000, "unit": payload, "hedge": "approx"},),
                status=Status.UNCHECKED,
                position=i,
                scorer="cue-test",
            )
        )
    claims[0] = _verdict(claims[0], Verdict.TRUE, payload)  # refuted only -> contradicted
    claims[1] = _verdict(claims[1], Verdict.FALSE, payload)  # no evidence
    claims[2] = _verdict(claims[2], Verdict.MOSTLY_TRUE, payload)  # supported
    claims[3] = Claim(**{**_as_dict(claims[3]), "status": Status.IN_PROGRESS})
    claims[1] = Claim(**{**_as_dict(claims[1]), "text_edited": f"Edited {payload} claim"})
    evidence = {
        1: [_ev(1001, 1, sources[1], Stance.REFUTES, payload, found=False)],
        3: [
            _ev(1003, 3, sources[0], Stance.SUPPORTS, payload, found=True),
            _ev(1004, 3, sources[2], Stance.CONTEXT, payload, found=None),
            _ev(1005, 3, sources[1], Stance.MIXED, payload, found=True),
        ],
        4: [_ev(1006, 4, sources[0], Stance.CONTEXT, payload, found=True)],
    }
    flags = [
        Flag(
            id=1,
            article_id=1,
            kind="anachronism",
            message=f"Pact dated after the dateline {payload}",
            spans=(_span("June 2024"), _span("October 17, 2023")),
            claim_ids=(4,),
            confidence=0.9,
            dateline_used=date(2023, 10, 17),
        ),
        Flag(
            id=2,
            article_id=1,
            kind="numbers_disagree",
            message=f"Dismissed finding {payload}",
            spans=(_span("80,000"),),
            confidence=0.4,
            dismissed=True,
        ),
    ]
    settings = MemoSettings(
        memo_date=MEMO_DATE,
        app_version="0.1.0",
        checker_name=f"Checker {payload}",
        organization="Example Checks",
        scorer=None,
        paper_size="A4",
        review_url="https://checks.example/memo",
    )
    return build_memo_model(
        article,
        claims,
        evidence=evidence,
        snapshots=snapshots,
        flags=flags,
        options=options or MemoOptions(),
        settings=settings,
    )


def _as_dict(claim: Claim) -> dict[str, object]:
    return {name: getattr(claim, name) for name in Claim.__slots__}  # type: ignore[attr-defined]


def _verdict(claim: Claim, verdict: Verdict, payload: str) -> Claim:
    return Claim(
        **{
            **_as_dict(claim),
            "verdict": verdict,
            "status": Status.CHECKED,
            "rationale": f"First reason {payload}.\n\nSecond paragraph {payload}.",
            "verdict_set_at": VERDICT_AT,
        }
    )


def _snap(sid: int, source_id: int, when: datetime, sha: str, payload: str) -> Snapshot:
    return Snapshot(
        id=sid,
        source_id=source_id,
        fetched_at=when,
        final_url=None,
        http_status=200,
        content_type="text/html",
        raw_sha256="f" * 64,
        text=f"page text {payload}",
        text_sha256=sha,
        title=None,
        site=None,
    )


def _ev(
    eid: int, claim_id: int, source: Source, stance: Stance, payload: str, *, found: bool | None
) -> EvidenceView:
    return EvidenceView(
        evidence=Evidence(
            id=eid,
            claim_id=claim_id,
            source_id=source.id,
            stance=stance,
            excerpt=f"Excerpt {payload}",
            note=f"Note {payload}",
            excerpt_found=found,
        ),
        source=source,
    )


INJECTIONS: dict[str, str] = {
    "markdown": (
        "# Heading\n\n- item\n1. one\n> quote\n***\n[link](https://evil.example) **bold** _em_"
    ),
    "html": '<img src="https://evil.example/x.png" onerror="alert(1)"><b>bold</b></div></section>',
    "script": "<script>alert('x')</script></script><style>body{display:none}</style>",
    "javascript": (
        "[click](javascript:alert(1)) <javascript:alert(1)> <a href='javascript:alert(1)'>x</a>"
    ),
    "long_word": "x" * 5000,
    "rtl": "\u202eevil\u202c שלום עולם مرحبا بالعالم",
    "emoji": "🎉🔥👍🏽 family 👨‍👩‍👧 中文 Ελληνικά Привет",
    "backticks": "``` fenced\ncode ``` `tick` ````",
    "pipes": "| a | b |\n|---|---|\n| c | d |",
    "newlines": "line one\nline two\r\n\r\n\r\n## not a heading\n\n\n- not a list",
    "entities": "&lt;script&gt; &amp; &#x3C;b&#x3E; \\ backslash \\",
    "css": "</style><link rel=stylesheet href=https://evil.example/x.css> url(https://evil.example/y)",
    "controls": "nul\x00bell\x07esc\x1b[31m form\x0cfeed",
}


def benign_twin(payload: str) -> str:
    """Harmless text with the payload's whitespace layout.

    A rationale's blank lines legitimately become paragraphs; everything else
    in a payload must not change the memo's structure.
    """
    return re.sub(r"\S+", "word", payload)
