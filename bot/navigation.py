"""Showing a screen by where a person is headed (shared by /start, the picker and the menu)."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot import screens
from bot.services.deeplink import Destination
from bot.services.directory import Directory
from bot.services.hotlines import Hotline


def destination_screen(
    destination: Destination,
    i18n: I18nContext,
    directory: Directory,
    hotlines: list[Hotline],
    *,
    first: bool = False,
) -> screens.Screen:
    if destination is Destination.MOTHER:
        return screens.mother(i18n, directory, hotlines)
    if destination is Destination.FOSTER:
        return screens.foster(i18n)
    # Staff invitations are redeemed by the staff workspace; until then a link leads home.
    return screens.greeting(i18n) if first else screens.home(i18n)


async def show_destination(
    message: Message,
    destination: Destination,
    i18n: I18nContext,
    directory: Directory,
    hotlines: list[Hotline],
    *,
    first: bool = False,
) -> None:
    screen = destination_screen(destination, i18n, directory, hotlines, first=first)
    await message.answer(screen.text, reply_markup=screen.markup)


async def edit_or_send(query: CallbackQuery, screen: screens.Screen) -> None:
    """Replace the pressed menu in place; if Telegram can't edit it (too old), send anew."""
    message = query.message
    if not isinstance(message, Message):
        if query.from_user is not None and query.bot is not None:
            await query.bot.send_message(
                query.from_user.id, screen.text, reply_markup=screen.markup
            )
        return
    try:
        await message.edit_text(screen.text, reply_markup=screen.markup)
    except TelegramBadRequest as error:
        if "message is not modified" in error.message:
            return
        await message.answer(screen.text, reply_markup=screen.markup)
