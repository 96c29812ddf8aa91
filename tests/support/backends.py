"""PostgreSQL and Redis for the flow tests run a second time (`pytest --backend postgres-redis`).

A migrated template database is made once per run; each test gets `CREATE DATABASE ... TEMPLATE`
(a file copy, tens of milliseconds) and a Redis key prefix of its own, both removed after it.
The calls run in a thread with their own event loop: fixtures that call them are synchronous.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import asyncpg
from redis.asyncio import Redis

from storage.db import create_engine
from storage.migrate import upgrade

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
REDIS_URL = "redis://127.0.0.1:6379/0"

T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _unavailable() -> str | None:
    try:
        connection = await asyncpg.connect(ADMIN_DSN, timeout=3)
        await connection.close()
    except (OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL is not running on 127.0.0.1:5432 ({type(error).__name__})"
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError as error:
        return f"Redis is not running on 127.0.0.1:6379 ({type(error).__name__})"
    finally:
        await redis.aclose()
    return None


def unavailable() -> str | None:
    """Why the postgres-redis backend can't run here, or None."""
    return _run(_unavailable())


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _create_template(name: str) -> None:
    await _admin(f'CREATE DATABASE "{name}"')
    engine = create_engine(DATABASE_URL.format(name=name))
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def create_template() -> str:
    name = f"anabot_tpl_{uuid.uuid4().hex[:10]}"
    _run(_create_template(name))
    return name


def drop_database(name: str) -> None:
    _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _forget_prefix(prefix: str) -> None:
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


@contextmanager
def database_and_prefix(template: str) -> Iterator[tuple[str, str]]:
    """A fresh copy of the template database and a fresh Redis prefix, for one test."""
    name = f"anabot_t_{uuid.uuid4().hex[:12]}"
    _run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    prefix = f"test-{name}"
    try:
        yield DATABASE_URL.format(name=name), prefix
    finally:
        drop_database(name)
        _run(_forget_prefix(prefix))
