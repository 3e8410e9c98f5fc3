"""The memo as a PDF: real text, clickable links, "Page N of M", A4 or Letter.

Built with reportlab's platypus, headless and without Qt, so the CLI can
export on a server.  Text goes through the same escaping as the HTML (the
paragraph markup is XML-like) and through :mod:`.fonts`, which keeps every
character searchable or spelled out.  "of M" is a form XObject filled in when
the document is complete: one layout pass instead of two.
"""

from __future__ import annotations

import io
from typing import Any

from workbench.core.export.escape import one_line, paragraphs, safe_url, xml_attr, xml_text
from workbench.core.export.fmt import claims_ref, fmt_date, fmt_datetime, percent, sentence
from workbench.core.export.fonts import FontSet, memo_fonts
from workbench.core.export.memo import Memo, MemoClaim, MemoEvidence, MemoSource

PAPER_SIZES = ("A4", "Letter")
_LINK_COLOR = "#1a4f8b"
_WARN_COLOR = "#8a1c00"
_TOTAL_FORM = "wb-page-total"


def render_pdf(memo: Memo) -> bytes:
    """PDF bytes of the memo on the paper size the memo carries."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    fonts = memo_fonts()
    pagesize = letter if memo.paper_size.lower() == "letter" else A4
    buffer = io.BytesIO()
    title = one_line(memo.header.title) or "Untitled article"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.2 * cm,
        title=f"Verification memo: {title}",
        author=one_line(memo.header.checker or ""),
        subject="Claim verification memo",
        creator=f"Claim Workbench {memo.header.app_version}",
        invariant=True,  # no wall-clock date or random id: same memo, same file
    )
    story = _Story(fonts).build(memo)
    footer = _Footer(fonts, memo)
    doc.build(story, onFirstPage=footer.draw, onLaterPages=footer.draw, canvasmaker=_canvas_class())
    return buffer.getvalue()


def _canvas_class() -> Any:
    """A canvas that writes the page total into the shared footer form on save."""
    from reportlab.pdfgen.canvas import Canvas

    class TotalPagesCanvas(Canvas):  # type: ignore[misc]
        total_font: tuple[str, float] = ("Helvetica", 8.0)

        def save(self) -> None:
            # Every page's footer refers to this form; defining it now, after
            # the last page, is what lets one pass print the total.
            self.beginForm(_TOTAL_FORM)
            self.setFont(*self.total_font)
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

    return TotalPagesCanvas


class _Footer:
    def __init__(self, fonts: FontSet, memo: Memo) -> None:
        self.font = fonts.regular
        title = one_line(memo.header.title)
        if len(title) > 60:
            title = title[:59] + "…"
        self.left = f"Verification memo: {title}"
        self.fonts = fonts

    def draw(self, canvas: Any, doc: Any) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        width, _ = doc.pagesize
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor("#555555")
        y = doc.bottomMargin - 0.9 * 28.35
        canvas.drawString(doc.leftMargin, y, _drawable(self.fonts, self.left))
        label = f"Page {canvas.getPageNumber()} of "
        # Right-aligned as if the total had as many digits as this page number.
        total_width = stringWidth(str(canvas.getPageNumber()) + "0", self.font, 8)
        x = width - doc.rightMargin - total_width - stringWidth(label, self.font, 8)
        canvas.drawString(x, y, label)
        canvas.total_font = (self.font, 8.0)
        canvas.translate(x + stringWidth(label, self.font, 8), y)
        canvas.doForm(_TOTAL_FORM)
        canvas.restoreState()


def _drawable(fonts: FontSet, text: str) -> str:
    """Plain text for drawString: characters the font lacks spelled out."""
    return "".join(fonts.plain(ch) for ch in text)


class _Story:
    """Turns the memo into platypus flowables, one paragraph per block."""

    def __init__(self, fonts: FontSet) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.fonts = fonts
        base = ParagraphStyle(
            "memo-body", fontName=fonts.regular, fontSize=9.5, leading=12.5, spaceAfter=4
        )
        self.body = base
        self.small = ParagraphStyle("memo-small", parent=base, fontSize=8.5, leading=11)
        self.h1 = ParagraphStyle(
            "memo-h1", parent=base, fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=10
        )
        self.h2 = ParagraphStyle(
            "memo-h2",
            parent=base,
            fontName=fonts.bold,
            fontSize=13,
            leading=16,
            spaceBefore=12,
            spaceAfter=6,
        )
        self.h3 = ParagraphStyle(
            "memo-h3", parent=self.h2, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
        )
        self.h4 = ParagraphStyle(
            "memo-h4", parent=base, fontName=fonts.bold, spaceBefore=4, spaceAfter=2
        )
        self.quote = ParagraphStyle(
            "memo-quote",
            parent=base,
            fontName=fonts.italic,
            leftIndent=12,
            borderPadding=(2, 4, 2, 6),
            backColor="#f2f2f2",
            spaceBefore=2,
            spaceAfter=6,
        )
        self.item = ParagraphStyle("memo-item", parent=self.small, leftIndent=14, spaceAfter=5)
        self.flowables: list[Any] = []

    # -- text helpers -------------------------------------------------------

    def t(self, text: str) -> str:
        """User text as paragraph markup: escaped, one line, every character kept."""
        return self.fonts.markup(xml_text(" ".join(text.split())))

    def link(self, url: str | None) -> str:
        if not url:
            return "none recorded"
        href = safe_url(url)
        shown = self.t(url)
        if href is None:
            return f"{shown} (not a web address)"
        return f'<a href="{xml_attr(href)}" color="{_LINK_COLOR}">{shown}</a>'

    def mono(self, text: str) -> str:
        return f'<font face="{self.fonts.mono}" size="8">{xml_text(text)}</font>'

    def para(self, markup: str, style: Any = None) -> None:
        from reportlab.platypus import Paragraph

        self.flowables.append(Paragraph(markup, style or self.body))

    def fields(self, rows: list[tuple[str, str]], style: Any = None) -> None:
        self.para("<br/>".join(f"<b>{label}:</b> {value}" for label, value in rows), style)

    # -- sections -------------------------------------------------------------

    def build(self, memo: Memo) -> list[Any]:
        h = memo.header
        self.para(f"Verification memo: {self.t(h.title or 'Untitled article')}", self.h1)
        checker = self.t(h.checker or "not set")
        if h.organization:
            checker += f" ({self.t(h.organization)})"
        rows = [("Outlet", self.t(h.outlet or "unknown")), ("URL", self.link(h.url))]
        if h.author:
            rows.append(("Author", self.t(h.author)))
        rows += [
            ("Dateline", fmt_date(h.dateline)),
            ("Imported", fmt_datetime(h.imported_at)),
            ("Article text SHA-256", self.mono(h.text_sha256)),
            ("Checked by", checker),
            ("Memo date", fmt_date(h.memo_date)),
            ("Workbench version", self.t(h.app_version)),
            ("Check-worthiness scorer", self.t(h.scorer)),
            ("Claims included", self.t(h.options)),
        ]
        self.fields(rows)
        self._summary(memo)
        self.para("Claims", self.h2)
        if not memo.claims:
            self.para("No claims match the memo's options.")
        for claim in memo.claims:
            self._claim(claim)
        self._flags(memo)
        self._audit(memo)
        self._sources(memo.sources)
        self.para("Methodology", self.h2)
        for text in memo.methodology:
            self.para(xml_text(text))
        return self.flowables

    def _summary(self, memo: Memo) -> None:
        s = memo.summary
        self.para("Summary", self.h2)
        line = f"{s.included} claims in this memo"
        if s.excluded:
            options = self.t(memo.header.options)
            line += f" ({s.excluded} of the article's {s.article_claims} left out: {options})"
        verdicts = "; ".join(f"{vc.verdict.label}: {vc.count}" for vc in s.by_verdict)
        self.para(
            "<br/>".join(
                [
                    line,
                    f"Checked: {s.checked}; in progress: {s.in_progress}; unchecked: {s.unchecked}",
                    f"Verdicts: {verdicts or 'none yet'}",
                    f"Consistency findings: {s.flags_open} open, {s.flags_dismissed} dismissed",
                    f"Audit findings: {s.audit_items}",
                ]
            )
        )

    def _claim(self, claim: MemoClaim) -> None:
        self.para(
            f'<a name="claim-{claim.claim_id}"/>Claim {claim.number}: {claim.verdict_label}',
            self.h3,
        )
        self.para(f"“{self.t(claim.text)}”", self.quote)
        verdict = claim.verdict_label
        if claim.verdict_set_at is not None:
            verdict += f" (set {fmt_datetime(claim.verdict_set_at)})"
        rows = [
            ("Where", claim.location),
            ("Check-worthiness score", f"{claim.score:.2f}"),
            ("Types", self.t(", ".join(claim.types)) if claim.types else "none"),
        ]
        rows += [("Fact", self.t(f)) for f in claim.facts]
        rows += [("Status", claim.status.value.replace("_", " ")), ("Verdict", verdict)]
        self.fields(rows)
        rationale = paragraphs(claim.rationale)
        if rationale:
            self.para("Rationale", self.h4)
            for text in rationale:
                self.para(self.t(text))
        if not claim.groups:
            self.para("<i>No evidence attached.</i>")
        for group in claim.groups:
            self.para(f"{group.heading} evidence", self.h4)
            for item in group.items:
                self._evidence(item)

    def _evidence(self, item: MemoEvidence) -> None:
        title = self.t(item.title) if item.title else "Untitled page"
        site = f" ({self.t(item.site)})" if item.site else ""
        lines = [
            f'<a href="#source-{item.source_number}" color="{_LINK_COLOR}">'
            f"[{item.source_number}]</a> <b>{title}</b>{site}",
            f"URL: {self.link(item.url)}",
        ]
        if item.snapshot_date is not None:
            snap = fmt_datetime(item.snapshot_date)
            if item.snapshot_sha256:
                snap += f", {item.sha_of} SHA-256 {self.mono(item.snapshot_sha256)}"
            lines.append(f"Snapshot: {snap}")
        if item.excerpt.strip():
            lines.append(f"Excerpt: “{self.t(item.excerpt)}”")
        if item.note.strip():
            lines.append(f"Note: {self.t(item.note)}")
        lines += [
            f'<font color="{_WARN_COLOR}"><b>Warning:</b> {self.t(w)}</font>' for w in item.warnings
        ]
        self.para("<br/>".join(lines), self.item)

    def _flags(self, memo: Memo) -> None:
        self.para("Consistency findings", self.h2)
        if not memo.flags:
            self.para("None found.")
        for flag in memo.flags:
            state = "dismissed" if flag.dismissed else "open"
            meta = [state, f"confidence {percent(flag.confidence)}"]
            if flag.dateline_used:
                meta.append(f"dateline used {fmt_date(flag.dateline_used)}")
            message = self.t(sentence(flag.message))
            line = f"<b>{self.t(flag.kind)}</b> ({'; '.join(meta)}): {message}"
            if flag.quotes:
                line += " Text: " + "; ".join(f"“{self.t(q)}”" for q in flag.quotes) + "."
            if flag.claim_numbers:
                line += f" {claims_ref(flag.claim_numbers)}."
            if flag.dismissed:
                line = f'<font color="#666666">{line}</font>'
            self.para(line, self.item)

    def _audit(self, memo: Memo) -> None:
        self.para("Audit", self.h2)
        if not memo.audit:
            self.para("Nothing to report.")
        for item in memo.audit:
            self.para(f"<b>{item.kind.label}:</b> {self.t(item.message)}", self.item)

    def _sources(self, sources: tuple[MemoSource, ...]) -> None:
        self.para("Sources", self.h2)
        if not sources:
            self.para("No sources cited.")
        for src in sources:
            line = f'<a name="source-{src.number}"/>[{src.number}] '
            line += f"<b>{self.t(src.title)}</b>" if src.title else "Untitled page"
            if src.site:
                line += f" ({self.t(src.site)})"
            line += f": {self.link(src.url)}"
            if src.final_url:
                line += f" (redirected to {self.link(src.final_url)})"
            if src.fetch_state.value != "fetched":
                reason = self.t(src.fetch_error or src.fetch_state.value)
                line += f' <font color="{_WARN_COLOR}">Not fetched: {reason}.</font>'
            self.para(line, self.item)
