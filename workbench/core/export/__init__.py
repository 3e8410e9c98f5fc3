"""The verification memo in Markdown, HTML, PDF and ClaimReview JSON-LD.

Nothing here imports Qt or touches the database: :mod:`.memo` turns model
dataclasses into a format-neutral :class:`~.memo.Memo`, and each renderer
turns that into bytes, so the CLI exports headless and tests can render
hand-built memos.
"""

from __future__ import annotations

from workbench.core.export.memo import (
    AuditItem,
    AuditKind,
    Memo,
    MemoOptions,
    MemoSettings,
    build_memo_model,
)

FORMATS: tuple[str, ...] = ("md", "html", "pdf", "claimreview")
"""Format names as the CLI and the UI offer them."""

__all__ = [
    "FORMATS",
    "AuditItem",
    "AuditKind",
    "Memo",
    "MemoOptions",
    "MemoSettings",
    "build_memo_model",
]
