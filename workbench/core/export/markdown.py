"""The memo as CommonMark.

Plain CommonMark only (no tables, no HTML), so it renders the same on GitHub,
GitLab, chat tools and static-site generators.  The output is a pure function
of the memo: no clock, no dict-order surprises, so the same data always gives
a byte-identical file and memos can be diffed and archived.
"""

from __future__ import annotations

from workbench.core.export.escape import md_autolink, md_code, md_inline, paragraphs
from workbench.core.export.fmt import claims_ref, fmt_date, fmt_datetime, percent, sentence
from workbench.core.export.memo import Memo, MemoClaim, MemoEvidence, MemoSource


def render_markdown(memo: Memo) -> bytes:
    """UTF-8 bytes, LF line endings, one trailing newline."""
    out: list[str] = []
    _header(memo, out)
    _summary(memo, out)
    out.append("## Claims")
    out.append("")
    if not memo.claims:
        out.append("No claims match the memo's options.")
        out.append("")
    for claim in memo.claims:
        _claim(claim, out)
    _flags(memo, out)
    _audit(memo, out)
    _sources(memo.sources, out)
    out.append("## Methodology")
    out.append("")
    for para in memo.methodology:
        out.append(para)
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")


def _field(out: list[str], label: str, value: str, indent: str = "") -> None:
    out.append(f"{indent}- **{label}:** {value}")


def _header(memo: Memo, out: list[str]) -> None:
    h = memo.header
    out.append(f"# Verification memo: {md_inline(h.title) or 'Untitled article'}")
    out.append("")
    _field(out, "Outlet", md_inline(h.outlet or "unknown"))
    _field(out, "URL", md_autolink(h.url) if h.url else "none recorded")
    if h.author:
        _field(out, "Author", md_inline(h.author))
    _field(out, "Dateline", fmt_date(h.dateline))
    _field(out, "Imported", fmt_datetime(h.imported_at))
    _field(out, "Article text SHA-256", md_code(h.text_sha256))
    checker = md_inline(h.checker or "not set")
    if h.organization:
        checker += f" ({md_inline(h.organization)})"
    _field(out, "Checked by", checker)
    _field(out, "Memo date", fmt_date(h.memo_date))
    _field(out, "Workbench version", md_inline(h.app_version))
    _field(out, "Check-worthiness scorer", md_inline(h.scorer))
    _field(out, "Claims included", md_inline(h.options))
    out.append("")


def _summary(memo: Memo, out: list[str]) -> None:
    s = memo.summary
    out.append("## Summary")
    out.append("")
    line = f"- {s.included} claims in this memo"
    if s.excluded:
        options = md_inline(memo.header.options)
        line += f" ({s.excluded} of the article's {s.article_claims} left out: {options})"
    out.append(line)
    out.append(f"- Checked: {s.checked}; in progress: {s.in_progress}; unchecked: {s.unchecked}")
    if s.by_verdict:
        out.append("- Verdicts:")
        for vc in s.by_verdict:
            out.append(f"  - {vc.verdict.label}: {vc.count}")
    else:
        out.append("- Verdicts: none yet")
    out.append(f"- Consistency findings: {s.flags_open} open, {s.flags_dismissed} dismissed")
    out.append(f"- Audit findings: {s.audit_items}")
    out.append("")


def _claim(claim: MemoClaim, out: list[str]) -> None:
    out.append(f"### Claim {claim.number}: {claim.verdict_label}")
    out.append("")
    out.append(f"> {md_inline(claim.text)}")
    out.append("")
    _field(out, "Where", claim.location)
    _field(out, "Check-worthiness score", f"{claim.score:.2f}")
    _field(out, "Types", md_inline(", ".join(claim.types)) if claim.types else "none")
    if claim.facts:
        out.append("- **Facts:**")
        for fact in claim.facts:
            out.append(f"  - {md_inline(fact)}")
    _field(out, "Status", claim.status.value.replace("_", " "))
    verdict = claim.verdict_label
    if claim.verdict_set_at is not None:
        verdict += f" (set {fmt_datetime(claim.verdict_set_at)})"
    _field(out, "Verdict", verdict)
    out.append("")
    rationale = paragraphs(claim.rationale)
    if rationale:
        out.append("**Rationale:**")
        out.append("")
        for para in rationale:
            out.append(md_inline(para))
            out.append("")
    if not claim.groups:
        out.append("*No evidence attached.*")
        out.append("")
    for group in claim.groups:
        out.append(f"**{group.heading} evidence:**")
        out.append("")
        for item in group.items:
            _evidence(item, out)
        out.append("")


def _evidence(item: MemoEvidence, out: list[str]) -> None:
    title = md_inline(item.title) if item.title else "Untitled page"
    site = f" ({md_inline(item.site)})" if item.site else ""
    out.append(f"- \\[{item.source_number}\\] {title}{site}")
    ind = "  "
    _field(out, "URL", md_autolink(item.url), ind)
    if item.snapshot_date is not None:
        snap = fmt_datetime(item.snapshot_date)
        if item.snapshot_sha256:
            snap += f", {item.sha_of} SHA-256 {md_code(item.snapshot_sha256)}"
        _field(out, "Snapshot", snap, ind)
    if item.excerpt.strip():
        _field(out, "Excerpt", f"“{md_inline(item.excerpt)}”", ind)
    if item.note.strip():
        _field(out, "Note", md_inline(item.note), ind)
    for warning in item.warnings:
        _field(out, "Warning", md_inline(warning), ind)


def _flags(memo: Memo, out: list[str]) -> None:
    out.append("## Consistency findings")
    out.append("")
    if not memo.flags:
        out.append("None found.")
        out.append("")
        return
    for flag in memo.flags:
        state = "dismissed" if flag.dismissed else "open"
        meta = [state, f"confidence {percent(flag.confidence)}"]
        if flag.dateline_used:
            meta.append(f"dateline used {fmt_date(flag.dateline_used)}")
        message = md_inline(sentence(flag.message))
        line = f"- **{md_inline(flag.kind)}** ({'; '.join(meta)}): {message}"
        if flag.quotes:
            line += " Text: " + "; ".join(f"“{md_inline(q)}”" for q in flag.quotes) + "."
        if flag.claim_numbers:
            line += f" {claims_ref(flag.claim_numbers)}."
        out.append(line)
    out.append("")


def _audit(memo: Memo, out: list[str]) -> None:
    out.append("## Audit")
    out.append("")
    if not memo.audit:
        out.append("Nothing to report.")
        out.append("")
        return
    for item in memo.audit:
        out.append(f"- **{item.kind.label}:** {md_inline(item.message)}")
    out.append("")


def _sources(sources: tuple[MemoSource, ...], out: list[str]) -> None:
    out.append("## Sources")
    out.append("")
    if not sources:
        out.append("No sources cited.")
        out.append("")
        return
    for src in sources:
        title = md_inline(src.title) if src.title else "Untitled page"
        line = f"{src.number}. {title}"
        if src.site:
            line += f" ({md_inline(src.site)})"
        line += f": {md_autolink(src.url)}"
        if src.final_url:
            line += f" (redirected to {md_autolink(src.final_url)})"
        if src.fetch_state.value != "fetched":
            line += f" Not fetched: {md_inline(src.fetch_error or src.fetch_state.value)}."
        out.append(line)
    out.append("")
