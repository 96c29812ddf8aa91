"""aiogram FSM storage in the bot's database, so a conversation survives a restart."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import bindparam, delete, event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from storage.erasure import forget_fsm_rows
from storage.locks import KeyedLocks
from storage.models import FsmRecord, utcnow
from storage.upsert import insert_for

# Built once: every update reads its state, and building a SELECT each time was 3% of the
# bot's time (bench.profile); the key is a bound parameter.
_READ_DATA = select(FsmRecord.data).where(FsmRecord.key == bindparam("key"))
_READ_ROW = select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == bindparam("key"))
_TABLE = FsmRecord.__table__
_READS_KEPT = 1024  # rows read by aiogram's state read and not yet taken by the inbox gate
_ROW_PARAMETERS = {name: bindparam(name, type_=_TABLE.c[name].type) for name in _TABLE.c.keys()}


# In a session's info: the FSM rows written by an update and not yet sent, {key: {"state": ...,
# "data": ...}}. Sent as one statement a row just before the session commits (a step sets its
# state and its data: two statements before), so they commit exactly when they did.
_PENDING = "fsm_pending"


@functools.cache
def _upsert(dialect: str, written: tuple[str, ...]) -> Any:
    """The insert-or-update of one row, writing the columns `written` ("state", "data" or both)
    and its time, built once per dialect (it ran twice per update, built anew each time). A new
    row gets the columns' empty values for a part not written."""
    insert = insert_for(dialect)
    statement = insert(_TABLE).values(_ROW_PARAMETERS)
    changed = (*written, "updated_at")
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.key], set_={name: statement.excluded[name] for name in changed}
    )


def _row(name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"key": name, "state": None, "data": {}, **values, "updated_at": utcnow()}


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Every commit of a session (the unit of work's, or a handler's own) sends its FSM writes
    first, in the transaction it commits."""
    pending: dict[str, dict[str, Any]] | None = session.info.pop(_PENDING, None)
    if pending:
        dialect = session.get_bind().dialect.name
        for name, values in pending.items():
            session.execute(_upsert(dialect, tuple(sorted(values))), _row(name, values))


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)  # rolled back with the rest of the update's writes


def writes_pending(session: AsyncSession) -> bool:
    """Whether FSM writes wait for this session's next commit."""
    return bool(session.info.get(_PENDING))


def _copied(value: Any) -> Any:
    """A copy of JSON data: a handler changing what it read does not change what is known."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


class SQLAlchemyStorage(BaseStorage):
    """One row per key; every write is a single insert-or-update statement.

    The dispatcher's storage opens a session per call; an update's handlers get one `bound` to
    the update's session (bot.middlewares.session), so a step's state and the data it produced
    commit together (or not at all), and SQLite never sees two writers from one update.

    A bound storage remembers each row as this update has it (`knows`: the state and data the
    inbox gate read inside the person's lock; then every write): the handler's reads cost no
    statement. Only this update writes her conversation while it holds her lock.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._session = session
        # Bound only: each row (by key) as this session has it, (state, data).
        self._known: dict[str, tuple[str | None, dict[str, Any]]] = {}
        # Unbound only: the rows aiogram's state reads fetched whole, by key, until the inbox
        # gate takes them (`take_read`); bounded, for reads that no gate follows.
        self._fetched: dict[str, tuple[str | None, dict[str, Any]]] = {}

    def bound(self, session: AsyncSession) -> SQLAlchemyStorage:
        """This storage, writing in `session` (whose owner commits)."""
        return SQLAlchemyStorage(self._sessionmaker, self._key_builder, session=session)

    def knows(self, key: StorageKey, state: str | None, data: Mapping[str, Any]) -> None:
        """The conversation as read inside the person's lock: reads of it are answered from here."""
        self._known[self._key_builder.build(key)] = (state, _copied(dict(data)))

    def forget_known(self) -> None:
        """Rows were deleted behind this storage's back (storage.erasure): read them again,
        and the writes made before the deletion are gone with them."""
        self._known.clear()
        if self._session is not None:
            self._session.info.pop(_PENDING, None)

    async def _write(self, key: StorageKey, written: str, value: Any) -> None:
        name = self._key_builder.build(key)
        bound = self._session
        if bound is not None:  # sent at the session's next commit (_write_pending)
            if not bound.in_transaction():
                # A transaction (no connection yet) for the writes to belong to: a rollback
                # before any other statement must drop them too (_drop_pending).
                bound.sync_session.begin()
            bound.info.setdefault(_PENDING, {}).setdefault(name, {})[written] = _copied(value)
            known = self._known.get(name)
            if known is not None:
                state, data = known
                self._known[name] = (value, data) if written == "state" else (state, _copied(value))
            return
        async with self._sessionmaker() as session:
            await session.execute(
                _upsert(_dialect(session), (written,)), _row(name, {written: value})
            )
            await session.commit()

    async def _read(self, statement: Any, key: StorageKey) -> Any:
        params = {"key": self._key_builder.build(key)}
        async with self._sessionmaker() as session:
            return await session.scalar(statement, params)

    async def _known_row(self, session: AsyncSession, key: StorageKey) -> tuple[str | None, Any]:
        name = self._key_builder.build(key)
        known = self._known.get(name)
        if known is None:
            written = session.info.get(_PENDING, {}).pop(name, None)
            if written:  # sent now, so that the row read back has it
                await session.execute(
                    _upsert(_dialect(session), tuple(sorted(written))), _row(name, written)
                )
            row = (await session.execute(_READ_ROW, {"key": name})).first()
            known = self._known[name] = (row.state, row.data or {}) if row else (None, {})
        return known

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, "state", value)

    async def get_state(self, key: StorageKey) -> str | None:
        """Bound: as this update has it. Unbound (aiogram's read in her lock, before the inbox
        gate): the row's data comes with the state and waits for the gate (`take_read`), which
        would otherwise read the same row again in a session of its own."""
        if self._session is not None:
            return (await self._known_row(self._session, key))[0]
        name = self._key_builder.build(key)
        async with self._sessionmaker() as session:
            row = (await session.execute(_READ_ROW, {"key": name})).first()
        if len(self._fetched) >= _READS_KEPT:
            del self._fetched[next(iter(self._fetched))]  # the oldest: no gate came for it
        self._fetched[name] = (row.state, row.data or {}) if row else (None, {})
        return self._fetched[name][0]

    def take_read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]] | None:
        """The row (state, data) that the last unbound `get_state` of this key read, once."""
        return self._fetched.pop(self._key_builder.build(key), None)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, "data", dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        if self._session is not None:
            return _copied(dict((await self._known_row(self._session, key))[1]))
        return dict(await self._read(_READ_DATA, key) or {})

    async def forget(self, key: StorageKey) -> None:
        """Drop the row entirely (for /forget)."""
        statement = delete(FsmRecord).where(FsmRecord.key == self._key_builder.build(key))
        self._fetched.pop(self._key_builder.build(key), None)
        bound = self._session
        if bound is not None:
            await bound.execute(statement)
            self._known.pop(self._key_builder.build(key), None)
            bound.info.get(_PENDING, {}).pop(self._key_builder.build(key), None)
            return
        async with self._sessionmaker() as session:
            await session.execute(statement)
            await session.commit()

    async def close(self) -> None:
        """The engine is owned and disposed by the application."""


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


class LocalEventIsolation(BaseEventIsolation):
    """A person's updates one at a time, in one process: storage.locks.KeyedLocks, whose lock is
    dropped when nobody holds or waits for it (aiogram's SimpleEventIsolation keeps one for
    every user forever), so memory stays flat with many users."""

    def __init__(self) -> None:
        self._locks: KeyedLocks[StorageKey] = KeyedLocks()

    def lock(self, key: StorageKey) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(key)

    @property
    def held(self) -> int:
        return len(self._locks)

    async def close(self) -> None:
        self._locks.clear()


async def conversation_found(
    context: FSMContext, state: str | None, session: AsyncSession
) -> tuple[str, dict[str, Any]]:
    """The conversation's key and state as an update finds it, given the state read inside the
    person's lock; its data read in `session` when the database holds it."""
    key = context.key
    name = f"{key.chat_id}:{key.user_id}:{key.thread_id or ''}:{key.destiny}"
    storage = context.storage
    if isinstance(storage, SQLAlchemyStorage):
        read = storage.take_read(key)
        if read is not None and read[0] == state:  # the row aiogram's state read just fetched
            data = _copied(read[1])
        else:
            data = await storage.bound(session).get_data(key)
    else:
        data = await context.get_data()
    return name, {"state": state, "data": data}


async def forget_conversations(storage: BaseStorage, session: AsyncSession, user_id: int) -> None:
    """Every FSM state and data of this person, in Redis when that holds them, and in the
    database either way."""
    if not isinstance(storage, SQLAlchemyStorage):
        from storage.fsm_redis import forget_in_redis  # redis only where it may hold them

        await forget_in_redis(storage, user_id)
    await forget_fsm_rows(session, user_id)
    if isinstance(storage, SQLAlchemyStorage):
        storage.forget_known()
