"""staff_posts: the bot's own messages in staff chats that carry a person's words

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_staff_posts_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_staff_posts_application_id_applications"),
        ),
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
