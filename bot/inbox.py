"""No lost updates: each batch is stored before it is acknowledged; restarts replay the rest."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.middlewares import Handler
from storage import inbox
from storage.fsm import bind_inbox_key

log = logging.getLogger(__name__)


def _payload(update: Update) -> dict[str, Any]:
    # exclude_unset: fields aiogram fills with its own Default sentinels are not part of the update
    return update.model_dump(mode="json", exclude_none=True, exclude_unset=True, by_alias=True)


class InboxRecorder(BaseRequestMiddleware):
    """Writes each getUpdates batch to the inbox before returning it.

    Telegram only forgets a batch when the next getUpdates carries a higher offset, which the
    polling loop sends after this returns: by then the batch is on disk.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        result = await make_request(bot, method)
        if isinstance(method, GetUpdates) and result:
            async with self._sessionmaker() as session:
                await inbox.store(session, bot.id, [_payload(update) for update in result])
                await session.commit()
        return result


class InboxGate(BaseMiddleware):
    """Handles an update at most once: a repeated `update_id` (a redelivery, a webhook retry,
    a replay) is skipped; an update is marked done when its handler returns."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot: Bot = data["bot"]
        async with self._sessionmaker() as session:
            fresh = await inbox.begin(session, bot.id, _payload(event))
            await session.commit()
        if not fresh:
            log.info("update %s was handled before; skipped", event.update_id)
            return None
        try:
            with bind_inbox_key(bot.id, event.update_id):
                return await handler(event, data)
        finally:
            async with self._sessionmaker() as session:
                await inbox.done(session, bot.id, event.update_id)
                await session.commit()


async def replay_unfinished(
    dispatcher: Dispatcher, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> int:
    """After a crash: handle what was stored but not finished, oldest first."""
    async with sessionmaker() as session:
        pending = await inbox.unfinished(session, bot.id)
    for payload in pending:
        log.info("replaying update %s", payload.get("update_id"))
        await dispatcher.feed_raw_update(bot, payload)
    return len(pending)
