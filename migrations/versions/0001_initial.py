"""Initial schema: articles, claims, sources with snapshots, evidence, flags.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column[sa.DateTime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("outlet", sa.String(300)),
        sa.Column("url", sa.Text()),
        sa.Column("author", sa.String(300)),
        sa.Column("dateline", sa.Date()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_articles_text_sha256", "articles", ["text_sha256"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_claims_article_id_articles"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text_extracted", sa.Text(), nullable=False),
        sa.Column("text_edited", sa.Text()),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("scorer", sa.String(100)),
        sa.Column("types", sa.JSON(), nullable=False),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(32)),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_claims_article_id", "claims", ["article_id"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("normalized_url", sa.String(2048), nullable=False),
        sa.Column("final_url", sa.Text()),
        sa.Column("title", sa.Text()),
        sa.Column("site", sa.String(300)),
        sa.Column("author", sa.String(300)),
        sa.Column("published", sa.String(40)),
        sa.Column("fetched_at", sa.DateTime(timezone=True)),
        sa.Column("http_status", sa.Integer()),
        sa.Column("fetch_state", sa.String(16), nullable=False),
        sa.Column("fetch_error", sa.Text()),
        sa.Column("raw_sha256", sa.String(64)),
        sa.Column("text_sha256", sa.String(64)),
        sa.Column("current_snapshot_id", sa.Integer()),
        *_timestamps(),
        sa.UniqueConstraint("normalized_url", name="uq_sources_normalized_url"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_snapshots_source_id_sources"),
            nullable=False,
        ),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("final_url", sa.Text()),
        sa.Column("http_status", sa.Integer()),
        sa.Column("content_type", sa.String(200)),
        sa.Column("raw_compressed", sa.LargeBinary()),
        sa.Column("raw_sha256", sa.String(64)),
        sa.Column("text", sa.Text()),
        sa.Column("text_sha256", sa.String(64)),
        sa.Column("title", sa.Text()),
        sa.Column("site", sa.String(300)),
        sa.Column("author", sa.String(300)),
        sa.Column("published", sa.String(40)),
        sa.Column("note", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_snapshots_source_id", "snapshots", ["source_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id",
            sa.Integer(),
            sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_evidence_claim_id_claims"),
            nullable=False,
        ),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="RESTRICT", name="fk_evidence_source_id_sources"),
            nullable=False,
        ),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("excerpt_found", sa.Boolean()),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("claim_id", "source_id", name="uq_evidence_claim_source"),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])
    op.create_index("ix_evidence_source_id", "evidence", ["source_id"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE", name="fk_flags_article_id_articles"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("claim_ids", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.Column("dateline_used", sa.Date()),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_flags_article_id", "flags", ["article_id"])


def downgrade() -> None:
    for table in ("flags", "evidence", "snapshots", "sources", "claims", "articles"):
        op.drop_table(table)
