"""The bot's static screens: text and keyboard in the person's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.types import (
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.formatting import Bold, PhoneNumber, Text
from aiogram_i18n import I18nContext

from bot.services.hotlines import Hotline, emergency_lines
from bot.services.locale import SUPPORTED_LOCALES
from bot.ui import keyboards

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True)
class Screen:
    """A message to show. With `entities` it is sent as plain text plus entities, not HTML:
    that is how phone numbers become tap-to-call."""

    text: str
    markup: Markup | None = None
    entities: list[MessageEntity] | None = None

    def as_kwargs(self) -> dict[str, Any]:
        if self.entities is None:
            return {"text": self.text, "reply_markup": self.markup}
        return {
            "text": self.text,
            "entities": self.entities,
            "parse_mode": None,
            "reply_markup": self.markup,
        }


def home(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("start-menu"), keyboards.main_menu(i18n))


def greeting(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("start-greeting"), keyboards.main_menu(i18n))


def numbers_screen(
    i18n: I18nContext,
    lines: list[Hotline],
    title: str,
    footer: str,
    markup: Markup | None,
) -> Screen:
    """Help lines as tap-to-call phone numbers (entities), each with what it is for."""
    parts: list[Any] = [Bold(title), "\n"]
    for line in lines:
        parts += ["\n☎️ ", Bold(PhoneNumber(line.number)), f" — {line.what.get(i18n.locale)}"]
    parts += ["\n\n", footer]
    content = Text(*parts)
    text, entities = content.render()
    return Screen(text, markup, entities)


def emergency(i18n: I18nContext, hotlines: list[Hotline]) -> Screen:
    return numbers_screen(
        i18n,
        emergency_lines(hotlines),
        i18n.get("emergency-title"),
        i18n.get("emergency-footer"),
        keyboards.back_to_menu(i18n, with_emergency=False),
    )


def about(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("info-about"), keyboards.back_to_menu(i18n))


def language_prompt(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("language-choose"), keyboards.language_picker(i18n))


def first_language_prompt(i18n: I18nContext) -> Screen:
    """Before we know the person's language: the same short line in each of the three."""
    text = "\n\n".join(i18n.get("language-first-prompt", locale) for locale in SUPPORTED_LOCALES)
    return Screen(text, keyboards.language_picker())
