"""A mother's flow: the check-in after a case, triage, the handoff, then the line to the staff."""

from __future__ import annotations

from aiogram import Router

from bot.handlers.mother import check_in, handoff, relay, triage


def setup() -> Router:
    router = Router(name=__name__)
    router.include_routers(check_in.setup(), triage.setup(), handoff.setup(), relay.setup())
    return router
