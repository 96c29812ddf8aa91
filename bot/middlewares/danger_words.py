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
from bot.middlewares.session import Handler
from bot.services.hotlines import Hotline
from bot.services.triage import is_danger
from bot.ui.screens import numbers_screen
from bot.ui.screens.mother import DANGER_NUMBERS, urgent_contact_markup
from bot.ui.states import Mother
from bot.workspace.alerts import notify_case_thread
from bot.workspace.cards import StaffTexts, refresh_card
from bot.workspace.case_threads import Workspace
from storage.cases import make_urgent, open_case_of
from storage.models import Case, User

log = logging.getLogger(__name__)


class DangerWatch(BaseMiddleware):
    """Reads every text and caption in a private chat before its handler runs.

    On danger words: the emergency numbers at once, the flow's answers marked urgent, and an
    open case raised to urgent with a word to its staff; with no case, a button to ask for
    contact (an urgent request). Then the step's own handler runs as usual, so she keeps her
    place.
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
        hotlines: list[Hotline] = data["hotlines"]
        current = await state.get_state()
        in_flow = current is not None and current.startswith(Mother.__name__)
        if in_flow and current != Mother.handed_off.state:
            await state.update_data(danger_words=True)
        case = await open_case_of(db, person.id)
        raised = case is not None and await make_urgent(db, case)
        # Only what is true now: an open case is urgent with its staff; a request still being
        # made will be sent as urgent; else nothing exists, and a button asks for contact.
        markup = None
        if case is not None:
            footer = i18n.get("danger-detected-raised", case=str(case.id))
        elif in_flow and current != Mother.handed_off.state:
            footer = i18n.get("danger-detected-in-flow")
        else:
            footer = i18n.get("danger-detected-offer")
            markup = urgent_contact_markup(i18n)
        lines = [line for number in DANGER_NUMBERS for line in hotlines if line.number == number]
        screen = numbers_screen(i18n, lines, i18n.get("danger-detected-title"), footer, markup)
        await message.answer(**screen.as_kwargs())
        if case is None or not raised or case.staff_chat_id is None:
            return
        log.info("case %s raised to urgent by danger words", case.id)
        await self._tell_staff(case, data)

    async def _tell_staff(self, case: Case, data: dict[str, Any]) -> None:
        i18n: I18nContext = data["i18n"]
        settings: Settings = data["settings"]
        bot: Bot = data["bot"]
        t = StaffTexts(i18n.core, settings.staff_language)
        workspace = Workspace(data["directory"], data["case_threads"], t)
        await refresh_card(bot, case, workspace.directory, t)
        await notify_case_thread(
            bot, data["db"], case, t("staff-case-raised-urgent", case=case.id), workspace
        )
