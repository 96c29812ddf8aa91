"""aiogram FSM storage in the bot's database, so a conversation survives a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import FsmRecord, utcnow


class SQLAlchemyStorage(BaseStorage):
    """One row per key; every write is a single insert-or-update statement."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    def _upsert(self, dialect: str, key: str, values: dict[str, Any]) -> Any:
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        row = {"key": key, "state": None, "data": {}, "updated_at": utcnow(), **values}
        statement = insert(FsmRecord).values(**row)
        return statement.on_conflict_do_update(
            index_elements=[FsmRecord.key], set_={**values, "updated_at": row["updated_at"]}
        )

    async def _write(self, key: StorageKey, values: dict[str, Any]) -> None:
        async with self._sessionmaker() as session:
            dialect = session.bind.dialect.name
            await session.execute(self._upsert(dialect, self._key_builder.build(key), values))
            await session.commit()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, {"state": value})

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(FsmRecord.state).where(FsmRecord.key == self._key_builder.build(key))
            )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, {"data": dict(data)})

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._sessionmaker() as session:
            data = await session.scalar(
                select(FsmRecord.data).where(FsmRecord.key == self._key_builder.build(key))
            )
        return dict(data or {})

    async def forget(self, key: StorageKey) -> None:
        """Drop the row entirely (for /forget)."""
        async with self._sessionmaker() as session:
            await session.execute(
                delete(FsmRecord).where(FsmRecord.key == self._key_builder.build(key))
            )
            await session.commit()

    async def close(self) -> None:
        """The engine is owned and disposed by the application."""


class LocalEventIsolation(BaseEventIsolation):
    """Per-key locks in one process.

    Written by hand because aiogram's SimpleEventIsolation keeps a lock for every user forever;
    this one drops a lock when nobody holds or waits for it, so memory stays flat with many users.
    """

    def __init__(self) -> None:
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @property
    def held(self) -> int:
        return len(self._locks)

    async def close(self) -> None:
        self._locks.clear()
