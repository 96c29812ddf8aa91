"""Middlewares: a database session per update, and what every outgoing request must respect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import create_core
from bot.middlewares import discreet
from bot.services.locale import locale_for
from storage import chat_log
from storage.fsm import bind_update_session, commit_update_session, current_update_session
from storage.models import User
from storage.users import get_or_create_user

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)

# The person whose update is being handled, for the outgoing-request middleware below.
_current_person: ContextVar[User | None] = ContextVar("current_person", default=None)


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
            person = None
            if sender and not sender.is_bot and (chat is None or chat.type == "private"):
                person = await get_or_create_user(session, sender.id, sender.language_code)
                if isinstance(event, Update) and event.message is not None:
                    message = event.message
                    await chat_log.remember(
                        session, message.chat.id, message.message_id, from_bot=False
                    )
                # Committed at once: the handler's own transaction starts clean and short.
                await session.commit()
            data["person"] = person
            token = _current_person.set(person)
            try:
                with bind_update_session(session):
                    result = await handler(event, data)
                    await commit_update_session(handled=True)
            finally:
                _current_person.reset(token)
            return result


class OutgoingMiddleware(BaseRequestMiddleware):
    """Every request to Telegram passes here.

    - The update's writes are committed first: an answer a person sees is an answer stored, and
      SQLite's write lock is not held over the network. The update counts as handled only when
      its handler returns (DatabaseMiddleware), so a crash in between replays it.
    - To a phone marked as shared, whoever sends it, a message starts with two neutral lines,
      since the lock screen shows the first ones (`bot.middlewares.discreet`, the one place of
      that rule).
    - Messages sent to a private chat are remembered, so the person can clear the chat.
    - An edit Telegram refuses as "message is not modified" (a late second tap asks for what the
      message already shows) succeeds: the message shows the right thing. No caller uses an
      edit's result, so `True` (Telegram's answer for an inline message) stands for it.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._core: FluentRuntimeCore | None = None  # for sends outside any update

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        await commit_update_session()
        if isinstance(method, discreet.SHOWN):
            method = await self._discreet(method)
        try:
            result = await make_request(bot, method)
        except TelegramBadRequest as error:
            if isinstance(method, AnswerCallbackQuery) and "query is too old" in error.message:
                # A button pressed before a restart: the spinner is long gone; go on.
                return True
            if isinstance(method, EDITS) and "message is not modified" in error.message:
                return True
            raise
        if isinstance(result, Message) and result.chat.type == "private":
            await self._remember(result)
        return result

    async def _discreet(self, method: TelegramMethod[TelegramType]) -> TelegramMethod[TelegramType]:
        """The request as a shared phone may show it: her own update knows her row; a staff
        reply or a follow-up to her reads it (from the sender's session when it has one)."""
        chat_id = discreet.recipient_id(method)
        if chat_id is None:
            return method
        person = _current_person.get()
        i18n = I18nContext.get_current(no_error=True)
        if person is not None and person.id == chat_id:
            if not person.shared_phone:
                return method
            locale = i18n.locale if i18n is not None else locale_for(person.language, None)
        else:
            recipient = await self._recipient(chat_id)
            if recipient is None or not recipient.shared_phone:
                return method
            locale = locale_for(recipient.language, recipient.telegram_language)
        core = i18n.core if i18n is not None else await self._own_core()
        greeting = core.get(discreet.NEUTRAL_KEY, locale)
        return discreet.discreet(method, greeting)  # type: ignore[return-value]

    async def _recipient(self, chat_id: int) -> User | None:
        session = current_update_session()
        if session is not None:
            return await session.get(User, chat_id)
        async with self._sessionmaker() as own:
            return await own.get(User, chat_id)

    async def _own_core(self) -> FluentRuntimeCore:
        if self._core is None:
            core = create_core()
            await core.startup()
            self._core = core
        return self._core

    async def _remember(self, message: Message) -> None:
        session = current_update_session()
        if session is not None:
            await chat_log.remember(session, message.chat.id, message.message_id, from_bot=True)
            return
        async with self._sessionmaker() as own:
            await chat_log.remember(own, message.chat.id, message.message_id, from_bot=True)
            await own.commit()
