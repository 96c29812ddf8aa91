"""Every staff command and button passes the permission table before any handler runs."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.middlewares.session import Handler
from bot.services.directory import Directory
from bot.services.permissions import Access, Action, command_need
from bot.services.staff import role_of
from bot.workspace.cards import StaffTexts
from storage.cases import EVERY_HOUSE, CaseScope
from storage.models import StaffRole
from storage.staff import active_staff, audit_refusal

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


def _chat_of(event: TelegramObject) -> tuple[int, bool] | None:
    """The chat the answer will be read in, and whether it is private."""
    if isinstance(event, Message):
        return event.chat.id, event.chat.type == "private"
    if isinstance(event, CallbackQuery) and event.message is not None:
        return event.message.chat.id, event.message.chat.type == "private"
    return None


def chat_scope(event: TelegramObject) -> CaseScope:
    """In a group, only the cases whose cards are there: everyone in the group reads the answer."""
    chat = _chat_of(event)
    if chat is None or chat[1]:
        return EVERY_HOUSE
    return CaseScope(chat_id=chat[0])


def _command(event: TelegramObject) -> tuple[str, str] | None:
    """The command and its words; aiogram's Command filter reads a caption too, so do we."""
    text = (event.text or event.caption or "") if isinstance(event, Message) else ""
    words = text[1:].split(maxsplit=1) if text.startswith("/") else []
    if not words:
        return None
    head, *rest = words
    return head.split("@")[0].lower(), rest[0] if rest else ""


async def refuse(
    event: TelegramObject, db: AsyncSession, t: StaffTexts, what: str, *, key: str
) -> None:
    """A kind answer each time; an audit row at most once a minute per person."""
    sender = event.from_user if isinstance(event, Message | CallbackQuery) else None
    kind = "denied_button" if isinstance(event, CallbackQuery) else "denied_command"
    await audit_refusal(db, sender.id if sender else None, kind, command=what[:32])
    if isinstance(event, CallbackQuery):
        await event.answer(t(key), show_alert=True)
    elif isinstance(event, Message):
        await event.reply(t(key))


class StaffGate(BaseMiddleware):
    """Resolves the presser's role (not the chat's) and checks the action before the handler.

    Someone without a role who presses a staff button or sends a staff command gets a refusal
    and an audit entry; their plain messages in a staff group are simply not relayed. A staff
    member whose role lacks the action is refused; a command that prints personal data of
    several people answers in a group only where to use it. Handlers then get `access`, whose
    `cases()` scope they pass to every case query.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender = data.get("event_from_user")
        db: AsyncSession = data["db"]
        settings: Settings = data["settings"]
        i18n: I18nContext = data["i18n"]
        t = StaffTexts(i18n.core, settings.staff_language)
        member = await active_staff(db, sender.id) if sender else None
        role = role_of(sender.id, member, settings.admin_ids) if sender else None
        if role is None or sender is None:
            await self._stranger(event, db, t, i18n)
            return None
        house = member.shelter_id if member is not None and role is StaffRole.HOUSE_STAFF else None
        access = Access(user_id=sender.id, role=role, house=house, chat=chat_scope(event))
        action, what, private_only = self._need(event)
        if action is not None and not access.may(action):
            await refuse(event, db, t, what, key="staff-denied-role")
            return None
        chat = _chat_of(event)
        if private_only and chat is not None and not chat[1] and isinstance(event, Message):
            await event.reply(t("staff-private-only"))  # nothing sensitive posted here
            return None
        data["staff_member"] = member
        data["access"] = access
        data["staff_texts"] = t
        return await handler(event, data)

    @staticmethod
    def _need(event: TelegramObject) -> tuple[Action | None, str, bool]:
        """What the event asks to do; None for plain messages (the relay checks what they
        reply to)."""
        if isinstance(event, CallbackQuery):
            data = event.data or ""
            action = Action.APPLICATIONS if data.startswith("sa:") else Action.WORK_CASES
            return action, data, False
        command = _command(event)
        if command is None:
            return None, "", False
        need = command_need(*command)
        return need.action, f"/{command[0]}", need.private_only

    @staticmethod
    async def _stranger(
        event: TelegramObject, db: AsyncSession, t: StaffTexts, i18n: I18nContext
    ) -> None:
        sender = event.from_user if isinstance(event, Message | CallbackQuery) else None
        actor = sender.id if sender else None
        if isinstance(event, CallbackQuery):
            await audit_refusal(db, actor, "denied_button", data=(event.data or "")[:64])
            await event.answer(t("staff-denied"), show_alert=True)
        elif isinstance(event, Message) and (command_words := _command(event)) is not None:
            command = f"/{command_words[0]}"[:32]
            await audit_refusal(db, actor, "denied_command", command=command)
            if event.chat.type == "private":
                # A person who guessed a staff command: to her it is just an unknown command.
                await event.answer(i18n.get("fallback-unknown-command"))
            else:
                await event.reply(t("staff-denied"))
