"""inbox: the conversation's state when an update was first taken up (2026-12-01)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("inbox_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fsm_before", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("fsm_key", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_inbox_updates_fsm_key"), ["fsm_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbox_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_updates_fsm_key"))
        batch_op.drop_column("fsm_key")
        batch_op.drop_column("fsm_before")
