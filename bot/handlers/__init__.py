"""Routers in the order they must see updates: flows first, catch-alls last."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.config import Settings
from bot.filters import in_private_chat
from bot.handlers import (
    check_in,
    common,
    errors,
    fallback,
    foster_application,
    foster_info,
    foster_status,
    group_setup,
    language,
    mother_handoff,
    mother_relay,
    mother_triage,
    privacy,
    staff_admin,
    staff_applications,
    staff_cases,
    staff_commands,
    staff_members,
    staff_outcomes,
    staff_relay,
    start,
    stray,
)
from bot.middlewares.danger_words import DangerWatch
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


def _detached(router: Router) -> Router:
    """Free a module-level router from an earlier dispatcher.

    aiogram lets a router have one parent for life; tests and the demo build several dispatchers
    in one process, so the old link is dropped before the router is included again.
    """
    parent = router.parent_router
    if parent is not None:
        parent.sub_routers.remove(router)
        router._parent_router = None
    return router


def get_routers() -> list[Router]:
    staff = Router(name="staff")
    staff.message.filter(staff_scope)
    staff.callback_query.filter(staff_button)
    gate = StaffGate()
    staff.message.middleware(gate)
    staff.callback_query.middleware(gate)
    staff.include_routers(
        *(
            _detached(r)
            for r in (
                staff_admin.router,
                staff_commands.router,
                staff_cases.router,
                staff_outcomes.router,
                staff_applications.router,
                staff_relay.router,
            )
        )
    )

    private = Router(name="private")
    private.message.filter(in_private_chat)
    private.edited_message.filter(in_private_chat)
    private.callback_query.filter(in_private_chat)
    private.message.middleware(DangerWatch())
    # common first: /emergency, /help and /cancel win in every state of every flow.
    flows = (
        common.router,
        start.router,
        language.router,
        privacy.router,
        check_in.router,
        foster_info.router,
        foster_application.router,
        foster_status.router,
        mother_triage.router,
        mother_handoff.router,
        mother_relay.router,
        fallback.router,
    )
    private.include_routers(*(_detached(router) for router in flows))
    # group_setup before staff: /chatid must answer in a staff group too, not be relayed.
    return [
        _detached(errors.router),
        _detached(group_setup.router),
        staff,
        _detached(staff_members.router),
        private,
        _detached(stray.router),
    ]
