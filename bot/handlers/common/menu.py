"""Commands and menu buttons that work from every screen: help, emergency, cancel, the menu."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.lazy.filter import LazyFilter

from bot.services.deeplink import Destination
from bot.ui import screens
from bot.ui.callbacks import MenuAction, MenuCb
from bot.ui.navigation import begin_mother_flow, destination_screen, edit_or_send
from bot.use_cases.desk import Desk


async def emergency_command(message: Message, i18n: I18nContext, desk: Desk) -> None:
    hotlines = desk.hotlines
    screen = screens.emergency(i18n, hotlines)
    await message.answer(**screen.as_kwargs())


async def help_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("help-text"), reply_markup=screens.home(i18n).markup)


async def cancel_command(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    text = i18n.get("cancel-done") if had_state else i18n.get("cancel-nothing")
    await message.answer(text, reply_markup=screens.home(i18n).markup)


async def menu_command(message: Message, i18n: I18nContext) -> None:
    screen = screens.home(i18n)
    await message.answer(**screen.as_kwargs())


_DESTINATIONS = {MenuAction.HOME: Destination.HOME, MenuAction.FOSTER: Destination.FOSTER}


async def menu_destination(
    query: CallbackQuery, callback_data: MenuCb, state: FSMContext, i18n: I18nContext
) -> None:
    await query.answer()
    if callback_data.action is MenuAction.HOME and await state.get_state() is not None:
        # "Menu" leaves the flow; its answers so far are not sent anywhere.
        await state.clear()
    await edit_or_send(query, destination_screen(_DESTINATIONS[callback_data.action], i18n))


async def menu_mother(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await begin_mother_flow(query.message, state, i18n)


async def menu_info(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    await edit_or_send(query, screens.about(i18n))


async def menu_emergency(query: CallbackQuery, i18n: I18nContext, desk: Desk) -> None:
    hotlines = desk.hotlines
    await query.answer()
    # A new message, not an edit: the numbers must stay on screen whatever comes next.
    screen = screens.emergency(i18n, hotlines)
    if query.message is not None:
        await query.message.answer(**screen.as_kwargs())


async def menu_language(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer()
    screen = screens.language_prompt(i18n)
    if query.message is not None:
        await query.message.answer(**screen.as_kwargs())


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(emergency_command, LazyFilter("menu-button-emergency"))
    router.message.register(emergency_command, Command("emergency", "sos", "help_now"))
    router.message.register(help_command, Command("help"))
    router.message.register(cancel_command, Command("cancel"))
    router.message.register(menu_command, Command("menu"))
    router.callback_query.register(
        menu_destination, MenuCb.filter(F.action.in_(_DESTINATIONS.keys()))
    )
    router.callback_query.register(menu_mother, MenuCb.filter(F.action == MenuAction.MOTHER))
    router.callback_query.register(menu_info, MenuCb.filter(F.action == MenuAction.INFO))
    router.callback_query.register(menu_emergency, MenuCb.filter(F.action == MenuAction.EMERGENCY))
    router.callback_query.register(menu_language, MenuCb.filter(F.action == MenuAction.LANGUAGE))
    return router
