"""Scope filters and the magic-filter wrapper, all async on purpose: aiogram 3 runs a filter
that is not a coroutine function through `asyncio.to_thread`, a worker-thread hop per check.

A bare State passed as a filter is such a callable (its `__call__` is sync): register states
with aiogram's `StateFilter(...)`, and magic filters (`F.text`, ...) with `Magic(...)`.
tests/unit/test_architecture.py walks the dispatcher and fails on any callable left to a thread.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.magic_filter import MagicFilter


async def in_private_chat(event: TelegramObject) -> bool:
    if isinstance(event, Message):
        return event.chat.type == "private"
    if isinstance(event, CallbackQuery):
        # An inaccessible (very old) message still carries its chat.
        return event.message is not None and event.message.chat.type == "private"
    return False


async def in_group_chat(event: TelegramObject) -> bool:
    return isinstance(event, Message) and event.chat.type in ("group", "supergroup")


class Magic(Filter):
    """A magic filter checked on the event in the event loop: `Magic(F.text)`.

    aiogram turns a bare `F...` into its sync `resolve` and runs that in a thread; aiogram's own
    `MagicData` is async but resolves against a dict of every middleware value built per call.
    The result is returned as is, so a rule ending in `.as_("name")` still hands the handler a
    dict, exactly as the bare filter did.
    """

    __slots__ = ("rule",)

    def __init__(self, rule: MagicFilter) -> None:
        self.rule = rule

    # `obj`, like aiogram's StateFilter: aiogram passes only the middleware values a filter
    # names, and no middleware sets one called so.
    async def __call__(self, obj: TelegramObject) -> Any:
        return self.rule.resolve(obj)

    def __str__(self) -> str:
        return self._signature_to_string(self.rule)
