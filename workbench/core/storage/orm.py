"""SQLAlchemy ORM rows.  They never leave :mod:`workbench.core.storage`.

The schema itself is owned by the Alembic migrations; these classes must
describe the head revision exactly (a test compares them).  Only portable
types are used so the same schema works on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


STABLE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}
"""AUTOINCREMENT: SQLite never hands out an id it handed out before, so a row
that undo brings back can take its old id, and an id the CLI printed (or the
history names) never comes to mean another row.  PostgreSQL sequences behave
so already; the option is ignored there."""


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ArticleRow(Timestamps, Base):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_imported_at_id", "imported_at", "id"), STABLE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300))
    dateline: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    flags: Mapped[list[FlagRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class ClaimRow(Timestamps, Base):
    __tablename__ = "claims"
    __table_args__ = (STABLE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text_extracted: Mapped[str] = mapped_column(Text)
    text_edited: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    scorer: Mapped[str | None] = mapped_column(String(100))
    types: Mapped[list[str]] = mapped_column(JSON)
    entities: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str | None] = mapped_column(String(32))
    rationale: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    verdict_set_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    article: Mapped[ArticleRow] = relationship(back_populates="claims")
    evidence: Mapped[list[EvidenceRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class SourceRow(Timestamps, Base):
    __tablename__ = "sources"
    __table_args__ = (STABLE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    normalized_url: Mapped[str] = mapped_column(String(2048), unique=True)
    final_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(40))
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    http_status: Mapped[int | None] = mapped_column(Integer)
    fetch_state: Mapped[str] = mapped_column(String(16))
    fetch_error: Mapped[str | None] = mapped_column(Text)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    # Deliberately not a foreign key: snapshots point at sources, and a cycle of
    # foreign keys needs ALTER-time constraints that SQLite lacks.  The
    # repository keeps it consistent.
    current_snapshot_id: Mapped[int | None] = mapped_column(Integer)


class SnapshotRow(Base):
    __tablename__ = "snapshots"
    __table_args__ = (STABLE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    final_url: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    raw_compressed: Mapped[bytes | None] = mapped_column(LargeBinary)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceRow(Timestamps, Base):
    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("claim_id", "source_id", name="uq_evidence_claim_source"),
        STABLE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    stance: Mapped[str] = mapped_column(String(16))
    excerpt: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    excerpt_found: Mapped[bool | None] = mapped_column(Boolean)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FlagRow(Timestamps, Base):
    __tablename__ = "flags"
    __table_args__ = (STABLE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    spans: Mapped[list[list[int]]] = mapped_column(JSON)
    claim_ids: Mapped[list[int]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    dismissed: Mapped[bool] = mapped_column(Boolean)
    dateline_used: Mapped[date | None] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HistoryRow(Base):
    """One operation: who did what, when, to which article and claims.

    Append-only: a row is never updated or deleted, so the table is the
    audit trail, and the ids are the change feed a shared server will
    broadcast.  ``article_id`` is deliberately not a foreign key: the
    history of a deleted article stays.  ``reverts`` names the entry an
    undo or redo takes back; ``extends`` an earlier entry this one continues
    (one burst of typing), so one undo takes back both.
    """

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_actor_id", "actor", "id"),
        Index("ix_history_article_id_id", "article_id", "id"),
        STABLE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(Integer)
    claim_ids: Mapped[list[int]] = mapped_column(JSON)
    reverts: Mapped[int | None] = mapped_column(Integer)
    extends: Mapped[int | None] = mapped_column(Integer)


class UndoRow(Base):
    """What undo needs for one history entry: the rows as they were and became.

    Kept beside the history rather than in it: the history stays small to
    list and to broadcast, and old undo data could one day be thinned
    without touching the audit trail.  An entry without a row here cannot be
    undone (an import, an extraction, a fetch).
    """

    __tablename__ = "history_undo"

    history_id: Mapped[int] = mapped_column(
        ForeignKey("history.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
