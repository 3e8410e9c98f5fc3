"""Text of a fetched PDF, so that excerpts in reports and papers can be checked.

The PDF itself is always kept as the snapshot's raw bytes; extraction is a
best effort on top.  Scanned PDFs have no text layer and broken ones make
pypdf raise: either way the snapshot says so in a note instead of failing
the fetch.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

NOT_EXTRACTED = "PDF text was not extracted"


@dataclass(frozen=True, slots=True)
class PdfContent:
    text: str | None
    title: str | None = None
    author: str | None = None
    note: str | None = None  # set when text is None, saying why


def extract_pdf(data: bytes, *, max_pages: int = 500) -> PdfContent:
    """Extract the text layer and document info of a PDF.

    ``max_pages`` bounds the work on huge documents; the note says when the
    text was cut.
    """
    import pypdf
    from pypdf.errors import PyPdfError

    # pypdf logs and warns loudly about the many small defects of real-world
    # PDFs; they are not the user's concern, and the outcome is reported
    # through ``note``.
    pypdf_logger = logging.getLogger("pypdf")
    previous_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except (PyPdfError, NotImplementedError):
                    return PdfContent(text=None, note=f"{NOT_EXTRACTED}: the PDF is encrypted.")
            pages = reader.pages
            texts = [_page_text(page) for page in list(pages)[:max_pages]]
            title, author = _info(reader)
            total = len(pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        return PdfContent(text=None, note=f"{NOT_EXTRACTED}: the file could not be read ({exc}).")
    finally:
        pypdf_logger.setLevel(previous_level)
    text = "\n\n".join(t for t in texts if t).strip()
    if not text:
        return PdfContent(
            text=None,
            title=title,
            author=author,
            note=f"{NOT_EXTRACTED}: it has no text layer (a scan?).",
        )
    note = (
        f"Only the first {max_pages} of {total} pages were extracted."
        if total > max_pages
        else None
    )
    return PdfContent(text=text, title=title, author=author, note=note)


def _page_text(page: object) -> str:
    from pypdf.errors import PyPdfError

    extract = getattr(page, "extract_text", None)
    if extract is None:
        return ""
    try:
        text = extract()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return ""
    return text.strip() if isinstance(text, str) else ""


def _info(reader: object) -> tuple[str | None, str | None]:
    meta = getattr(reader, "metadata", None)
    if meta is None:
        return None, None
    title = getattr(meta, "title", None)
    author = getattr(meta, "author", None)
    return _str_or_none(title), _str_or_none(author)


def _str_or_none(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
