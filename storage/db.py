"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sqlite_driver import SqliteDBAPI


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while the bot writes. Busy timeout 0: a statement that finds
    # another writer's lock fails at once, having done nothing, and storage/sqlite_driver.py
    # runs it again in the connection's thread, waiting there (up to WAIT_MS) instead of on
    # the event loop.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=0")
    # Deleted rows are overwritten with zeros, not left readable in free pages (/forget and the
    # purge must really delete); the WAL is cut back to 4 MB after each checkpoint.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_size_limit=4194304")
    cursor.close()


def _private_file(path: Path) -> None:
    """The database holds phones and words of people in danger: readable by its owner only.
    SQLite gives its -wal and -shm files the mode of the database file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine; for SQLite the file's folder is created on first run."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _private_file(Path(url.database).expanduser())
        # Statements on the event loop, waiting for a lock in a thread (storage/sqlite_driver.py).
        engine = create_async_engine(url, module=SqliteDBAPI())
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
