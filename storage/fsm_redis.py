"""The FSM's Redis side (REDIS_URL set): imported only then, as redis costs 7 MB resident."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis

from storage.locks import redis_lock


class RedisPersonLock(RedisEventIsolation):
    """aiogram's Redis event isolation, with a lock that can expire without an error.

    The lock's timeout is how long a person waits when the instance handling her update died
    (aiogram's default: 60 s). A handler that outlives it (a long flood wait) must still finish
    normally: releasing a lock that already expired is logged, not raised.
    """

    def __init__(self, redis: Redis, key_builder: KeyBuilder, timeout: float) -> None:
        super().__init__(redis=redis, key_builder=key_builder, lock_kwargs={"timeout": timeout})

    def lock(self, key: StorageKey) -> AbstractAsyncContextManager[None]:
        name = self.key_builder.build(key, "lock")
        timeout = self.lock_kwargs["timeout"]
        return redis_lock(self.redis, name, expires_after=timeout, what="a person's lock")


async def forget_in_redis(storage: BaseStorage, user_id: int) -> None:
    """Every FSM state and data of this person that Redis holds (keys
    "<prefix>:<chat>[:<thread>]:<user>:<destiny>:<part>"); nothing for another storage."""
    if isinstance(storage, RedisStorage) and isinstance(storage.key_builder, DefaultKeyBuilder):
        prefix = storage.key_builder.prefix
        for pattern in (f"{prefix}:{user_id}:*", f"{prefix}:*:{user_id}:*"):
            async for key in storage.redis.scan_iter(match=pattern, count=500):
                name = key.decode() if isinstance(key, bytes) else str(key)
                if not name.endswith(":lock"):  # the lock of the update being handled stays
                    await storage.redis.delete(key)
