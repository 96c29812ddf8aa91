"""Inline keyboards. Every keyboard carries the emergency button: help is one tap away."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

from bot.ui.callbacks import Language, LanguageCb, MenuAction, MenuCb

LANGUAGE_NAMES: dict[Language, str] = {
    Language.KK: "🇰🇿 Қазақша",
    Language.RU: "🇷🇺 Русский",
    Language.EN: "🇬🇧 English",
}


# The keyboards of static screens, one per screen and language, built at their first use:
# building one (a builder deep-copies its rows) cost more than the rest of a menu tap. A markup
# is never changed once built (aiogram only reads it to send), so one serves every person.
_BUILT: dict[tuple[str, str], InlineKeyboardMarkup] = {}


def _built_once(
    screen: str, locale: str, build: Callable[[], InlineKeyboardMarkup]
) -> InlineKeyboardMarkup:
    markup = _BUILT.get((screen, locale))
    if markup is None:
        markup = _BUILT[screen, locale] = build()
    return markup


def emergency_button(i18n: I18nContext) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=i18n.get("menu-button-emergency"),
        callback_data=MenuCb(action=MenuAction.EMERGENCY).pack(),
    )


def with_safety_row(
    rows: list[list[InlineKeyboardButton]], i18n: I18nContext
) -> InlineKeyboardMarkup:
    """Every screen of a flow keeps the emergency numbers and the way home in reach."""
    home = InlineKeyboardButton(
        text=i18n.get("menu-button-home"), callback_data=MenuCb(action=MenuAction.HOME).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [emergency_button(i18n), home]])


def main_menu(i18n: I18nContext) -> InlineKeyboardMarkup:
    return _built_once("main_menu", i18n.locale, lambda: _main_menu(i18n))


def _main_menu(i18n: I18nContext) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n.get("menu-button-mother"), callback_data=MenuCb(action=MenuAction.MOTHER)
    )
    builder.button(
        text=i18n.get("menu-button-foster"), callback_data=MenuCb(action=MenuAction.FOSTER)
    )
    builder.button(text=i18n.get("menu-button-info"), callback_data=MenuCb(action=MenuAction.INFO))
    builder.add(emergency_button(i18n))
    builder.button(
        text=i18n.get("menu-button-language"), callback_data=MenuCb(action=MenuAction.LANGUAGE)
    )
    builder.adjust(1, 1, 1, 2)
    return builder.as_markup()


def back_to_menu(i18n: I18nContext, *, with_emergency: bool = True) -> InlineKeyboardMarkup:
    screen = "back_emergency" if with_emergency else "back"
    return _built_once(screen, i18n.locale, lambda: _back_to_menu(i18n, with_emergency))


def _back_to_menu(i18n: I18nContext, with_emergency: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if with_emergency:
        builder.add(emergency_button(i18n))
    builder.button(text=i18n.get("menu-button-home"), callback_data=MenuCb(action=MenuAction.HOME))
    builder.adjust(1)
    return builder.as_markup()


def language_picker(i18n: I18nContext | None = None) -> InlineKeyboardMarkup:
    """Language names are written in their own language, so anyone can find theirs."""
    locale = "" if i18n is None else i18n.locale  # without i18n: no emergency row
    return _built_once("language_picker", locale, lambda: _language_picker(i18n))


def _language_picker(i18n: I18nContext | None) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for language, name in LANGUAGE_NAMES.items():
        builder.button(text=name, callback_data=LanguageCb(language=language))
    builder.adjust(3)
    if i18n is not None:
        builder.row(emergency_button(i18n))
    return builder.as_markup()
