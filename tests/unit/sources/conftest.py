"""Fixtures for the source tests: a local-only HTTP server and real PDFs."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 only (never "localhost", which may be ::1)."""
    return ("127.0.0.1", 0)


def _make_pdf(lines: list[str], *, title: str = "Trade report 2024", text: bool = True) -> bytes:
    """A two-page PDF drawn with reportlab; ``text=False`` makes a "scan"."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setAuthor("Ministry of Trade")
    y = 800
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 18
    pdf.showPage()
    if text:
        pdf.drawString(72, 800, "Second page: exports rose 7 percent.")
    else:  # graphics only, no text layer
        pdf.rect(72, 600, 200, 100, fill=1)
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return _make_pdf


@pytest.fixture
def threaded_httpserver() -> Iterator[HTTPServer]:
    """A server that answers requests in parallel, to observe client concurrency."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
