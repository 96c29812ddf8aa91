"""Redis on this machine for the tests that need it (skipped, saying why, where it is not
running), a key prefix of a test's own, and the migrations' round trip on any database."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import inspect

from storage.db import create_engine
from storage.migrate import downgrade, upgrade
from storage.models import Base
from tests.support.backends import REDIS_URL


async def redis_or_skip() -> Redis:
    """A client of the Redis on 127.0.0.1:6379, or the test skipped (CI starts it: .ci/run)."""
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (OSError, RedisError) as error:
        await client.aclose()
        pytest.skip(f"Redis is not running on 127.0.0.1:6379 ({type(error).__name__})")
    return client


@contextlib.asynccontextmanager
async def redis_prefix(name: str) -> AsyncIterator[str]:
    """A key prefix of one test's own, `name-<random>`; its keys are dropped afterwards."""
    client = await redis_or_skip()
    prefix = f"{name}-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        keys = [key async for key in client.scan_iter(f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def assert_migrations_go_up_and_down(database_url: str) -> None:
    """The migrations make every model's table, and going back to base removes them all."""
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables, set(Base.metadata.tables) - tables
    await downgrade(engine, "base")
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert tables <= {"alembic_version"}, tables
    await engine.dispose()
