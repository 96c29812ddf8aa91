"""The bot's requests to Telegram as the unit tests see them: when each one really went out,
and sessions that close at once."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.client.session.middlewares.base import NextRequestMiddlewareType as Next
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType as T

from bot.middlewares.limits import LimitedSession


class SentRequests(BaseRequestMiddleware):
    """Registered after TelegramLimits: records when each request really goes out (on the
    event loop's clock, the one aiolimiter uses), its method and its chat. One can serve the
    sessions of several instances, so that their sends are on one clock."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str, Any]] = []

    async def __call__(self, make_request: Next[T], bot: Bot, method: TelegramMethod[T]) -> Any:
        now = asyncio.get_running_loop().time()
        self.sent.append((now, method.__api_method__, getattr(method, "chat_id", None)))
        return await make_request(bot, method)

    def times(self, method: str = "sendMessage") -> list[float]:
        return [t for t, name, _ in self.sent if name == method]


class FastSession(AiohttpSession):
    """aiogram's session sleeps 250 ms on close (for TLS); nothing to wait for locally."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class FastLimitedSession(FastSession, LimitedSession):
    """The bot's session with its limits, closing at once."""
