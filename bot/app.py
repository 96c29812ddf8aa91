"""The one place a bot and its dispatcher are built, for `run`, `demo` and tests."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware, Bot, Dispatcher, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.methods.base import Response
from aiogram.types import TelegramObject
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import handlers
from bot.config import TELEGRAM_API_URL, Settings
from bot.i18n import create_i18n_middleware, set_command_menus
from bot.logs import protect_logs
from bot.middlewares.inbox import InboxGate, InboxRecorder
from bot.middlewares.limits import LimitedSession, Limits, TelegramLimits, limits_of
from bot.middlewares.metrics import Metrics, MetricsMiddleware
from bot.middlewares.outgoing import OutgoingMiddleware
from bot.middlewares.session import DatabaseMiddleware, Handler
from bot.middlewares.slots import SlotsMiddleware, UpdateSlots
from bot.services.directory import Directory, load_directory
from bot.services.hotlines import Hotline, load_hotlines
from bot.use_cases.desk import Desk
from bot.workspace.cards import StaffTexts
from bot.workspace.case_threads import CaseThreads
from storage.coordination import Coordination
from storage.db import create_engine, create_sessionmaker
from storage.fsm import LocalEventIsolation, SQLAlchemyStorage
from storage.migrate import upgrade
from storage.users import mark_blocked

if TYPE_CHECKING:
    from storage.shared_limits import SharedLimits

log = logging.getLogger(__name__)


@dataclass
class Resources:
    """Long-lived objects shared by the dispatcher's handlers."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    directory: Directory
    hotlines: list[Hotline]

    async def close(self) -> None:
        await self.engine.dispose()


async def open_resources(settings: Settings, *, migrate: bool = True) -> Resources:
    """Connect to the database (migrating it to the latest schema) and load the directory."""
    directory = load_directory(settings.shelters_file)
    directory.build_place_index()  # the gazetteer's names: once here, not on the first message
    hotlines = load_hotlines()
    engine = create_engine(settings.database_url)
    if migrate:
        await upgrade(engine)
    if directory.all_unverified:
        log.warning(
            "every house in the directory is unverified (%d): the bot shows cities only, "
            "no phones or addresses, and staff make contact; see README, 'The directory'",
            len(directory.shelters),
        )
    return Resources(engine, create_sessionmaker(engine), directory, hotlines)


def _mark_unreachable(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> Callable[[int, str], Awaitable[None]]:
    """A 403 from a private chat: the person blocked the bot. Recorded, not retried."""

    async def mark(chat_id: int, method: str) -> None:
        if chat_id <= 0:
            log.warning("bot refused in chat %s (%s): removed from a staff group?", chat_id, method)
            return
        async with sessionmaker() as session:
            await mark_blocked(session, chat_id)
            await session.commit()

    return mark


@functools.cache
def _response_types() -> tuple[type, ...]:
    """aiogram parses each answer as `Response[T]`, a pydantic generic that pydantic caches only
    weakly: between garbage collections it is rebuilt, 3-7 ms each time (14% of the bot's time
    in bench.profile). Holding the types the bot uses keeps them built, for 17 ms at start."""
    used = (
        methods.SendMessage, methods.EditMessageText, methods.EditMessageReplyMarkup,
        methods.AnswerCallbackQuery, methods.CopyMessage, methods.CreateForumTopic,
        methods.DeleteMessage, methods.DeleteMessages, methods.GetUpdates, methods.GetChat,
        methods.SendLocation, methods.SendDocument, methods.SendPhoto, methods.SetMyCommands,
        methods.SetWebhook, methods.DeleteWebhook, methods.GetMe, methods.SendMediaGroup,
    )  # fmt: skip
    return tuple({repr(m.__returning__): Response[m.__returning__] for m in used}.values())


def create_bot(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    token: str | None = None,
) -> Bot:
    if token is None:
        if settings.bot_token is None:
            raise ValueError("a bot token is needed")
        token = settings.bot_token.get_secret_value()
    api = (
        PRODUCTION
        if settings.telegram_api_url == TELEGRAM_API_URL
        else TelegramAPIServer.from_base(settings.telegram_api_url)
    )
    _response_types()
    limits = Limits(
        per_second=settings.telegram_per_second,
        private_per_second=settings.telegram_private_per_second,
        group_per_minute=settings.telegram_group_per_minute,
        window_scale=settings.telegram_limits_scale,
    )
    # With Redis, every instance of the bot takes Telegram's windows from one shared count.
    shared: SharedLimits | None = None
    if settings.redis_url:
        from storage.shared_limits import SharedLimits  # imports redis: only when it is set

        shared = SharedLimits.from_url(settings.redis_url, settings.redis_prefix)
    session = LimitedSession(
        TelegramLimits(limits, on_forbidden=_mark_unreachable(sessionmaker), shared=shared),
        OutgoingMiddleware(sessionmaker),
        InboxRecorder(sessionmaker),
        api=api,
    )
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


async def _on_startup(bot: Bot, update_slots: UpdateSlots, i18n_middleware: I18nMiddleware) -> None:
    limits = limits_of(bot)
    if limits is not None:
        # An update that waits long for Telegram's limits leaves its slot (middlewares.slots).
        limits.before_wait = update_slots.step_aside
    await set_command_menus(bot, i18n_middleware.core)


def create_fsm(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    prefix: str | None = None,
) -> tuple[BaseStorage, BaseEventIsolation]:
    """FSM state in the database by default; in Redis, with Redis locks, when REDIS_URL is set,
    so several instances share every conversation and never handle one person twice at once."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        from storage.fsm_redis import RedisPersonLock
        from storage.redis_pool import redis_client

        storage = RedisStorage(
            redis_client(settings.redis_url),
            key_builder=DefaultKeyBuilder(
                prefix=prefix or f"{settings.redis_prefix}:fsm", with_destiny=True
            ),
            # A conversation left mid-flow expires (its data may hold a phone); each step
            # writes the keys again, so a live conversation keeps them.
            state_ttl=settings.conversation_keep,
            data_ttl=settings.conversation_keep,
        )
        isolation = RedisPersonLock(
            storage.redis, storage.key_builder, settings.redis_lock_timeout.total_seconds()
        )
        return storage, isolation
    return SQLAlchemyStorage(sessionmaker), LocalEventIsolation()


class _DeskMiddleware(BaseMiddleware):
    """Lays the desk (bot.use_cases.desk) in each update's data: handlers ask for `desk`, not
    for its parts; the parts stay in the data for the middlewares and filters."""

    def __init__(self, core: FluentRuntimeCore) -> None:
        self.core = core
        self.staff_texts: dict[str, StaffTexts] = {}  # built once per staff language

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        language = data["settings"].staff_language
        texts = self.staff_texts.get(language)
        if texts is None:
            texts = self.staff_texts[language] = StaffTexts(self.core, language)
        data["desk"] = Desk.from_data(data, texts)
        return await handler(event, data)


def create_dispatcher(
    settings: Settings,
    resources: Resources,
    *,
    fsm_storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    protect_logs()  # whoever runs the dispatcher (the process, the demo, tests) at any level
    default_storage, default_isolation = (
        (fsm_storage, events_isolation)
        if fsm_storage is not None and events_isolation is not None
        else create_fsm(settings, resources.sessionmaker)
    )
    coordination = Coordination.from_url(
        settings.redis_url,
        prefix=settings.redis_prefix,
        # A case's topic lock is taken while her person lock is held: it must expire well
        # before, or a dead holder could keep her lock past its own timeout.
        lock_timeout=settings.redis_lock_timeout.total_seconds() / 3,
    )
    metrics = Metrics()
    i18n_middleware = create_i18n_middleware()
    update_slots = UpdateSlots(settings.max_concurrent_updates)
    dispatcher = Dispatcher(
        storage=default_storage,
        events_isolation=default_isolation,
        settings=settings,
        directory=resources.directory,
        hotlines=resources.hotlines,
        sessionmaker=resources.sessionmaker,
        case_threads=CaseThreads(coordination),
        coordination=coordination,
        metrics=metrics,
        update_slots=update_slots,
    )
    # Order matters: a slot (inside aiogram's FSM middleware: her lock held), metrics around
    # everything, the inbox (at most once), the session and the person's row, then the locale
    # read from that row.
    dispatcher.update.outer_middleware(SlotsMiddleware(update_slots))
    dispatcher.update.outer_middleware(MetricsMiddleware(metrics))
    dispatcher.update.outer_middleware(_DeskMiddleware(i18n_middleware.core))
    dispatcher.update.outer_middleware(InboxGate(resources.sessionmaker, coordination))
    dispatcher.update.outer_middleware(DatabaseMiddleware(resources.sessionmaker))
    i18n_middleware.setup(dispatcher)
    dispatcher.include_router(handlers.setup())
    dispatcher.startup.register(_on_startup)
    # Polling stops: the updates still waiting for a slot stop too (stored: replayed later).
    dispatcher.shutdown.register(update_slots.cancel_queued)
    dispatcher.shutdown.register(coordination.close)
    return dispatcher
