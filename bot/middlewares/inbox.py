"""No lost updates: each batch is stored before it is acknowledged; restarts replay the rest."""

from __future__ import annotations

import asyncio
import hmac
import logging
import sys
from datetime import timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramServerError
from aiogram.fsm.context import FSMContext
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.middlewares.session import FSM_FOUND, TAKEN_UP, Handler
from storage import inbox
from storage.coordination import Coordination
from storage.fsm import SQLAlchemyStorage, conversation_found
from storage.models import utcnow
from storage.unit_of_work import InboxMark

log = logging.getLogger(__name__)

TRANSIENT = (asyncio.CancelledError, TelegramNetworkError, TelegramServerError, OperationalError)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Seconds a stopping webhook instance gives the updates in hand before closing the session.
STOP_GRACE = 10.0


def _redis_unreachable(error: Exception) -> bool:
    """Redis refused or did not answer (no connection free in its pool within the wait, a
    timeout, a restart): transient, like a busy database. A wrong password is not: replayed,
    it would fail for ever. Looked up only if redis is loaded, which it is only with REDIS_URL."""
    errors = sys.modules.get("redis.exceptions")
    if errors is None or not isinstance(error, errors.ConnectionError | errors.TimeoutError):
        return False
    refused = (errors.AuthenticationError, errors.AuthorizationError)
    return not isinstance(error, refused)


class _Skipped:
    """What the gate returns for a repeated update, so metrics can tell it from a handled one."""

    def __repr__(self) -> str:
        return "SKIPPED"


SKIPPED = _Skipped()


def _payload(update: Update) -> dict[str, Any]:
    # exclude_unset: fields aiogram fills with its own Default sentinels are not part of the update
    return update.model_dump(mode="json", exclude_none=True, exclude_unset=True, by_alias=True)


def read_update(payload: object, bot: Bot) -> Update | None:
    """The update, or None when it cannot be one. Only the reason's shape is logged, never
    the value pydantic quotes (her words)."""
    try:
        return Update.model_validate(payload, context={"bot": bot})
    except ValidationError as error:
        where = ", ".join(".".join(map(str, e["loc"])) or "-" for e in error.errors()[:3])
        update_id = payload.get("update_id") if isinstance(payload, dict) else None
        if type(update_id) is not int:
            update_id = None
        log.warning("update %s cannot be read (%s)", update_id, where)
        return None


def _readable(batch: object, bot: Bot) -> tuple[list[Update], list[int]] | None:
    """A getUpdates answer aiogram refused: the updates that can be read, and the ids of
    those that cannot. None when the answer is not a batch of updates at all."""
    if (
        not isinstance(batch, dict)
        or not batch.get("ok")
        or not isinstance(batch.get("result"), list)
    ):
        return None
    good: list[Update] = []
    bad: list[int] = []
    for item in batch["result"]:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int):
            return None  # without its id, Telegram could not be told we have it
        update = read_update(item, bot)
        if update is None:
            bad.append(update_id)
        else:
            good.append(update)
    return good, bad


class InboxRecorder(BaseRequestMiddleware):
    """Writes each getUpdates batch to the inbox before returning it.

    Telegram only forgets a batch when the next getUpdates carries a higher offset, which the
    polling loop sends after this returns: by then the batch is on disk.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._set_aside_up_to: int | None = None  # the newest update set aside unread

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        skip = self._set_aside_up_to
        if skip is not None and (method.offset or 0) <= skip:
            # The polling loop moves its offset past the updates it was given; one set aside
            # last in its batch would come back for ever, so Telegram is told we have it.
            method.offset = skip + 1
        bad: list[int] = []
        try:
            result: Any = await make_request(bot, method)
        except ClientDecodeError as error:
            # One update aiogram cannot read fails the whole batch, again at every poll:
            # the others go on, the unreadable one is kept by id only.
            readable = _readable(error.data, bot)
            if readable is None:
                raise
            result, bad = readable
        if result or bad:
            async with self._sessionmaker() as session:
                await inbox.store(session, bot.id, [_payload(update) for update in result])
                await inbox.set_aside(session, bot.id, bad)
                await session.commit()
        if bad:
            self._set_aside_up_to = max([*bad, skip or 0])
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
        session = self._sessionmaker()
        try:
            if not await self._take_up(session, bot, event, data):
                await session.commit()
                log.info("update %s was handled before; skipped", event.update_id)
                await self._coordination.mark_handled(bot.id, event.update_id)
                return SKIPPED
            # Taken up, not yet committed: DatabaseMiddleware, next in line, commits it with her
            # row before the handler runs (one commit), then marks it done in its last commit.
            data[TAKEN_UP] = session
            mark = data["inbox_mark"] = InboxMark(bot.id, event.update_id)
            try:
                result = await handler(event, data)
            except TRANSIENT:
                # The database was busy, Telegram was down, or we are stopping: replay it later.
                log.warning("update %s not finished; it will be replayed", event.update_id)
                raise
            except Exception as error:
                if _redis_unreachable(error):
                    log.warning(
                        "update %s not finished (redis); it will be replayed", event.update_id
                    )
                    raise
                await session.close()  # its writes undone before another session marks it
                await self._done(bot.id, event.update_id)  # a replay would fail the same way
                raise
        finally:
            await session.close()
        if mark.done:
            await self._coordination.mark_handled(bot.id, event.update_id)
        else:
            await self._done(bot.id, event.update_id)
        return result

    async def _take_up(
        self, session: AsyncSession, bot: Bot, event: Update, data: dict[str, Any]
    ) -> bool:
        """Take the update up in `session` (uncommitted) and say whether it needs handling."""
        context: FSMContext | None = data.get("state")  # its state read by aiogram in her lock
        state = data.get("raw_state")
        found = await conversation_found(context, state, session) if context else None
        begun = await inbox.begin(session, bot.id, event.update_id, lambda: _payload(event), found)
        if not begun.fresh:
            return False
        kept = begun.fsm_before
        if kept is not None and found is not None and context is not None:
            if not await inbox.moved_on(session, bot.id, event.update_id, found[0]):
                # An earlier try was cut short after moving her on, and nothing of hers was taken
                # up since: the same step runs again from where that try started (its writes are
                # found done; had she gone on, it runs on her state now). Written with the take-up.
                log.info("update %s replayed from the state it first found", event.update_id)
                storage = context.storage
                if isinstance(storage, SQLAlchemyStorage):
                    context = FSMContext(storage.bound(session), context.key)
                await context.set_state(kept.get("state"))
                await context.set_data(kept.get("data") or {})
                data["raw_state"] = kept.get("state")
                found = (found[0], kept)
        if found is not None:  # what the handler starts from (bot.middlewares.session)
            data[FSM_FOUND] = (found[1].get("state"), found[1].get("data") or {})
        return True

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
    replayed = 0
    for update_id, payload in pending:
        update = read_update(payload, bot)
        if update is None or update.update_id != update_id:
            # Stored before it was checked (an older version): it would stop every start.
            async with sessionmaker() as session:
                await inbox.set_aside(session, bot.id, [update_id])
                await session.commit()
            log.warning("update %s set aside: it cannot be read", update_id)
            continue
        log.info("replaying update %s", update_id)
        await dispatcher.feed_update(bot, update)
        replayed += 1
    return replayed


class InboxRequestHandler(SimpleRequestHandler):
    """Webhook mode: the update is in the inbox before Telegram gets its 200, then handled in
    the background. A crash after the 200 is replayed at the next start.

    Nothing is read before the secret is checked: a forged body gets 401 and leaves no trace
    (its update_id would otherwise make Telegram's real update with that id a "repeat")."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        secret_token: str,
    ) -> None:
        if not secret_token:
            raise ValueError("the webhook needs a secret token")
        super().__init__(
            dispatcher=dispatcher, bot=bot, secret_token=secret_token, handle_in_background=True
        )
        self._sessionmaker = sessionmaker
        self._secret = secret_token.encode()

    async def _handle_close(self, *args: Any, **kwargs: Any) -> None:
        # aiohttp's shutdown runs this before the dispatcher's: the updates still waiting for a
        # slot stop here (stored: the next start replays them), those in hand get a moment to
        # finish, and only then is the bot's session closed.
        slots = self.dispatcher.workflow_data.get("update_slots")
        if slots is not None:
            await slots.cancel_queued()
        in_hand = set(self._background_feed_update_tasks)
        if in_hand:
            await asyncio.wait(in_hand, timeout=STOP_GRACE)
        await super()._handle_close(*args, **kwargs)

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        try:
            given = telegram_secret_token.encode("utf-8", "surrogateescape")
        except UnicodeError:
            return False
        # Bytes: compare_digest refuses str with non-ASCII characters (that was a 500).
        return hmac.compare_digest(given, self._secret)

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), self.bot):
            return web.Response(status=401, text="Unauthorized")
        return await self._handle_request_background(self.bot, request)

    async def _handle_request_background(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            payload = await request.json(loads=bot.session.json_loads)
        except ValueError:  # not JSON, or not UTF-8 (UnicodeDecodeError is a ValueError)
            return web.Response(status=400, text="not JSON")
        if not isinstance(payload, dict) or type(payload.get("update_id")) is not int:
            return web.Response(status=400, text="not an update")
        update = read_update(payload, bot)
        if update is None:
            return web.Response(status=400, text="not an update")
        async with self._sessionmaker() as session:
            await inbox.store(session, bot.id, [payload])
            await session.commit()
        task = asyncio.create_task(self._feed(bot, update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)

    async def _feed(self, bot: Bot, update: Update) -> None:
        # Handled in one of the dispatcher's slots (bot.middlewares.slots): a burst waits there.
        try:
            result = await self.dispatcher.feed_update(bot, update, **self.data)
        except Exception as error:  # by id and kind: its text may quote her (SQL parameters)
            log.warning("update %s failed (%s)", update.update_id, type(error).__name__)
            return
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(bot=bot, result=result)
