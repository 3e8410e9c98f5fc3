"""The memo as a PDF: real text, clickable links, "Page N of M", A4 or Letter.

Built with reportlab's platypus, headless and without Qt, so the CLI can
export on a server.  Text goes through the same escaping as the HTML (the
paragraph markup is XML-like) and through :mod:`.fonts`, which keeps every
character searchable or spelled out.  "of M" is a form XObject filled in when
the document is complete: one layout pass instead of two.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from workbench.core.export.escape import one_line, paragraphs, safe_url, xml_text
from workbench.core.export.fmt import claims_ref, fmt_date, fmt_datetime, percent, sentence
from workbench.core.export.fonts import FontSet, memo_fonts
from workbench.core.export.memo import Memo, MemoClaim, MemoEvidence, MemoSource

PAPER_SIZES = ("A4", "Letter")
# Named colours: reportlab resolves names by lookup but parses "#rrggbb"
# strings every time, which shows on a 600-source memo.
_LINK_COLOR = "navy"
_WARN_COLOR = "firebrick"
_QUOTE_BACK = "#f2f2f2"
_DISMISSED_COLOR = "dimgray"
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

    class TotalPagesCanvas(Canvas):
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


@functools.cache
def _paragraph_class() -> Any:
    """A Paragraph that can be a link, a jump to an anchor, or an anchor, as a whole.

    Reportlab lays out a paragraph of one plain run on a fast path; any inline
    tag (bold, font, link, line break) sends it down a path several times
    slower.  So memo paragraphs carry no inline markup: emphasis comes from
    the paragraph style, and links cover the whole paragraph's box (drawn as
    annotations after the text), which is what keeps a 600-source memo fast.
    """
    from reportlab.platypus import Paragraph

    class MemoParagraph(Paragraph):
        url: str | None = None
        dest: str | None = None
        anchor: str | None = None

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            # A paragraph broken across pages stays a link in every part.
            parts: list[Any] = list(super().split(avail_width, avail_height))
            for part in parts:
                part.url, part.dest, part.anchor = self.url, self.dest, None
            if parts:
                parts[0].anchor = self.anchor
            return parts

        def draw(self) -> None:
            super().draw()
            canvas = self.canv
            height = getattr(self, "height", 0)
            width = float(getattr(self, "width", 0))
            if self.anchor:
                canvas.bookmarkHorizontal(self.anchor, 0, height)
            rect = (0, 0, width, height)
            if self.url:
                canvas.linkURL(self.url, rect, relative=1, thickness=0)
            elif self.dest:
                canvas.linkRect("", self.dest, rect, relative=1, thickness=0)

    return MemoParagraph


class _Story:
    """Turns the memo into platypus flowables: plain one-run paragraphs, styled whole."""

    def __init__(self, fonts: FontSet) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.fonts = fonts
        base = ParagraphStyle(
            "memo-body", fontName=fonts.regular, fontSize=9.5, leading=12.5, spaceAfter=3
        )
        self.body = base
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
            borderPadding=(2, 4, 2, 6),  # type: ignore[arg-type]  # a 4-tuple works; stubs say float
            backColor=_color(_QUOTE_BACK),
            spaceBefore=2,
            spaceAfter=6,
        )
        self.field = ParagraphStyle("memo-field", parent=base, spaceAfter=0.5)
        self.item_head = ParagraphStyle(
            "memo-item-head",
            parent=base,
            fontName=fonts.bold,
            fontSize=8.5,
            leading=11,
            leftIndent=14,
            spaceBefore=3,
            spaceAfter=0,
        )
        self.item = ParagraphStyle(
            "memo-item", parent=base, fontSize=8.5, leading=11, leftIndent=24, spaceAfter=0
        )
        self.link_item = ParagraphStyle(
            "memo-link-item", parent=self.item, textColor=_color(_LINK_COLOR)
        )
        self.warning = ParagraphStyle(
            "memo-warning", parent=self.item, fontName=fonts.bold, textColor=_color(_WARN_COLOR)
        )
        self.listed = ParagraphStyle(
            "memo-listed",
            parent=base,
            fontSize=8.5,
            leading=11,
            leftIndent=18,
            firstLineIndent=-18,
            spaceAfter=3,
        )
        self.dismissed = ParagraphStyle(
            "memo-dismissed", parent=self.listed, textColor=_color(_DISMISSED_COLOR)
        )
        self.flowables: list[Any] = []
        self._templates: dict[str, Any] = {}

    def t(self, text: str) -> str:
        """User text as paragraph content: escaped, one line, every character kept."""
        return self.fonts.markup(xml_text(" ".join(text.split())))

    def para(
        self,
        content: str,
        style: Any = None,
        *,
        url: str | None = None,
        dest: str | None = None,
        anchor: str | None = None,
    ) -> None:
        style = style or self.body
        frags = self._plain_frags(content, style)
        paragraph = _paragraph_class()(content, style, frags=frags)
        paragraph.url = url
        paragraph.dest = dest
        paragraph.anchor = anchor
        self.flowables.append(paragraph)

    def _plain_frags(self, content: str, style: Any) -> list[Any] | None:
        """Pre-parsed fragments for markup-free content, skipping reportlab's parser.

        Parsing is a third of the PDF time on a large memo and does nothing for
        plain text but unescape three entities; the template fragment comes
        from the parser itself, once per style, so fonts and colours match.
        """
        if "<" in content:
            return None
        template = self._templates.get(style.name)
        if template is None:
            from reportlab.platypus.paraparser import ParaParser

            _, parsed, _ = ParaParser().parse("x", style)  # type: ignore[no-untyped-call]
            if not parsed or len(parsed) != 1:
                return None
            template = parsed[0]
            self._templates[style.name] = template
        text = content.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        return [template.clone(text=text, link=[], us_lines=[])]

    def url_line(self, label: str, url: str | None, style: Any = None) -> None:
        """``label: URL``, the whole line a link when the URL is a safe web address."""
        if not url:
            self.para(f"{label}: none recorded", style or self.field)
            return
        href = safe_url(url)
        if href is None:
            self.para(f"{label}: {self.t(url)} (not a web address)", style or self.field)
        else:
            self.para(f"{label}: {self.t(url)}", style or self.link_item, url=href)

    def build(self, memo: Memo) -> list[Any]:
        h = memo.header
        self.para(f"Verification memo: {self.t(h.title or 'Untitled article')}", self.h1)
        checker = self.t(h.checker or "not set")
        if h.organization:
            checker += f" ({self.t(h.organization)})"
        self.para(f"Outlet: {self.t(h.outlet or 'unknown')}", self.field)
        header_link = ParagraphStyle_like(self.link_item, self.field)
        self.url_line("URL", h.url, header_link)
        if h.author:
            self.para(f"Author: {self.t(h.author)}", self.field)
        for label, value in (
            ("Dateline", fmt_date(h.dateline)),
            ("Imported", fmt_datetime(h.imported_at)),
            ("Article text SHA-256", xml_text(h.text_sha256)),
            ("Checked by", checker),
            ("Memo date", fmt_date(h.memo_date)),
            ("Workbench version", self.t(h.app_version)),
            ("Check-worthiness scorer", self.t(h.scorer)),
            ("Claims included", self.t(h.options)),
        ):
            self.para(f"{label}: {value}", self.field)
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
        for text in (
            line,
            f"Checked: {s.checked}; in progress: {s.in_progress}; unchecked: {s.unchecked}",
            f"Verdicts: {verdicts or 'none yet'}",
            f"Consistency findings: {s.flags_open} open, {s.flags_dismissed} dismissed",
            f"Audit findings: {s.audit_items}",
        ):
            self.para(text, self.field)

    def _claim(self, claim: MemoClaim) -> None:
        self.para(f"Claim {claim.number}: {claim.verdict_label}", self.h3)
        self.para(f"“{self.t(claim.text)}”", self.quote)
        verdict = claim.verdict_label
        if claim.verdict_set_at is not None:
            verdict += f" (set {fmt_datetime(claim.verdict_set_at)})"
        self.para(f"Where: {claim.location}", self.field)
        self.para(f"Check-worthiness score: {claim.score:.2f}", self.field)
        types = self.t(", ".join(claim.types)) if claim.types else "none"
        self.para(f"Types: {types}", self.field)
        for fact in claim.facts:
            self.para(f"Fact: {self.t(fact)}", self.field)
        self.para(f"Status: {claim.status.value.replace('_', ' ')}", self.field)
        self.para(f"Verdict: {verdict}", self.field)
        rationale = paragraphs(claim.rationale)
        if rationale:
            self.para("Rationale", self.h4)
            for text in rationale:
                self.para(self.t(text))
        if not claim.groups:
            self.para("No evidence attached.", self.item)
        for group in claim.groups:
            self.para(f"{group.heading} evidence", self.h4)
            for item in group.items:
                self._evidence(item)

    def _evidence(self, item: MemoEvidence) -> None:
        title = self.t(item.title) if item.title else "Untitled page"
        site = f" ({self.t(item.site)})" if item.site else ""
        self.para(f"[{item.source_number}] {title}{site}", self.item_head)
        self.url_line("URL", item.url, self.link_item)
        if item.snapshot_date is not None:
            snap = fmt_datetime(item.snapshot_date)
            if item.snapshot_sha256:
                snap += f", {item.sha_of} SHA-256 {xml_text(item.snapshot_sha256)}"
            self.para(f"Snapshot: {snap}", self.item)
        if item.excerpt.strip():
            self.para(f"Excerpt: “{self.t(item.excerpt)}”", self.item)
        if item.note.strip():
            self.para(f"Note: {self.t(item.note)}", self.item)
        for warning in item.warnings:
            self.para(f"Warning: {self.t(warning)}", self.warning)

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
            line = f"{self.t(flag.kind)} ({'; '.join(meta)}): {message}"
            if flag.quotes:
                line += " Text: " + "; ".join(f"“{self.t(q)}”" for q in flag.quotes) + "."
            if flag.claim_numbers:
                line += f" {claims_ref(flag.claim_numbers)}."
            self.para(line, self.dismissed if flag.dismissed else self.listed)

    def _audit(self, memo: Memo) -> None:
        self.para("Audit", self.h2)
        if not memo.audit:
            self.para("Nothing to report.")
        for item in memo.audit:
            self.para(f"{item.kind.label}: {self.t(item.message)}", self.listed)

    def _sources(self, sources: tuple[MemoSource, ...]) -> None:
        self.para("Sources", self.h2)
        if not sources:
            self.para("No sources cited.")
        for src in sources:
            line = f"[{src.number}] "
            line += self.t(src.title) if src.title else "Untitled page"
            if src.site:
                line += f" ({self.t(src.site)})"
            line += f": {self.t(src.url)}"
            if src.final_url:
                line += f" (redirected to {self.t(src.final_url)})"
            if src.fetch_state.value != "fetched":
                line += f" Not fetched: {self.t(src.fetch_error or src.fetch_state.value)}."
            self.para(line, self.listed, url=safe_url(src.url))


def ParagraphStyle_like(colour_from: Any, layout_from: Any) -> Any:
    """``layout_from`` with the text colour of ``colour_from``."""
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{layout_from.name}-link", parent=layout_from, textColor=colour_from.textColor
    )


def _color(name: str) -> Any:
    """A colour as reportlab's styles take it: the name itself.

    The type stubs want a ``Color``, but reportlab accepts CSS names and
    ``#rrggbb`` and renders them faster: passing ``Color`` objects made a
    600-source memo take 8% more CPU (bench_export.py).
    """
    return name
