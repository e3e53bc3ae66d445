"""SQLite's full-text index reads its terms from articles.search_terms

The FTS5 table ``article_search`` kept its own copy of every article's search terms (its ``_content``
table, a tenth of the database) beside ``articles.search_terms``, written again for every article.  As
an external-content table over ``articles`` it stores only the index; its rowids stay those of the
articles.  The index is rebuilt from the stored terms.  PostgreSQL indexes ``search_terms`` itself
(a GIN index on its tsvector) and is not concerned.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE article_search")
    op.execute("CREATE VIRTUAL TABLE article_search USING fts5(search_terms, content='articles')")
    op.execute("INSERT INTO article_search (article_search) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE article_search")
    op.execute("CREATE VIRTUAL TABLE article_search USING fts5(terms)")
    op.execute("INSERT INTO article_search (rowid, terms) SELECT rowid, search_terms FROM articles")
