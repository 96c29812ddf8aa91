"""Danger words in anything a person types raise her case to urgent, at any step."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.middlewares import Handler
from bot.screens import numbers_screen
from bot.screens.mother import DANGER_NUMBERS
from bot.services.directory import Directory
from bot.services.hotlines import Hotline
from bot.services.triage import is_danger
from bot.staff_alerts import notify_case_thread
from bot.staff_cards import StaffTexts, refresh_card
from bot.states import Mother
from bot.topics import CaseThreads
from storage.cases import make_urgent, open_case_of
from storage.models import User

log = logging.getLogger(__name__)


class DangerWatch(BaseMiddleware):
    """Reads every text and caption in a private chat before its handler runs.

    On danger words: the emergency numbers at once, the flow's answers marked urgent, and an
    open case raised to urgent with a word to its staff. Then the step's own handler runs as
    usual, so she keeps her place.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        person: User | None = data.get("person")
        if isinstance(event, Message) and person is not None:
            text = event.text or event.caption or ""
            if text and not text.startswith("/") and is_danger(text):
                await self._raise(event, person, data)
        return await handler(event, data)

    async def _raise(self, message: Message, person: User, data: dict[str, Any]) -> None:
        i18n: I18nContext = data["i18n"]
        state: FSMContext = data["state"]
        db: AsyncSession = data["db"]
        bot: Bot = data["bot"]
        settings: Settings = data["settings"]
        hotlines: list[Hotline] = data["hotlines"]
        current = await state.get_state()
        if current is not None and current.startswith(Mother.__name__):
            await state.update_data(danger_words=True)
        lines = [line for number in DANGER_NUMBERS for line in hotlines if line.number == number]
        screen = numbers_screen(
            i18n, lines, i18n.get("danger-detected-title"), i18n.get("danger-detected-footer"), None
        )
        await message.answer(**screen.as_kwargs())
        case = await open_case_of(db, person.id)
        if case is None or not await make_urgent(db, case) or case.staff_chat_id is None:
            return
        log.info("case %s raised to urgent by danger words", case.id)
        t = StaffTexts(i18n.core, settings.staff_language)
        directory: Directory = data["directory"]
        threads: CaseThreads = data["case_threads"]
        await refresh_card(bot, case, directory, t)
        await notify_case_thread(
            bot,
            db,
            case,
            t("staff-case-raised-urgent", case=case.id),
            directory=directory,
            threads=threads,
            t=t,
        )
