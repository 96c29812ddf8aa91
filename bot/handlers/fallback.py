"""Catch-alls, registered last: any input gets a kind answer, and the person keeps their place."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from bot.filters import Magic
from bot.ui import screens
from bot.ui.states import Onboarding


async def waiting_for_language(message: Message, i18n: I18nContext) -> None:
    screen = screens.first_language_prompt(i18n)
    await message.answer(**screen.as_kwargs())


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(
        i18n.get("fallback-unknown-command"), reply_markup=screens.home(i18n).markup
    )


async def unexpected_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-text"), reply_markup=screens.home(i18n).markup)


async def unexpected_voice(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-voice"), reply_markup=screens.home(i18n).markup)


async def unexpected_media(message: Message, i18n: I18nContext) -> None:
    # Stickers, photos, files, locations outside a step: no dead end, just the way on.
    await message.answer(i18n.get("fallback-media"), reply_markup=screens.home(i18n).markup)


async def live_location_moved() -> None:
    """A live location is an edit each time she moves: no reply (each would be a notification
    on her phone) and nothing relayed; the point she first shared was."""


async def edited(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("fallback-edited"))


async def stale_button(query: CallbackQuery, i18n: I18nContext) -> None:
    # An old or forged button: say so, and offer the menu instead of doing anything.
    await query.answer()
    if query.message is not None:
        await query.message.answer(
            i18n.get("fallback-stale-button"), reply_markup=screens.home(i18n).markup
        )


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(waiting_for_language, StateFilter(Onboarding.language))
    router.message.register(unknown_command, Magic(F.text.startswith("/")))
    router.message.register(unexpected_text, Magic(F.text))
    router.message.register(unexpected_voice, Magic(F.voice | F.video_note | F.audio))
    router.message.register(unexpected_media)
    router.edited_message.register(live_location_moved, Magic(F.location))
    router.edited_message.register(edited)
    router.callback_query.register(stale_button)
    return router
