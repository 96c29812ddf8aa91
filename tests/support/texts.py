"""Texts as the bot renders them, through its own Fluent loader (bot/i18n.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from aiogram_i18n.cores import FluentRuntimeCore
from fluent.runtime import FluentBundle

from bot.i18n import create_core


@cache
def core() -> FluentRuntimeCore:
    loaded = create_core()
    loaded.locales.update(loaded.find_locales())  # what `await core.startup()` does, in sync
    return loaded


def t(locale: str, key: str, **args: Any) -> str:
    """A text as the person sees it: the HTML tags dropped, like the emulator's `text`."""
    return core().get(key, locale, **args).replace("<b>", "").replace("</b>", "")


def bundle_of(locale: str) -> FluentBundle:
    """The bot's own bundle for one locale, for tests that go through every message."""
    return core().get_translator(locale)
