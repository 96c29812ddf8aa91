"""staff workspace (2026-11-25)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_by_name", sa.String(length=64), nullable=True))

    with op.batch_alter_table("message_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("internal", sa.Boolean(), nullable=False))

    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sign", sa.Boolean(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("sign")
        batch_op.drop_column("display_name")

    with op.batch_alter_table("message_links", schema=None) as batch_op:
        batch_op.drop_column("internal")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("taken_by_name")
