"""INSERT with ON CONFLICT, in the dialect of the database in use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def insert_for(dialect: str) -> Callable[..., Any]:
    """`insert` of SQLAlchemy's PostgreSQL or SQLite dialect (both have `on_conflict_do_*`)."""
    if dialect == "postgresql":
        # Imported only on PostgreSQL: its 19 modules are 2.2 MB a SQLite bot never uses.
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
