"""Callback data: short prefixes and enum fields only (64 bytes is Telegram's limit)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class Language(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


class MenuAction(enum.StrEnum):
    HOME = "home"
    MOTHER = "mother"
    FOSTER = "foster"
    INFO = "info"
    EMERGENCY = "sos"
    LANGUAGE = "lang"


class MenuCb(CallbackData, prefix="m"):
    action: MenuAction


class LanguageCb(CallbackData, prefix="l"):
    language: Language
