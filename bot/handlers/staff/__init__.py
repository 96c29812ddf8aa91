"""The staff side: staff groups (and staff commands in a private chat), behind the staff gate."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.config import Settings
from bot.handlers.staff import admin, applications, cases, commands, members, outcomes, relay
from bot.middlewares.staff_gate import StaffGate, in_staff_chat
from bot.services.directory import Directory
from bot.services.permissions import COMMANDS

# Staff commands also work in a staff member's private chat with the bot; each one's action is
# in the permission table (bot.services.permissions), which the gate checks.
STAFF_COMMANDS = frozenset(COMMANDS)


async def staff_scope(event: TelegramObject, settings: Settings, directory: Directory) -> bool:
    """A staff group, or a staff command sent anywhere (the gate then checks the role)."""
    if await in_staff_chat(event, settings, directory):
        return True
    if isinstance(event, Message) and event.text and event.text.startswith("/"):
        command = event.text[1:].split(maxsplit=1)[0].split("@")[0].lower()
        return command in STAFF_COMMANDS
    return False


async def staff_button(event: TelegramObject) -> bool:
    return isinstance(event, CallbackQuery) and (event.data or "").startswith(("sc:", "sa:", "oc:"))


def setup() -> Router:
    router = Router(name=__name__)
    router.message.filter(staff_scope)
    router.callback_query.filter(staff_button)
    gate = StaffGate()
    router.message.middleware(gate)
    router.callback_query.middleware(gate)
    router.include_routers(
        admin.setup(),
        commands.setup(),
        cases.setup(),
        outcomes.setup(),
        applications.setup(),
        relay.setup(),  # last: every other message in a staff group
        # chat_member updates only: the scope and the gate above filter messages and buttons.
        members.setup(),
    )
    return router
