"""The Redis client of the FSM, the person locks and the coordination (REDIS_URL set).

A blocking pool: a burst of updates (a campaign post: hundreds at once) waits its turn for a
connection. redis-py's default pool refuses the 101st command in flight with "Too many
connections", which failed every update of the burst beyond it until the inbox replayed them
minutes later (bench.two_bots: 555 of 1,100 staff replies, a 130 s stall).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # redis is imported only where REDIS_URL gives a Redis (7 MB resident)
    from redis.asyncio import Redis

# Commands in flight at once per client; the updates handled at once are capped lower
# (MAX_CONCURRENT_UPDATES, bot.middlewares.slots), each holding a connection only for one
# command at a time.
CONNECTIONS = 100
# Seconds a command waits for a free connection before it fails (redis' ConnectionError: the
# update is left unfinished and replayed, bot.middlewares.inbox).
CONNECTION_WAIT = 30.0


def redis_client(url: str, *, connections: int = CONNECTIONS) -> Redis:
    from redis.asyncio import BlockingConnectionPool, Redis

    pool = BlockingConnectionPool.from_url(
        url, max_connections=connections, timeout=CONNECTION_WAIT
    )
    return Redis.from_pool(pool)
