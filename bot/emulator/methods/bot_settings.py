"""The bot itself: getMe, logOut/close, commands per scope and language, names, descriptions."""

from __future__ import annotations

from typing import Any

from aiogram.methods import (
    Close,
    DeleteMyCommands,
    GetChatMenuButton,
    GetMe,
    GetMyCommands,
    GetMyDescription,
    GetMyName,
    GetMyShortDescription,
    LogOut,
    SetChatMenuButton,
    SetMyCommands,
    SetMyDescription,
    SetMyName,
    SetMyShortDescription,
)

from ..core import Core
from ..params import dump
from ..state import BotState, bad
from .common import serves

Setting = SetMyDescription | SetMyShortDescription | SetMyName | SetChatMenuButton


@serves(GetMe)
async def get_me(emu: Core, bot: BotState, m: GetMe) -> dict[str, Any]:
    return {
        **bot.user.to_dict(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
        "has_topics_enabled": False,
    }


@serves(LogOut, Close)
async def log_out(emu: Core, bot: BotState, m: LogOut | Close) -> bool:
    return True


def _commands_key(m: SetMyCommands | GetMyCommands | DeleteMyCommands) -> tuple[str, str]:
    return Core.scope_key(dump(m.scope)), m.language_code or ""


def _valid_name(name: str) -> bool:
    return 1 <= len(name) <= 32 and all(c.isascii() and (c.isalnum() or c == "_") for c in name)


@serves(SetMyCommands)
async def set_my_commands(emu: Core, bot: BotState, m: SetMyCommands) -> bool:
    if len(m.commands) > 100:
        raise bad("too many commands")  # hedged wording
    clean = []
    for cmd in m.commands:
        if not _valid_name(cmd.command):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(cmd.description) <= 256:
            raise bad("BOT_COMMAND_DESCRIPTION_INVALID")  # hedged wording
        clean.append({"command": cmd.command.lower(), "description": cmd.description})
    key = _commands_key(m)
    if clean:
        bot.commands[key] = clean
    else:
        bot.commands.pop(key, None)
    return True


@serves(GetMyCommands)
async def get_my_commands(emu: Core, bot: BotState, m: GetMyCommands) -> list[dict[str, str]]:
    return bot.commands.get(_commands_key(m), [])


@serves(DeleteMyCommands)
async def delete_my_commands(emu: Core, bot: BotState, m: DeleteMyCommands) -> bool:
    bot.commands.pop(_commands_key(m), None)
    return True


SETTING_NAMES: dict[type, str] = {
    SetMyDescription: "description",
    SetMyShortDescription: "short_description",
    SetMyName: "name",
    SetChatMenuButton: "menu_button",
}


@serves(SetMyDescription, SetMyShortDescription, SetMyName, SetChatMenuButton)
async def store_setting(emu: Core, bot: BotState, m: Setting) -> bool:
    lang = getattr(m, "language_code", None) or ""
    bot.settings[f"{SETTING_NAMES[type(m)]}:{lang}"] = dump(m)
    return True


@serves(GetMyDescription)
async def get_my_description(emu: Core, bot: BotState, m: GetMyDescription) -> dict[str, str]:
    stored = bot.settings.get(f"description:{m.language_code or ''}", {})
    return {"description": stored.get("description", "")}


@serves(GetMyShortDescription)
async def get_my_short_description(
    emu: Core, bot: BotState, m: GetMyShortDescription
) -> dict[str, str]:
    stored = bot.settings.get(f"short_description:{m.language_code or ''}", {})
    return {"short_description": stored.get("short_description", "")}


@serves(GetMyName)
async def get_my_name(emu: Core, bot: BotState, m: GetMyName) -> dict[str, str]:
    stored = bot.settings.get(f"name:{m.language_code or ''}", {})
    return {"name": stored.get("name", bot.user.first_name)}


@serves(GetChatMenuButton)
async def get_chat_menu_button(emu: Core, bot: BotState, m: GetChatMenuButton) -> dict[str, Any]:
    stored = bot.settings.get("menu_button:", {}).get("menu_button")
    return stored if isinstance(stored, dict) else {"type": "commands"}
