"""Builders the migration files share: a constraint named as models.NAMING names it, and the
columns more than one table was created with.

Migrations are history: a builder here must keep building what it built when a migration
first used it, or an old migration would start making another schema.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op


def fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `target.id`."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def staff_card() -> list[sa.Column[Any]]:
    """Where a case's or an application's card stands for staff, and who took it (0001)."""
    return [
        sa.Column("staff_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("taken_by", sa.BigInteger(), nullable=True),
    ]
