"""Articles with their analyses, technique spans, narratives and a full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Full-text index per dialect: SQLite keeps an external-content FTS5 table in step with
# triggers; PostgreSQL a generated tsvector column with a GIN index. Other databases have none
# and search with LIKE (see propwatch.db.search).
FULL_TEXT_UP: dict[str, list[str]] = {
    "sqlite": [
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, text, content='articles', content_rowid='id', tokenize='unicode61')",
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    ],
    "postgresql": [
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
        "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED",
        "CREATE INDEX ix_articles_search ON articles USING gin (search)",
    ],
}
FULL_TEXT_DOWN: dict[str, list[str]] = {
    "sqlite": [
        "DROP TRIGGER articles_fts_update",
        "DROP TRIGGER articles_fts_delete",
        "DROP TRIGGER articles_fts_insert",
        "DROP TABLE articles_fts",
    ],
    "postgresql": ["DROP INDEX ix_articles_search", "ALTER TABLE articles DROP COLUMN search"],
}


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        # Small columns first: SQLite reads a row up to the last column a query needs, and
        # lists should not walk through the text and layers to reach the date.
        sa.Column("source_id", sa.String(300), nullable=False),
        sa.Column("title", sa.String(1000)),
        sa.Column("url", sa.String(2000)),
        sa.Column("outlet", sa.String(300)),
        sa.Column("published", sa.String(64)),
        sa.Column("published_on", sa.Date()),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("technique_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("layers", sa.JSON(), nullable=False),
    )
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published_on", "articles", ["published_on"])
    op.create_index("ix_articles_created_at", "articles", ["created_at"])
    # Covers the outlet page's per-month counts without reading article rows.
    op.create_index("ix_articles_outlet_month", "articles", ["outlet", "month", "technique_count"])
    op.create_table(
        "technique_spans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("outlet", sa.String(300)),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("category", sa.String(200)),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("voice", sa.String(32)),
    )
    op.create_index("ix_technique_spans_article_id", "technique_spans", ["article_id"])
    op.create_index("ix_technique_spans_label", "technique_spans", ["label"])
    op.create_index("ix_technique_spans_outlet_label", "technique_spans", ["outlet", "label"])
    op.create_index(
        "ix_technique_spans_outlet_month", "technique_spans", ["outlet", "month", "category"]
    )
    op.create_table(
        "article_narratives",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("outlet", sa.String(300)),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("narrative", sa.String(500), nullable=False),
    )
    op.create_index("ix_article_narratives_article_id", "article_narratives", ["article_id"])
    op.create_index("ix_article_narratives_narrative", "article_narratives", ["narrative"])
    op.create_index(
        "ix_article_narratives_outlet_narrative", "article_narratives", ["outlet", "narrative"]
    )
    op.create_index(
        "ix_article_narratives_outlet_month", "article_narratives", ["outlet", "month", "narrative"]
    )
    for statement in FULL_TEXT_UP.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in FULL_TEXT_DOWN.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("article_narratives")
    op.drop_table("technique_spans")
    op.drop_table("articles")
