"""Storage: migrations, the FSM storage in the database, per-user event isolation."""

from __future__ import annotations

import asyncio

from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.app import Resources
from storage.db import create_engine, create_sessionmaker
from storage.fsm import LocalEventIsolation, SQLAlchemyStorage
from storage.migrate import upgrade
from storage.models import FsmRecord
from storage.users import get_or_create_user
from tests.support.databases import assert_migrations_go_up_and_down


class Flow(StatesGroup):
    step = State()


KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


async def test_migrations_create_every_model_table_and_go_back(tmp_path) -> None:
    await assert_migrations_go_up_and_down(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")


async def test_database_file_and_folder_created_on_first_run(tmp_path) -> None:
    path = tmp_path / "nested" / "dir" / "anabot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    async with engine.connect() as connection:
        mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
    await engine.dispose()
    assert path.exists()
    assert mode == "wal"


async def test_database_files_are_private_and_deleted_rows_are_zeroed(tmp_path) -> None:
    """0600 for the file and its -wal and -shm, even where it existed with wider rights;
    secure_delete on; the WAL emptied by the checkpoint after deleting."""
    from storage.erasure import compact

    path = tmp_path / "anabot.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    async with engine.begin() as connection:
        secure = (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar()
        limit = (await connection.exec_driver_sql("PRAGMA journal_size_limit")).scalar()
        await connection.exec_driver_sql(
            "INSERT INTO fsm_states (key, data, updated_at) "
            "VALUES ('k', '{\"phone\": \"+77017654321\"}', '2026-01-01')"
        )
    async with engine.begin() as connection:
        await connection.exec_driver_sql("DELETE FROM fsm_states")
    await compact(engine, ())
    wal = path.with_name("anabot.db-wal")
    modes = {p.name: p.stat().st_mode & 0o777 for p in (path, wal, path.with_name("anabot.db-shm"))}
    await engine.dispose()
    assert secure == 1 and 0 < limit <= 64 * 1024 * 1024
    assert modes == {"anabot.db": 0o600, "anabot.db-wal": 0o600, "anabot.db-shm": 0o600}
    assert b"77017654321" not in path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_fsm_state_and_data_survive_a_new_storage(resources: Resources) -> None:
    storage = SQLAlchemyStorage(resources.sessionmaker)
    await storage.set_state(KEY, Flow.step)
    await storage.set_data(KEY, {"kind": "pregnant", "answers": [1, 2]})
    await storage.update_data(KEY, {"region": "karaganda"})

    # A new storage over a new engine: as after a restart.
    engine = create_engine(resources.engine.url.render_as_string(hide_password=False))
    reopened = SQLAlchemyStorage(create_sessionmaker(engine))
    assert await reopened.get_state(KEY) == Flow.step.state
    assert await reopened.get_data(KEY) == {
        "kind": "pregnant",
        "answers": [1, 2],
        "region": "karaganda",
    }
    await reopened.set_state(KEY, None)
    assert await reopened.get_state(KEY) is None
    assert await reopened.get_data(KEY) == {
        "kind": "pregnant",
        "answers": [1, 2],
        "region": "karaganda",
    }
    await engine.dispose()


async def test_fsm_writes_are_single_upserts_under_concurrency(resources: Resources) -> None:
    storage = SQLAlchemyStorage(resources.sessionmaker)
    keys = [StorageKey(bot_id=1, chat_id=n, user_id=n) for n in range(20)]
    await asyncio.gather(*(storage.set_state(key, Flow.step) for key in keys * 3))
    async with resources.sessionmaker() as session:
        rows = (await session.scalars(select(FsmRecord))).all()
    assert len(rows) == 20


async def test_user_created_once_when_two_updates_race(resources: Resources) -> None:
    async def touch() -> None:
        async with resources.sessionmaker() as session:
            await get_or_create_user(session, 7, "kk")
            await session.commit()

    await asyncio.gather(*(touch() for _ in range(5)))
    async with resources.sessionmaker() as session:
        user = await get_or_create_user(session, 7, "ru")
        assert user.telegram_language == "ru"
        assert user.language is None


async def test_event_isolation_serialises_one_user_and_frees_its_lock() -> None:
    isolation = LocalEventIsolation()
    order: list[str] = []
    started = asyncio.Event()

    async def first() -> None:
        async with isolation.lock(KEY):
            order.append("first-in")
            started.set()
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            order.append("first-out")

    async def second() -> None:
        await started.wait()
        async with isolation.lock(KEY):
            order.append("second")

    await asyncio.gather(first(), second())
    assert order == ["first-in", "first-out", "second"]
    assert isolation.held == 0


async def test_closing_a_closed_case_again_keeps_its_retention_clock(resources: Resources) -> None:
    from storage.cases import close_case, create_case_once

    async with resources.sessionmaker() as session:
        await get_or_create_user(session, 4242, "ru")
        case, _ = await create_case_once(session, "k:1", user_id=4242, kind="baby")
        await close_case(session, case)
        first = case.closed_at
        await asyncio.sleep(0.01)  # a later second tap: the clock must not move
        await close_case(session, case)
        assert case.closed_at == first
