"""Annotations: people's corrections beside the model's predictions, versioned per article.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# SQLite's full-text trigger of 0001 re-indexed an article on every update; bumping the
# annotation version is an update too, so the trigger now fires for title and text only.
_SQLITE_FTS_UPDATE = (
    "CREATE TRIGGER articles_fts_update AFTER UPDATE {columns}ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
)


def _replace_sqlite_trigger(columns: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER articles_fts_update")
        op.execute(_SQLITE_FTS_UPDATE.format(columns=columns))


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ drops columns too): a batch copy of the table would
    # lose the full-text triggers.
    op.add_column(
        "articles",
        sa.Column("annotation_version", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_annotations_article_id", "annotations", ["article_id"])
    _replace_sqlite_trigger("OF title, text ")


def downgrade() -> None:
    _replace_sqlite_trigger("")
    op.drop_index("ix_annotations_article_id", "annotations")
    op.drop_table("annotations")
    op.drop_column("articles", "annotation_version")
