"""Read a PDF back the way a person searching it would: text and link targets."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass


@dataclass
class PdfContent:
    pages: list[str]
    uris: list[str]
    internal_links: int
    sizes: list[tuple[float, float]]

    @property
    def text(self) -> str:
        """All pages, whitespace collapsed, so wrapped lines still match."""
        return " ".join(" ".join(p.split()) for p in self.pages)

    @property
    def compact(self) -> str:
        """All text without whitespace, for long words (URLs, hashes) split across lines."""
        return re.sub(r"\s+", "", "".join(self.pages))


def read_pdf(data: bytes) -> PdfContent:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages, uris, sizes = [], [], []
    internal = 0
    for page in reader.pages:
        pages.append(page.extract_text())
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if action is None:
                if obj.get("/Dest") is not None:
                    internal += 1
                continue
            action = action.get_object()
            kind = action.get("/S")
            if kind == "/URI":
                uris.append(str(action.get("/URI")))
            elif kind == "/GoTo":
                internal += 1
            else:
                uris.append(f"ACTION {kind}")
    return PdfContent(pages, uris, internal, sizes)
