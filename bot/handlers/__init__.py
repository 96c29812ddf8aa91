"""The router tree, in the order routers must see updates: flows first, catch-alls last.

Each package's `setup()` builds new routers on every call (tests and the demo build several
dispatchers in one process; aiogram lets a router have one parent for life).
"""

from __future__ import annotations

from aiogram import Router

from bot.filters import in_private_chat
from bot.handlers import common, errors, fallback, foster, group_setup, mother, staff, stray
from bot.handlers.scope import scope_routers
from bot.middlewares.danger_words import DangerWatch


def private_chat() -> Router:
    router = Router(name="private")
    router.message.filter(in_private_chat)
    router.edited_message.filter(in_private_chat)
    router.callback_query.filter(in_private_chat)
    router.message.middleware(DangerWatch())
    # common first: /emergency, /help and /cancel win in every state of every flow.
    router.include_routers(common.setup(), foster.setup(), mother.setup(), fallback.setup())
    return router


def setup() -> Router:
    router = Router(name=__name__)
    router.include_routers(
        errors.setup(),
        # group_setup before staff: /chatid must answer in a staff group too, not be relayed.
        group_setup.setup(),
        staff.setup(),
        private_chat(),
        stray.setup(),
    )
    # Each router is passed with one check by taps and messages none of its handlers takes.
    return scope_routers(router)
