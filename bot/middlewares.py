"""Outer middlewares: a database session and the person's row for each update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.users import get_or_create_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DatabaseMiddleware(BaseMiddleware):
    """Opens one session per update, commits when the handler returns, rolls back if it raises.

    In a private chat it also loads (or creates) the person's row as `person`; people seen only
    in staff groups get no row.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._sessionmaker() as session:
            data["db"] = session
            sender: TelegramUser | None = data.get("event_from_user")
            chat: Chat | None = data.get("event_chat")
            data["person"] = None
            if sender and not sender.is_bot and (chat is None or chat.type == "private"):
                data["person"] = await get_or_create_user(session, sender.id, sender.language_code)
            result = await handler(event, data)
            await session.commit()
            return result
