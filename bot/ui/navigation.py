"""Showing a screen by where a person is headed (shared by /start, the picker and the menu)."""

from __future__ import annotations

import uuid

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.services.deeplink import Destination
from bot.ui import screens
from bot.ui.screens import foster as foster_screens
from bot.ui.screens import mother as mother_screens
from bot.ui.states import Mother


async def begin_mother_flow(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """The mother's flow starts with her safety; a fresh flow id makes its handoff unique."""
    await state.set_state(Mother.safety)
    await state.set_data({"flow_id": uuid.uuid4().hex})
    await message.answer(**mother_screens.safety_question(i18n).as_kwargs())


def destination_screen(
    destination: Destination, i18n: I18nContext, *, first: bool = False
) -> screens.Screen:
    if destination is Destination.FOSTER:
        return foster_screens.home(i18n)
    # Staff invitations are redeemed by the staff workspace; until then a link leads home.
    return screens.greeting(i18n) if first else screens.home(i18n)


async def show_destination(
    message: Message,
    destination: Destination,
    state: FSMContext,
    i18n: I18nContext,
    *,
    first: bool = False,
) -> None:
    if destination is Destination.MOTHER:
        await begin_mother_flow(message, state, i18n)
        return
    await message.answer(**destination_screen(destination, i18n, first=first).as_kwargs())


async def edit_or_send(query: CallbackQuery, screen: screens.Screen) -> None:
    """Replace the pressed menu in place; if Telegram can't edit it (too old), send anew."""
    message = query.message
    if not isinstance(message, Message):
        if query.from_user is not None and query.bot is not None:
            await query.bot.send_message(query.from_user.id, **screen.as_kwargs())
        return
    try:
        await message.edit_text(**screen.as_kwargs())
    except TelegramBadRequest:  # "not modified" never reaches here: OutgoingMiddleware
        await message.answer(**screen.as_kwargs())
