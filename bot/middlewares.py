"""Outer middlewares: a database session and the person's row for each update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.fsm import bind_update_session, commit_update_session
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
                # Committed at once: the handler's own transaction starts clean and short.
                await session.commit()
            with bind_update_session(session):
                result = await handler(event, data)
            await session.commit()
            return result


class CommitBeforeSend(BaseRequestMiddleware):
    """Saves the update's writes before the bot speaks, so an answer seen is an answer stored.

    It also keeps SQLite's write lock off the network round trip.
    """

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        await commit_update_session()
        return await make_request(bot, method)
