"""The bot's static screens: text and keyboard in the person's language."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot import keyboards
from bot.services.directory import Directory
from bot.services.hotlines import Hotline, emergency_lines
from bot.services.locale import SUPPORTED_LOCALES


@dataclass(frozen=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


def home(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("start-menu"), keyboards.main_menu(i18n))


def greeting(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("start-greeting"), keyboards.main_menu(i18n))


def hotline_lines(i18n: I18nContext, hotlines: list[Hotline]) -> str:
    """One line per help line: the number bold, then what it is for, from the sourced data."""
    lines = []
    for line in emergency_lines(hotlines):
        lines.append(f"☎️ <b>{escape(line.number)}</b> — {escape(line.what.get(i18n.locale))}")
    return "\n".join(lines)


def emergency(i18n: I18nContext, hotlines: list[Hotline]) -> Screen:
    text = f"{i18n.get('emergency-title')}\n\n{hotline_lines(i18n, hotlines)}\n\n"
    text += i18n.get("emergency-footer")
    return Screen(text, keyboards.back_to_menu(i18n, with_emergency=False))


def mother(i18n: I18nContext, directory: Directory, hotlines: list[Hotline]) -> Screen:
    cities = ", ".join(escape(city) for city in directory.cities(i18n.locale))
    text = "\n\n".join(
        [
            i18n.get("mother-intro"),
            i18n.get("mother-cities", cities=cities),
            i18n.get("mother-call-111"),
        ]
    )
    return Screen(text, keyboards.back_to_menu(i18n))


def foster(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("foster-intro"), keyboards.back_to_menu(i18n))


def about(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("info-about"), keyboards.back_to_menu(i18n))


def language_prompt(i18n: I18nContext) -> Screen:
    return Screen(i18n.get("language-choose"), keyboards.language_picker(i18n))


def first_language_prompt(i18n: I18nContext) -> Screen:
    """Before we know the person's language: the same short line in each of the three."""
    text = "\n\n".join(i18n.get("language-first-prompt", locale) for locale in SUPPORTED_LOCALES)
    return Screen(text, keyboards.language_picker())
