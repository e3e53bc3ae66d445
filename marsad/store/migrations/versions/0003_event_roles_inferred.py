"""event roles say whether they were inferred from the discourse

A place an event takes from an earlier sentence (Role.inferred) is evidence of a different strength
from one named in its own clause; exports and queries must be able to tell them apart.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_roles") as batch:
        batch.add_column(sa.Column("inferred", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("event_roles") as batch:
        batch.drop_column("inferred")
