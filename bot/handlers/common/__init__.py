"""Private-chat handlers every flow shares: the menu, /start, the language, privacy.

Included first in the private chat: /emergency, /help and /cancel win in every state of every flow.
"""

from __future__ import annotations

from aiogram import Router

from bot.handlers.common import language, menu, privacy, start


def setup() -> Router:
    router = Router(name=__name__)
    router.include_routers(menu.setup(), start.setup(), language.setup(), privacy.setup())
    return router
