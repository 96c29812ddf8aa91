"""A foster family's flow: what fostering is, the application, its status."""

from __future__ import annotations

from aiogram import Router

from bot.handlers.foster import application, info, status


def setup() -> Router:
    router = Router(name=__name__)
    router.include_routers(info.setup(), application.setup(), status.setup())
    return router
