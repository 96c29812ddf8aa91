"""i18n on aiogram-i18n's FluentRuntimeCore, with the locale kept in the users table."""

from __future__ import annotations

from pathlib import Path

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.locale import FALLBACK_LOCALE, SUPPORTED_LOCALES, resolve_locale
from storage.models import User
from storage.users import set_language

LOCALES_DIR = Path(__file__).parent / "locales"
MENU_COMMANDS: tuple[str, ...] = ("start", "emergency", "language", "help", "cancel")


class DatabaseLocaleManager(BaseManager):
    """Reads the locale from the person's row (loaded by DatabaseMiddleware) and stores a choice."""

    async def get_locale(
        self, person: User | None = None, event_from_user: TelegramUser | None = None
    ) -> str:
        telegram_code = event_from_user.language_code if event_from_user else None
        stored = person.language if person else None
        return resolve_locale(stored, telegram_code) or FALLBACK_LOCALE

    async def set_locale(self, locale: str, person: User, db: AsyncSession) -> None:
        await set_language(db, person, locale)


def create_core() -> FluentRuntimeCore:
    # use_isolating=False: Unicode isolation marks would show up as junk on some phones.
    # pre_compile=False: a text is compiled when first used, not all 1,800 (600 in each
    # language) at start: 1.8 MB less memory, the texts never used never compiled.
    return FluentRuntimeCore(
        path=LOCALES_DIR / "{locale}",
        default_locale=FALLBACK_LOCALE,
        use_isolating=False,
        pre_compile=False,
    )


def create_i18n_middleware() -> I18nMiddleware:
    return I18nMiddleware(
        core=create_core(),
        manager=DatabaseLocaleManager(default_locale=FALLBACK_LOCALE),
        default_locale=FALLBACK_LOCALE,
    )


def menu_commands(core: FluentRuntimeCore, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=core.get(f"command-{name}", locale))
        for name in MENU_COMMANDS
    ]


async def set_command_menus(bot: Bot, core: FluentRuntimeCore) -> None:
    """The command menu in each language, for private chats (Telegram picks by app language)."""
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(menu_commands(core, FALLBACK_LOCALE), scope=scope)
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(menu_commands(core, locale), scope=scope, language_code=locale)


async def set_chat_command_menu(
    bot: Bot, core: FluentRuntimeCore, chat_id: int, locale: str
) -> None:
    """A person who picks a language other than their app's gets the menu in it too."""
    await bot.set_my_commands(
        menu_commands(core, locale), scope=BotCommandScopeChat(chat_id=chat_id)
    )
