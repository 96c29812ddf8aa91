"""No lost updates: each batch is stored before it is acknowledged; restarts replay the rest."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.fsm.context import FSMContext
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coordination import Coordination
from bot.middlewares import Handler
from storage import inbox
from storage.fsm import bind_inbox_key
from storage.models import utcnow

log = logging.getLogger(__name__)

TRANSIENT = (asyncio.CancelledError, TelegramNetworkError, TelegramServerError, OperationalError)


class _Skipped:
    """What the gate returns for a repeated update, so metrics can tell it from a handled one."""

    def __repr__(self) -> str:
        return "SKIPPED"


SKIPPED = _Skipped()


async def _conversation(context: FSMContext, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The conversation's key and state as this update finds it (aiogram read the state
    inside the person's lock)."""
    key = context.key
    name = f"{key.chat_id}:{key.user_id}:{key.thread_id or ''}:{key.destiny}"
    return name, {"state": data.get("raw_state"), "data": await context.get_data()}


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
    a replay) is skipped; an update is marked done when its handler returns.

    With Redis, instances share a record of handled updates, checked first; the inbox table
    decides whenever Redis does not know."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        coordination: Coordination | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._coordination = coordination or Coordination()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot: Bot = data["bot"]
        if await self._coordination.handled(bot.id, event.update_id):
            log.info("update %s was handled before (redis); skipped", event.update_id)
            return SKIPPED
        context: FSMContext | None = data.get("state")
        # Read before the inbox's session opens: SQLite's FSM storage reads on a session of its own.
        found = await _conversation(context, data) if context is not None else None
        async with self._sessionmaker() as session:
            begun = await inbox.begin(session, bot.id, _payload(event), found)
            start_from = None  # the state to replay from, if this is a replay that may rewind
            if begun.fsm_before is not None and found is not None:
                if not await inbox.moved_on(session, bot.id, event.update_id, found[0]):
                    start_from = begun.fsm_before
            await session.commit()
        if not begun.fresh:
            log.info("update %s was handled before; skipped", event.update_id)
            await self._coordination.mark_handled(bot.id, event.update_id)
            return SKIPPED
        if start_from is not None and context is not None:
            # A try before this one was cut short after moving the conversation on (its reply
            # maybe never sent), and nothing of hers was taken up since: start again from where
            # that try started, so the same step runs again. Its writes are found done (one case
            # per flow, follow-ups by unique key). Had she gone on, it runs on her state now.
            log.info("update %s replayed from the state it first found", event.update_id)
            await context.set_state(start_from.get("state"))
            await context.set_data(start_from.get("data") or {})
            data["raw_state"] = start_from.get("state")
        try:
            with bind_inbox_key(bot.id, event.update_id) as mark:
                result = await handler(event, data)
        except TRANSIENT:
            # The database was busy, Telegram was down, or we are stopping: replay it later.
            log.warning("update %s not finished; it will be replayed", event.update_id)
            raise
        except Exception:
            await self._done(bot.id, event.update_id)  # a replay would fail the same way
            raise
        if mark.done:  # the update's own last commit marked it (DatabaseMiddleware)
            await self._coordination.mark_handled(bot.id, event.update_id)
        else:
            await self._done(bot.id, event.update_id)
        return result

    async def _done(self, bot_id: int, update_id: int) -> None:
        async with self._sessionmaker() as session:
            await inbox.done(session, bot_id, update_id)
            await session.commit()
        await self._coordination.mark_handled(bot_id, update_id)


async def replay_unfinished(
    dispatcher: Dispatcher,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    older_than: timedelta | None = None,
) -> int:
    """Handle what was stored but not finished, oldest first: at start, after a crash; and
    periodically, rows older than `older_than` that an instance which died left behind.

    Safe beside a live instance still handling one of them: the gate runs inside the person's
    lock (in Redis with several instances) and skips an update finished meanwhile."""
    before = utcnow() - older_than if older_than is not None else None
    async with sessionmaker() as session:
        pending = await inbox.unfinished(session, bot.id, before)
    for payload in pending:
        log.info("replaying update %s", payload.get("update_id"))
        await dispatcher.feed_raw_update(bot, payload)
    return len(pending)


class InboxRequestHandler(SimpleRequestHandler):
    """Webhook mode: the update is in the inbox before Telegram gets its 200, then handled in
    the background. A crash after the 200 is replayed at the next start."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        secret_token: str | None = None,
    ) -> None:
        super().__init__(
            dispatcher=dispatcher, bot=bot, secret_token=secret_token, handle_in_background=True
        )
        self._sessionmaker = sessionmaker

    async def _handle_request_background(self, bot: Bot, request: web.Request) -> web.Response:
        update = await request.json(loads=bot.session.json_loads)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        async with self._sessionmaker() as session:
            await inbox.store(session, bot.id, [update])
            await session.commit()
        task = asyncio.create_task(self._background_feed_update(bot=bot, update=update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)
