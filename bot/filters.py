"""Scope filters. Async on purpose: aiogram runs synchronous filters in a worker thread."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message, TelegramObject


async def in_private_chat(event: TelegramObject) -> bool:
    if isinstance(event, Message):
        return event.chat.type == "private"
    if isinstance(event, CallbackQuery):
        # An inaccessible (very old) message still carries its chat.
        return event.message is not None and event.message.chat.type == "private"
    return False


async def in_group_chat(event: TelegramObject) -> bool:
    return isinstance(event, Message) and event.chat.type in ("group", "supergroup")
