"""The first word to staff about a new case, and the person's messages relayed to its thread."""

from __future__ import annotations

import logging
from enum import StrEnum
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.methods import CopyMessage
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.discreet import NEUTRAL_ROOM
from bot.middlewares.limits import limits_of
from bot.services.follow_ups import FollowUpKind, schedule_for_staff
from bot.services.intake import staff_chat_for
from bot.workspace.case_threads import Workspace
from storage.models import Case, MessageLink, StaffPost, utcnow

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # Telegram's limit on a message's text, counted once its HTML is parsed


class Relayed(StrEnum):
    """What became of one of her messages on its way to the case's thread."""

    SENT = "sent"
    KEPT = "kept"  # Telegram failed for now: a follow-up copies it later
    REFUSED = "refused"  # Telegram will never copy it: the staff were told in the thread


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Telegram counts UTF-16 code units


def _cut(text: str, room: int) -> int:
    """Where a part of at most `room` units ends: at a line break, else a space, else anywhere."""
    units, end = 0, len(text)
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > room:
            end = index
            break
    else:
        return end
    line = text.rfind("\n", 0, end)
    if line > end // 2:  # a line break, unless it would leave a short part
        return line
    space = text.rfind(" ", 0, end)
    return space if space > 0 else max(end, 1)


def long_text_parts(header: str, text: str, *, separator: str = "\n") -> list[str]:
    """`header` (from Fluent, HTML) then `text`, someone's own words, escaped here, in as many
    messages as Telegram's limit needs. Her words never pass through Fluent, which refuses a
    variable over 2500 characters. Each part leaves room for the neutral lines a shared phone
    gets before it (bot.middlewares.discreet).
    """
    parts = []
    prefix = header + separator
    while True:
        # The header's tags and entities count as characters here: a margin, never an excess.
        end = _cut(text, TEXT_LIMIT - NEUTRAL_ROOM - _units(prefix))
        parts.append(prefix + escape(text[:end]))
        text = text[end:].lstrip()
        if not text:
            return parts
        prefix = ""


async def alert_staff(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    workspace: Workspace,
    *,
    central_chat_id: int,
) -> bool:
    """Post the case card to its staff group, now if the group's limit allows.

    When the group is at Telegram's 20-a-minute limit (a burst of cases), or Telegram fails, a
    follow-up row keeps the duty: the mother gets her answer at once instead of waiting behind
    the group's queue, and the runner posts the waiting cards, announcing a burst in one message.
    """
    case.staff_chat_id = staff_chat_for(workspace.directory, case.shelter_id, central_chat_id)
    limits = limits_of(bot)
    # Two messages: the topic's opening line and the card.
    if limits is not None and limits.busy(case.staff_chat_id, messages=2):
        log.info("case %s: staff group at its limit; card queued", case.id)
        await queue_case_alert(session, case)
        return False
    try:
        await workspace.post_card(bot, session, case)
    except TelegramAPIError as error:
        log.warning("case %s: staff alert failed (%s); queued", case.id, type(error).__name__)
        await queue_case_alert(session, case)
        return False
    case.alerted_at = utcnow()
    await session.flush()
    return True


async def queue_case_alert(session: AsyncSession, case: Case) -> None:
    await schedule_for_staff(
        session, case, FollowUpKind.CASE_ALERT, utcnow(), f"case_alert:{case.id}"
    )


async def copy_into_thread(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    from_chat_id: int,
    message_id: int,
    workspace: Workspace,
) -> int:
    """Copy one of her messages into the case's thread; raises if Telegram refuses."""
    copy = CopyMessage(
        chat_id=case.staff_chat_id or 0, from_chat_id=from_chat_id, message_id=message_id
    )
    return await workspace.send(bot, session, case, copy)


async def relay_to_staff(
    bot: Bot,
    session: AsyncSession,
    message: Message,
    case: Case,
    link: MessageLink,
    workspace: Workspace,
) -> Relayed:
    """Copy her message into the case's thread (a copy, not a forward: her account stays
    hidden). If Telegram fails now, a follow-up row delivers it later: nothing is lost."""
    if case.staff_chat_id is None:
        return Relayed.KEPT
    try:
        copied_id = await copy_into_thread(
            bot,
            session,
            case,
            message.chat.id,
            message.message_id,
            workspace,
        )
    except TelegramAPIError as error:
        log.warning("case %s: relay failed (%s)", case.id, type(error).__name__)
        # A 400 is about this message (deleted meanwhile, a kind Telegram won't copy): a
        # follow-up would fail forever, so the staff get a word instead. If that word fails
        # too, the thread itself is the trouble, and the follow-up retries it.
        if isinstance(error, TelegramBadRequest) and await notify_case_thread(
            bot,
            session,
            case,
            workspace.texts("staff-relay-not-copied"),
            workspace,
        ):
            return Relayed.REFUSED
        await session.flush()  # the link needs its id for the follow-up
        await schedule_for_staff(
            session, case, FollowUpKind.RELAY, utcnow(), f"relay:{link.id}", {"link_id": link.id}
        )
        return Relayed.KEPT
    link.staff_chat_id = case.staff_chat_id
    link.staff_message_id = copied_id
    await session.flush()
    return Relayed.SENT


async def relay_edit_to_staff(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    link: MessageLink,
    new_text: str,
    workspace: Workspace,
) -> bool:
    """Her edit shows in the thread as a reply to the copy of the message she changed.
    Each notice is recorded: it carries her words, so /forget and the purge must find it."""
    if case.staff_chat_id is None:
        return False
    for part in long_text_parts(workspace.texts("staff-relay-edited"), new_text, separator=" "):
        try:
            posted = await workspace.post(bot, session, case, part, link.staff_message_id)
        except TelegramAPIError as error:
            log.warning("case %s: notice failed (%s)", case.id, type(error).__name__)
            return False
        session.add(
            StaffPost(case_id=case.id, chat_id=case.staff_chat_id, message_id=posted, kind="edit")
        )
    link.content = {**link.content, "text": new_text}
    await session.flush()
    return True


async def notify_case_thread(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    text: str,
    workspace: Workspace,
    *,
    reply_to_message_id: int | None = None,
) -> bool:
    """A word from the bot to the staff in the case's thread (an edit, urgency raised...);
    a failure is logged, not raised: the person's own action must not fail because of it."""
    if case.staff_chat_id is None:
        return False
    try:
        await workspace.post(bot, session, case, text, reply_to_message_id)
    except TelegramAPIError as error:
        log.warning("case %s: notice failed (%s)", case.id, type(error).__name__)
        return False
    return True
