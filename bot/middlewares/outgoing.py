"""The outgoing middleware: what every request to Telegram must respect (see its docstring)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
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
from aiogram.types import Message
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import create_core
from bot.middlewares import discreet
from bot.services.locale import locale_for
from storage import chat_log
from storage.models import User
from storage.unit_of_work import UnitOfWork, UnitsInFlight, in_flight

EDITS = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)


class OutgoingMiddleware(BaseRequestMiddleware):
    """Every request to Telegram passes here.

    - The update's writes are committed first: an answer a person sees is an answer stored, and
      SQLite's write lock is not held over the network. The update counts as handled only when
      its handler returns (DatabaseMiddleware), so a crash in between replays it. The unit of
      work is the one the task making the request has open (`storage.unit_of_work.in_flight`).
    - To a phone marked as shared, whoever sends it, a message starts with two neutral lines,
      since the lock screen shows the first ones (`bot.middlewares.discreet`, the one place of
      that rule).
    - Messages sent to a private chat are remembered, so the person can clear the chat.
    - An edit Telegram refuses as "message is not modified" (a late second tap asks for what the
      message already shows) succeeds: the message shows the right thing. No caller uses an
      edit's result, so `True` (Telegram's answer for an inline message) stands for it.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], units: UnitsInFlight = in_flight
    ) -> None:
        self._sessionmaker = sessionmaker
        self._units = units  # the unit of work each request belongs to, by the task making it
        self._core: FluentRuntimeCore | None = None  # for sends outside any update

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        uow = self._units.current()
        if uow is not None:
            await uow.commit()
        if isinstance(method, discreet.SHOWN):
            method = await self._discreet(method, uow)
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
            await self._remember(result, uow)
        return result

    async def _discreet(
        self, method: TelegramMethod[TelegramType], uow: UnitOfWork | None
    ) -> TelegramMethod[TelegramType]:
        """The request as a shared phone may show it: her own update knows her row; a staff
        reply or a follow-up to her reads it (from the sender's session when it has one)."""
        chat_id = discreet.recipient_id(method)
        if chat_id is None:
            return method
        person = uow.person if uow is not None else None
        i18n = I18nContext.get_current(no_error=True)
        if person is not None and person.id == chat_id:
            if not person.shared_phone:
                return method
            locale = i18n.locale if i18n is not None else locale_for(person.language, None)
        else:
            recipient = await self._recipient(chat_id, uow)
            if recipient is None or not recipient.shared_phone:
                return method
            locale = locale_for(recipient.language, recipient.telegram_language)
        core = i18n.core if i18n is not None else await self._own_core()
        greeting = core.get(discreet.NEUTRAL_KEY, locale)
        return discreet.discreet(method, greeting)  # type: ignore[return-value]

    async def _recipient(self, chat_id: int, uow: UnitOfWork | None) -> User | None:
        if uow is not None:
            return await uow.session.get(User, chat_id)
        async with self._sessionmaker() as own:
            return await own.get(User, chat_id)

    async def _own_core(self) -> FluentRuntimeCore:
        if self._core is None:
            core = create_core()
            await core.startup()
            self._core = core
        return self._core

    async def _remember(self, message: Message, uow: UnitOfWork | None) -> None:
        if uow is not None:
            await chat_log.remember(uow.session, message.chat.id, message.message_id, from_bot=True)
            return
        async with self._sessionmaker() as own:
            await chat_log.remember(own, message.chat.id, message.message_id, from_bot=True)
            await own.commit()
