"""index mentions by entity, article and sentence

"Does this sentence mention entity X?" (the dashboard's timeline, entity page and claims) was answered
from the entity_id index alone: SQLite scanned every mention of a common entity for each event or figure,
seconds per request at 1,000 articles and minutes under load.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_mentions_entity_sentence", "mentions", ["entity_id", "article_id", "sentence"])


def downgrade() -> None:
    op.drop_index("ix_mentions_entity_sentence", table_name="mentions")
