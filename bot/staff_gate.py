"""Every staff command and button checks the role of the person pressing it."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.middlewares import Handler
from bot.services.directory import Directory
from bot.services.staff import role_of
from bot.staff_cards import StaffTexts
from storage.staff import active_staff, audit

log = logging.getLogger(__name__)


def staff_chat_ids(settings: Settings, directory: Directory) -> frozenset[int]:
    chats = {shelter.staff_chat_id for shelter in directory.shelters if shelter.staff_chat_id}
    if settings.staff_chat_id is not None:
        chats.add(settings.staff_chat_id)
    return frozenset(chats)


async def in_staff_chat(event: TelegramObject, settings: Settings, directory: Directory) -> bool:
    chat = event.chat if isinstance(event, Message) else None
    if isinstance(event, CallbackQuery) and event.message is not None:
        chat = event.message.chat
    return chat is not None and chat.id in staff_chat_ids(settings, directory)


class StaffGate(BaseMiddleware):
    """Resolves the presser's role (not the chat's) before any staff handler runs.

    Someone without a role who presses a staff button or sends a staff command gets a refusal
    and an audit entry; their plain messages in a staff group are simply not relayed.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender = data.get("event_from_user")
        db: AsyncSession = data["db"]
        settings: Settings = data["settings"]
        member = await active_staff(db, sender.id) if sender else None
        role = role_of(sender.id, member, settings.admin_ids) if sender else None
        if role is not None:
            data["staff_role"] = role
            data["staff_member"] = member
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        t = StaffTexts(i18n.core, settings.staff_language)
        if isinstance(event, CallbackQuery):
            await audit(db, sender.id if sender else None, "denied_button", data=event.data or "")
            await event.answer(t("staff-denied"), show_alert=True)
        elif isinstance(event, Message) and (event.text or "").startswith("/"):
            command = (event.text or "").split()[0][:32]
            await audit(db, sender.id if sender else None, "denied_command", command=command)
            if event.chat.type == "private":
                # A person who guessed a staff command: to her it is just an unknown command.
                await event.answer(i18n.get("fallback-unknown-command"))
            else:
                await event.reply(t("staff-denied"))
        return None
