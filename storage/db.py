"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import ctypes
import os
from functools import cache
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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while the bot writes. busy_timeout: SQLite's busy handler is not
    # fair (a waiter polls, up to every 100 ms), so with dozens of conversations writing at once
    # one unlucky writer can wait seconds; 30 s keeps that a delay, not a "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
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


M_ARENA_MAX = -8  # glibc's mallopt parameter
MALLOC_ARENAS = 2


@cache
def _few_malloc_arenas() -> None:
    """aiosqlite runs each pooled connection in a thread of its own, and glibc gives new threads
    malloc arenas of their own (up to 8 a core), each keeping its high-water mark resident: the
    bot's resident set grew 18 MB under bench.memory's traffic while its live Python objects
    grew 5 MB; with two arenas it grows 13 MB (issue 16: peak within the echo bot's + 40 MB).
    Set before the first connection's thread starts; elsewhere than glibc, nothing."""
    try:
        mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # the process' own C library
    except (OSError, TypeError):
        return
    if mallopt is not None:
        mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def create_engine(database_url: str) -> AsyncEngine:
    """An async engine; for SQLite the file's folder is created on first run."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _private_file(Path(url.database).expanduser())
        _few_malloc_arenas()
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
