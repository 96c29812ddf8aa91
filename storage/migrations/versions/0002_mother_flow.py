"""mother flow: case handoff, relay content, chat ledger (2026-11-25)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    # Server defaults fill the new NOT NULL columns of rows written before this revision.
    op.create_table(
        "chat_messages",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("from_bot", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_chat_messages")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dedup_key", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("shared_phone", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.BIGINT(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f("uq_cases_dedup_key"), ["dedup_key"])

    with op.batch_alter_table("message_links", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="text")
        )
        batch_op.add_column(
            sa.Column("content", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.alter_column("staff_chat_id", existing_type=sa.BIGINT(), nullable=True)
        batch_op.alter_column("staff_message_id", existing_type=sa.BIGINT(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("message_links", schema=None) as batch_op:
        batch_op.alter_column("staff_message_id", existing_type=sa.BIGINT(), nullable=False)
        batch_op.alter_column("staff_chat_id", existing_type=sa.BIGINT(), nullable=False)
        batch_op.drop_column("content")
        batch_op.drop_column("kind")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cases_dedup_key"), type_="unique")
        batch_op.alter_column("user_id", existing_type=sa.BIGINT(), nullable=False)
        batch_op.drop_column("alerted_at")
        batch_op.drop_column("consent_at")
        batch_op.drop_column("shared_phone")
        batch_op.drop_column("dedup_key")

    op.drop_table("chat_messages")
