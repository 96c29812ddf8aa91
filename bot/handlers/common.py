"""Commands and menu buttons that work from every screen: help, emergency, cancel, the menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot import screens
from bot.callbacks import MenuAction, MenuCb
from bot.navigation import destination_screen, edit_or_send
from bot.services.deeplink import Destination
from bot.services.directory import Directory
from bot.services.hotlines import Hotline

router = Router(name=__name__)


@router.message(Command("emergency", "sos", "help_now"))
async def emergency_command(message: Message, i18n: I18nContext, hotlines: list[Hotline]) -> None:
    # Works in every state and never touches it: a person mid-form loses nothing.
    screen = screens.emergency(i18n, hotlines)
    await message.answer(screen.text, reply_markup=screen.markup)


@router.message(Command("help"))
async def help_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help-text"), reply_markup=screens.home(i18n).markup)


@router.message(Command("cancel"))
async def cancel_command(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    text = i18n.get("cancel-done") if had_state else i18n.get("cancel-nothing")
    await message.answer(text, reply_markup=screens.home(i18n).markup)


@router.message(Command("menu"))
async def menu_command(message: Message, i18n: I18nContext) -> None:
    screen = screens.home(i18n)
    await message.answer(screen.text, reply_markup=screen.markup)


_DESTINATIONS = {
    MenuAction.HOME: Destination.HOME,
    MenuAction.MOTHER: Destination.MOTHER,
    MenuAction.FOSTER: Destination.FOSTER,
}


@router.callback_query(MenuCb.filter(F.action.in_(_DESTINATIONS.keys())))
async def menu_destination(
    query: CallbackQuery,
    callback_data: MenuCb,
    i18n: I18nContext,
    directory: Directory,
    hotlines: list[Hotline],
) -> None:
    await query.answer()
    screen = destination_screen(_DESTINATIONS[callback_data.action], i18n, directory, hotlines)
    await edit_or_send(query, screen)


@router.callback_query(MenuCb.filter(F.action == MenuAction.INFO))
async def menu_info(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    await edit_or_send(query, screens.about(i18n))


@router.callback_query(MenuCb.filter(F.action == MenuAction.EMERGENCY))
async def menu_emergency(query: CallbackQuery, i18n: I18nContext, hotlines: list[Hotline]) -> None:
    await query.answer()
    # A new message, not an edit: the numbers must stay on screen whatever comes next.
    screen = screens.emergency(i18n, hotlines)
    if query.message is not None:
        await query.message.answer(screen.text, reply_markup=screen.markup)


@router.callback_query(MenuCb.filter(F.action == MenuAction.LANGUAGE))
async def menu_language(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    screen = screens.language_prompt(i18n)
    if query.message is not None:
        await query.message.answer(screen.text, reply_markup=screen.markup)
