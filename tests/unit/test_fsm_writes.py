"""An update's FSM writes in its own session: they wait for its commit and go with it.

A step's state and data are written at the commit of the update's unit of work (or a handler's
own commit), in that transaction: both or neither survive a crash, and a rollback leaves the
conversation where it was. Reads of a conversation the update already knows cost no statement.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import Resources
from storage.fsm import SQLAlchemyStorage, conversation_found, writes_pending
from storage.models import FsmRecord


class Flow(StatesGroup):
    step = State()
    next = State()


KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


async def _stored(resources: Resources) -> tuple[str | None, dict] | None:
    """The conversation as another connection (a restarted bot) reads it."""
    async with resources.sessionmaker() as session:
        row = (await session.execute(select(FsmRecord.state, FsmRecord.data))).first()
    return (row.state, row.data) if row else None


@contextmanager
def _statements(resources: Resources) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    engine = resources.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@asynccontextmanager
async def _update(resources: Resources) -> AsyncIterator[tuple[AsyncSession, SQLAlchemyStorage]]:
    """An update's session and the FSM storage bound to it, as the session middleware makes them."""
    async with resources.sessionmaker() as session:
        yield session, SQLAlchemyStorage(resources.sessionmaker).bound(session)


async def test_a_steps_state_and_data_go_as_one_row_write_with_the_commit(
    resources: Resources,
) -> None:
    async with _update(resources) as (session, storage):
        await storage.set_state(KEY, Flow.step)
        await storage.set_data(KEY, {"kind": "baby"})
        assert writes_pending(session)
        assert await _stored(resources) is None  # nothing written before the commit
        with _statements(resources) as sent:
            await session.commit()
    writes = [s for s in sent if "fsm_states" in s and s.lstrip().upper().startswith("INSERT")]
    assert len(writes) == 1, sent  # one insert-or-update for the state and the data together
    assert await _stored(resources) == (Flow.step.state, {"kind": "baby"})


async def test_a_rollback_leaves_the_conversation_where_it_was(resources: Resources) -> None:
    async with _update(resources) as (session, storage):
        await storage.set_state(KEY, Flow.step)
        await session.commit()
        await storage.set_state(KEY, Flow.next)
        await storage.set_data(KEY, {"phone": "+77012345678"})
        await session.execute(select(FsmRecord.key))  # the step's other work, then it fails
        await session.rollback()
        assert not writes_pending(session)
        await session.commit()  # a later commit of the same session sends nothing dropped
    assert await _stored(resources) == (Flow.step.state, {})


async def test_reads_of_a_known_conversation_send_no_statement(resources: Resources) -> None:
    async with _update(resources) as (session, storage):
        await storage.set_state(KEY, Flow.step)
        await storage.set_data(KEY, {"kind": "pregnant"})
        await session.commit()
    async with _update(resources) as (session, storage):
        # As the inbox gate read it inside her lock:
        storage.knows(KEY, Flow.step.state, {"kind": "pregnant"})
        with _statements(resources) as sent:
            state = await storage.get_state(KEY)
            data = await storage.get_data(KEY)
            await storage.update_data(KEY, {"region": "karaganda"})
            again = await storage.get_data(KEY)
        assert sent == []
        assert (state, data) == (Flow.step.state, {"kind": "pregnant"})
        assert again == {"kind": "pregnant", "region": "karaganda"}
        data["kind"] = "changed by the handler"  # a handler's copy, not the storage's
        assert (await storage.get_data(KEY))["kind"] == "pregnant"
        await session.commit()
    assert await _stored(resources) == (
        Flow.step.state,
        {"kind": "pregnant", "region": "karaganda"},
    )


async def test_reading_an_unknown_row_first_sends_its_pending_write(
    resources: Resources,
) -> None:
    async with _update(resources) as (session, writer):
        await writer.set_state(KEY, Flow.next)
        reader = SQLAlchemyStorage(resources.sessionmaker).bound(session)  # knows nothing yet
        assert await reader.get_state(KEY) == Flow.next.state
        await session.commit()
    assert await _stored(resources) == (Flow.next.state, {})


async def test_a_rollback_right_after_a_commit_still_drops_the_writes_queued_since(
    resources: Resources,
) -> None:
    """No statement between the commit and the rollback: the queued writes are the only work
    of that transaction, and go with it."""
    async with _update(resources) as (session, storage):
        await storage.set_state(KEY, Flow.step)
        await session.commit()
        await storage.set_state(KEY, Flow.next)
        await storage.set_data(KEY, {"phone": "+77012345678"})
        await session.rollback()
        assert not writes_pending(session)
        await session.commit()
    assert await _stored(resources) == (Flow.step.state, {})


async def test_the_inbox_gate_takes_the_row_aiograms_state_read_fetched(
    resources: Resources,
) -> None:
    """aiogram reads her state in her lock; the gate, next, needs the data of the same row to
    keep for a replay: one SELECT for both. A row that changed in between is read again."""
    storage = SQLAlchemyStorage(resources.sessionmaker)
    await storage.set_state(KEY, Flow.step)
    await storage.set_data(KEY, {"kind": "baby"})
    context = FSMContext(storage, KEY)
    with _statements(resources) as sent:
        state = await context.get_state()  # as aiogram's FSM middleware does, in her lock
        async with resources.sessionmaker() as session:
            found = await conversation_found(context, state, session)
    assert found[1] == {"state": Flow.step.state, "data": {"kind": "baby"}}
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) == 1, sent
    state = await context.get_state()
    await storage.set_state(KEY, Flow.next)  # not the row aiogram's read fetched any more
    async with resources.sessionmaker() as session:
        found = await conversation_found(context, Flow.next.state, session)
    assert found[1] == {"state": Flow.next.state, "data": {"kind": "baby"}}
