"""The memo as one self-contained HTML file.

Inline CSS only: no scripts, no fonts, images or style sheets from anywhere,
so the file opens the same offline, in a mail client or in an archive years
from now.  A Content-Security-Policy meta tag forbids scripts and remote
loads as a second line of defence behind the escaping.  User text is wrapped
with ``dir="auto"`` so right-to-left quotes display correctly without
reordering the memo around them.
"""

from __future__ import annotations

from workbench.core.export.escape import paragraphs, safe_url, xml_attr, xml_text
from workbench.core.export.fmt import claims_ref, fmt_date, fmt_datetime, percent, sentence
from workbench.core.export.memo import Memo, MemoClaim, MemoEvidence, MemoSource

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"

_CSS = """
body { font: 15px/1.5 Georgia, "DejaVu Serif", serif; color: #1a1a1a; max-width: 48em;
  margin: 2em auto; padding: 0 1em; overflow-wrap: anywhere; }
h1 { font-size: 1.6em; margin-bottom: .3em; }
h2 { border-bottom: 1px solid #bbb; margin-top: 2em; }
h3 { margin-top: 1.6em; }
h4 { margin: 1em 0 .3em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
blockquote { margin: .5em 0; padding: .4em 1em; border-left: 4px solid #888; background: #f4f4f4; }
code { font: .85em "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.verdict { display: inline-block; padding: 0 .4em; border: 1px solid #555; border-radius: 3px; }
.warning { color: #8a1c00; font-weight: bold; }
.dismissed { color: #666; }
ul.evidence > li { margin-bottom: .6em; }
@media print { body { max-width: none; margin: 0; } a { color: inherit; } }
"""


def render_html(memo: Memo) -> bytes:
    """UTF-8 bytes of a complete HTML5 document."""
    h = memo.header
    title = xml_text(h.title or "Untitled article")
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{xml_attr(_CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Verification memo: {title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f'<h1>Verification memo: <span dir="auto">{title}</span></h1>',
    ]
    _header(memo, out)
    _summary(memo, out)
    out.append("<h2>Claims</h2>")
    if not memo.claims:
        out.append("<p>No claims match the memo's options.</p>")
    for claim in memo.claims:
        _claim(claim, out)
    _flags(memo, out)
    _audit(memo, out)
    _sources(memo.sources, out)
    out.append("<h2>Methodology</h2>")
    out.extend(f"<p>{xml_text(p)}</p>" for p in memo.methodology)
    out.extend(["</body>", "</html>"])
    return ("\n".join(out) + "\n").encode("utf-8")


def _user(text: str) -> str:
    """User or source text: escaped, isolated for bidi."""
    return f'<span dir="auto">{xml_text(" ".join(text.split()))}</span>'


def _link(url: str | None) -> str:
    """A link for http(s) URLs; anything else (javascript:, data:) as inert text."""
    if not url:
        return "none recorded"
    href = safe_url(url)
    if href is None:
        return f"<code>{xml_text(url)}</code> (not a web address)"
    return f'<a href="{xml_attr(href)}" rel="noopener noreferrer nofollow">{xml_text(url)}</a>'


def _dl(out: list[str], rows: list[tuple[str, str]]) -> None:
    out.append('<dl class="meta">')
    for label, value in rows:
        out.append(f"<dt>{label}</dt><dd>{value}</dd>")
    out.append("</dl>")


def _header(memo: Memo, out: list[str]) -> None:
    h = memo.header
    checker = _user(h.checker or "not set")
    if h.organization:
        checker += f" ({_user(h.organization)})"
    rows = [
        ("Outlet", _user(h.outlet or "unknown")),
        ("URL", _link(h.url)),
    ]
    if h.author:
        rows.append(("Author", _user(h.author)))
    rows += [
        ("Dateline", fmt_date(h.dateline)),
        ("Imported", fmt_datetime(h.imported_at)),
        ("Article text SHA-256", f"<code>{xml_text(h.text_sha256)}</code>"),
        ("Checked by", checker),
        ("Memo date", fmt_date(h.memo_date)),
        ("Workbench version", xml_text(h.app_version)),
        ("Check-worthiness scorer", xml_text(h.scorer)),
        ("Claims included", xml_text(h.options)),
    ]
    _dl(out, rows)


def _summary(memo: Memo, out: list[str]) -> None:
    s = memo.summary
    out.append("<h2>Summary</h2>")
    out.append("<ul>")
    line = f"{s.included} claims in this memo"
    if s.excluded:
        line += (
            f" ({s.excluded} of the article's {s.article_claims} left out: "
            f"{xml_text(memo.header.options)})"
        )
    out.append(f"<li>{line}</li>")
    out.append(
        f"<li>Checked: {s.checked}; in progress: {s.in_progress}; unchecked: {s.unchecked}</li>"
    )
    if s.by_verdict:
        items = "".join(f"<li>{vc.verdict.label}: {vc.count}</li>" for vc in s.by_verdict)
        out.append(f"<li>Verdicts:<ul>{items}</ul></li>")
    else:
        out.append("<li>Verdicts: none yet</li>")
    out.append(f"<li>Consistency findings: {s.flags_open} open, {s.flags_dismissed} dismissed</li>")
    out.append(f'<li>Audit findings: <a href="#audit">{s.audit_items}</a></li>')
    out.append("</ul>")


def _claim(claim: MemoClaim, out: list[str]) -> None:
    out.append(f'<section id="claim-{claim.claim_id}">')
    out.append(f'<h3>Claim {claim.number}: <span class="verdict">{claim.verdict_label}</span></h3>')
    out.append(f'<blockquote dir="auto">{xml_text(" ".join(claim.text.split()))}</blockquote>')
    verdict = claim.verdict_label
    if claim.verdict_set_at is not None:
        verdict += f" (set {fmt_datetime(claim.verdict_set_at)})"
    rows = [
        ("Where", claim.location),
        ("Check-worthiness score", f"{claim.score:.2f}"),
        ("Types", _user(", ".join(claim.types)) if claim.types else "none"),
    ]
    if claim.facts:
        facts = "".join(f"<li>{_user(f)}</li>" for f in claim.facts)
        rows.append(("Facts", f"<ul>{facts}</ul>"))
    rows += [("Status", claim.status.value.replace("_", " ")), ("Verdict", verdict)]
    _dl(out, rows)
    rationale = paragraphs(claim.rationale)
    if rationale:
        out.append("<h4>Rationale</h4>")
        out.extend(f'<p dir="auto">{xml_text(p)}</p>' for p in rationale)
    if not claim.groups:
        out.append("<p><em>No evidence attached.</em></p>")
    for group in claim.groups:
        out.append(f"<h4>{group.heading} evidence</h4>")
        out.append('<ul class="evidence">')
        for item in group.items:
            _evidence(item, out)
        out.append("</ul>")
    out.append("</section>")


def _evidence(item: MemoEvidence, out: list[str]) -> None:
    title = _user(item.title) if item.title else "Untitled page"
    site = f" ({_user(item.site)})" if item.site else ""
    parts = [
        f'<a href="#source-{item.source_number}">[{item.source_number}]</a> {title}{site}',
        f"<br>URL: {_link(item.url)}",
    ]
    if item.snapshot_date is not None:
        snap = fmt_datetime(item.snapshot_date)
        if item.snapshot_sha256:
            snap += f", {item.sha_of} SHA-256 <code>{xml_text(item.snapshot_sha256)}</code>"
        parts.append(f"<br>Snapshot: {snap}")
    if item.excerpt.strip():
        parts.append(f"<br>Excerpt: “{_user(item.excerpt)}”")
    if item.note.strip():
        parts.append(f"<br>Note: {_user(item.note)}")
    for warning in item.warnings:
        parts.append(f'<br><span class="warning">Warning: {_user(warning)}</span>')
    out.append(f"<li>{''.join(parts)}</li>")


def _flags(memo: Memo, out: list[str]) -> None:
    out.append("<h2>Consistency findings</h2>")
    if not memo.flags:
        out.append("<p>None found.</p>")
        return
    out.append("<ul>")
    for flag in memo.flags:
        state = "dismissed" if flag.dismissed else "open"
        meta = [state, f"confidence {percent(flag.confidence)}"]
        if flag.dateline_used:
            meta.append(f"dateline used {fmt_date(flag.dateline_used)}")
        line = f"<strong>{_user(flag.kind)}</strong> ({'; '.join(meta)}): "
        line += _user(sentence(flag.message))
        if flag.quotes:
            line += " Text: " + "; ".join(f"“{_user(q)}”" for q in flag.quotes) + "."
        if flag.claim_numbers:
            line += f" {claims_ref(flag.claim_numbers)}."
        css = ' class="dismissed"' if flag.dismissed else ""
        out.append(f"<li{css}>{line}</li>")
    out.append("</ul>")


def _audit(memo: Memo, out: list[str]) -> None:
    out.append('<h2 id="audit">Audit</h2>')
    if not memo.audit:
        out.append("<p>Nothing to report.</p>")
        return
    out.append("<ul>")
    for item in memo.audit:
        out.append(f"<li><strong>{item.kind.label}:</strong> {_user(item.message)}</li>")
    out.append("</ul>")


def _sources(sources: tuple[MemoSource, ...], out: list[str]) -> None:
    out.append("<h2>Sources</h2>")
    if not sources:
        out.append("<p>No sources cited.</p>")
        return
    out.append("<ol>")
    for src in sources:
        line = _user(src.title) if src.title else "Untitled page"
        if src.site:
            line += f" ({_user(src.site)})"
        line += f": {_link(src.url)}"
        if src.final_url:
            line += f" (redirected to {_link(src.final_url)})"
        if src.fetch_state.value != "fetched":
            reason = src.fetch_error or src.fetch_state.value
            line += f' <span class="warning">Not fetched: {_user(reason)}.</span>'
        out.append(f'<li id="source-{src.number}" value="{src.number}">{line}</li>')
    out.append("</ol>")
