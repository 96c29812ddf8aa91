"""Flood control for what one person sends to the staff.

A staff group takes 20 messages a minute (Telegram), shared by every mother routed there; one
person copying 80 long messages one by one would keep the others waiting for minutes. So, per
person: a burst relayed at once, then a steady rate (settings FLOOD_*); beyond it her messages
are still stored with her case at once (nothing is lost) and a follow-up row sends them to the
staff gathered in one message when the window ends. She gets one notice per window instead of
a reply to each. The emergency numbers never wait: /emergency is a command (not relayed), and
danger words are answered by DangerWatch before this gate is reached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from html import escape
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, Message, TelegramObject
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.middlewares.limits import limits_of
from bot.middlewares.session import Handler
from bot.services.follow_ups import FollowUpKind, schedule_for_staff, schedule_relay_batch
from bot.workspace.alerts import TEXT_LIMIT, _units, copy_into_thread
from bot.workspace.case_threads import Workspace
from storage.cases import keep_message
from storage.coordination import Coordination
from storage.models import Case, MessageLink, utcnow

log = logging.getLogger(__name__)

HELD = "held"  # a mark in a kept message's content: it waits for its window's batch
MEDIA_PER_BATCH = 5  # photos, voices... copied one by one per window; the rest wait for the next


def room_for_courtesy(bot: Bot, chat_id: int) -> bool:
    """May a reply that is only a courtesy (an "it's passed on" tick) go to her chat now?

    Only if it would not wait for her chat's limit and leaves room for one more message, kept
    free for an answer that must never wait (the emergency numbers)."""
    limits = limits_of(bot)
    return limits is None or not limits.busy(chat_id, messages=2)


class FloodGate(BaseMiddleware):
    """Before the relay handler: within the limit it relays as usual; beyond it, keeps."""

    def __init__(self, content: Callable[[Message], dict[str, Any]]) -> None:
        self._content = content  # what is kept of a message (the relay's own function)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        case: Case | None = data.get("case")
        if not isinstance(event, Message) or case is None:
            return await handler(event, data)
        settings: Settings = data["settings"]
        coordination: Coordination = data["coordination"]
        if await coordination.spend(
            flood_bucket(event.chat.id),
            burst=settings.flood_burst,
            per_second=settings.flood_per_minute / 60,
        ):
            return await handler(event, data)
        db: AsyncSession = data["db"]
        await keep_message(
            db,
            case,
            user_chat_id=event.chat.id,
            user_message_id=event.message_id,
            kind=event.content_type,
            content={**self._content(event), HELD: True},
        )
        opened = await schedule_relay_batch(db, case, utcnow(), settings.flood_batch_window)
        log.info("case %s: over the flood limit; message kept for the batch", case.id)
        bot: Bot = data["bot"]
        if opened and room_for_courtesy(bot, event.chat.id):
            i18n: I18nContext = data["i18n"]
            await event.answer(i18n.get("mother-relay-held"))
        return None


def _line(link: MessageLink) -> str | None:
    """A kept message as a line of the batch, or None for media that must be copied."""
    content = link.content
    if "text" in content:
        return str(content["text"])
    if "location" in content:
        latitude, longitude = content["location"]
        return f"📍 {latitude}, {longitude}"
    if "phone" in content:
        return f"📱 {content['phone']}"
    return None


async def send_held(
    bot: Bot,
    session: AsyncSession,
    case_id: int,
    *,
    window: timedelta,
    workspace: Workspace,
) -> None:
    """The batch: her held texts in one message (or one file when they outgrow a message),
    then her held media copied one by one, a few per window. Raises if Telegram fails, so the
    follow-up retries; what was delivered is marked and not sent again."""
    case = await session.get(Case, case_id)
    if case is None:
        return
    links = [
        link
        for link in await session.scalars(
            select(MessageLink)
            .where(MessageLink.case_id == case_id, MessageLink.staff_message_id.is_(None))
            .order_by(MessageLink.id)
        )
        if link.content.get(HELD) and not link.from_staff
    ]
    if not links:
        return
    if case.staff_chat_id is None:  # her card has not reached a group yet: the next window
        await _next_batch(session, case, window)
        return
    lines = [(link, line) for link in links if (line := _line(link)) is not None]
    if lines:
        message_id = await _send_lines(bot, session, case, [line for _, line in lines], workspace)
        for link, _ in lines:
            link.staff_chat_id, link.staff_message_id = case.staff_chat_id, message_id
        await session.flush()
    media = [link for link in links if _line(link) is None]
    for link in media[:MEDIA_PER_BATCH]:
        link.staff_message_id = await copy_into_thread(
            bot,
            session,
            case,
            link.user_chat_id,
            link.user_message_id,
            workspace,
        )
        link.staff_chat_id = case.staff_chat_id
        await session.flush()
    if len(media) > MEDIA_PER_BATCH:
        await _next_batch(session, case, window)


async def _next_batch(session: AsyncSession, case: Case, window: timedelta) -> None:
    key = f"relay_batch:{case.id}:next:{int(utcnow().timestamp())}"
    await schedule_for_staff(session, case, FollowUpKind.RELAY_BATCH, utcnow() + window, key)


async def _send_lines(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    lines: list[str],
    workspace: Workspace,
) -> int:
    """One message into the case's thread; a text file when it would not fit in one."""
    t = workspace.texts
    text = t("staff-relay-batch", count=len(lines)) + "\n\n" + "\n\n".join(map(escape, lines))
    if _units(text) <= TEXT_LIMIT:
        return await workspace.post(bot, session, case, text)
    # Her words as plain text (not HTML): a file is read as written.
    body = "\n\n".join(f"— {line}" for line in lines).encode("utf-8")
    document = SendDocument(
        chat_id=case.staff_chat_id or 0,
        document=BufferedInputFile(body, filename=f"case-{case.id}-messages.txt"),
        caption=t("staff-relay-batch-file", count=len(lines)),
    )
    return await workspace.send(bot, session, case, document)


def flood_bucket(chat_id: int) -> str:
    """The name of a person's flood bucket (her private chat's id is her Telegram id)."""
    return f"flood:{chat_id}"
