"""staff_posts: the bot's own messages in staff chats that carry a person's words (2026-12-07)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import fk

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "staff_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        fk("staff_posts", "case_id", "cases"),
        fk("staff_posts", "application_id", "applications"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_posts")),
    )
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_posts_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_staff_posts_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_posts_application_id"))
        batch_op.drop_index(batch_op.f("ix_staff_posts_case_id"))
    op.drop_table("staff_posts")
