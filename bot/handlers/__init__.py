"""Routers in the order they must see updates: flows first, catch-alls last."""

from __future__ import annotations

from aiogram import Router

from bot.filters import in_private_chat
from bot.handlers import (
    common,
    errors,
    fallback,
    language,
    mother_handoff,
    mother_relay,
    mother_triage,
    privacy,
    start,
)
from bot.safety import DangerWatch


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
        mother_triage.router,
        mother_handoff.router,
        mother_relay.router,
        fallback.router,
    )
    private.include_routers(*(_detached(router) for router in flows))
    return [_detached(errors.router), private]
