"""drop the mentions index on entity_id alone

``ix_mentions_entity_sentence`` (entity_id, article_id, sentence) begins with entity_id, so every lookup
by entity seeks it as well; the index on entity_id alone only cost each written mention one more
B-tree insert at a random place (~4 % of writing an article).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_mentions_entity_id", table_name="mentions")


def downgrade() -> None:
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
