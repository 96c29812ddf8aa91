"""Which language to speak to a person in."""

from __future__ import annotations

SUPPORTED_LOCALES: tuple[str, ...] = ("kk", "ru", "en")
# Used only to render a screen before a person has chosen; the picker itself is trilingual.
FALLBACK_LOCALE = "ru"


def supported(code: str | None) -> str | None:
    """'ru-RU' -> 'ru'; unknown or empty -> None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else None


def resolve_locale(stored: str | None, telegram_code: str | None) -> str | None:
    """The stored choice, else Telegram's language_code, else None (ask with the picker)."""
    return supported(stored) or supported(telegram_code)


def locale_for(stored: str | None, telegram_code: str | None) -> str:
    """The language to write to a person outside their own update (news, reminders)."""
    return resolve_locale(stored, telegram_code) or FALLBACK_LOCALE
