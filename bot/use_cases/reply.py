"""A staff reply passed on to the person as the foundation, and notes kept among staff."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.discreet import relay_header
from bot.services.locale import locale_for
from bot.use_cases.desk import Desk
from bot.workspace.alerts import long_text_parts
from storage import chat_log
from storage.models import MessageLink, Staff, User, utcnow
from storage.staff import audit

log = logging.getLogger(__name__)


async def keep_staff_note(
    db: AsyncSession,
    message: Message,
    text: str,
    *,
    case_id: int | None = None,
    application_id: int | None = None,
) -> None:
    """A remark among staff, kept with the case or the application and never sent."""
    db.add(
        MessageLink(
            case_id=case_id,
            application_id=application_id,
            user_chat_id=0,
            user_message_id=0,
            staff_chat_id=message.chat.id,
            staff_message_id=message.message_id,
            from_staff=True,
            internal=True,
            kind="note",
            content={"text": text},
        )
    )
    actor = message.from_user.id if message.from_user else None
    if case_id is not None:
        await audit(db, actor, "note", case_id=case_id)
    else:
        await audit(db, actor, "note", application_id=application_id)


async def deliver(
    message: Message,
    person: User,
    db: AsyncSession,
    desk: Desk,
    *,
    case_id: int | None = None,
    application_id: int | None = None,
    language: str | None = None,
    staff: Staff | None,
) -> None:
    """To the person as the foundation: no staff name unless the staff member signs."""
    bot, t = message.bot, desk.staff_texts
    assert bot is not None  # set by the dispatcher on every update
    locale = person.language or language or locale_for(None, person.telegram_language)
    signature = staff.display_name if staff is not None and staff.sign else None
    try:
        if message.text is not None:
            text = message.text + (f"\n— {signature}" if signature else "")
            # A shared phone gets no "foundation:" header; each part gets the neutral lines
            # from OutgoingMiddleware (bot.middlewares.discreet); long_text_parts keeps room.
            header = relay_header(t.core, locale, person)
            sent_ids = [
                (await bot.send_message(person.id, part)).message_id
                for part in long_text_parts(header, text, separator="\n" if header else "")
            ]
            sent_id = sent_ids[0]
        else:
            # The caption is passed on, not left to the copy: on a shared phone it is then
            # sent after the neutral lines, like a text.
            caption = {}
            if message.caption is not None:
                caption = {
                    "caption": message.caption,
                    "caption_entities": message.caption_entities,
                    "parse_mode": None,
                }
            sent_id = (
                await bot.copy_message(person.id, message.chat.id, message.message_id, **caption)
            ).message_id
            await chat_log.remember(db, person.id, sent_id, from_bot=True)
    except TelegramForbiddenError:
        person.blocked_at = utcnow()
        await audit(
            db, None, "not_delivered_blocked", case_id=case_id, application_id=application_id
        )
        await message.reply(t("staff-not-delivered-blocked"))
        return
    except TelegramAPIError as error:
        log.warning("reply not delivered (%s)", type(error).__name__)
        await message.reply(t("staff-not-delivered"))
        return
    db.add(
        MessageLink(
            case_id=case_id,
            application_id=application_id,
            user_chat_id=person.id,
            user_message_id=sent_id,
            staff_chat_id=message.chat.id,
            staff_message_id=message.message_id,
            from_staff=True,
            kind=message.content_type,
            content={"text": message.text} if message.text else {},
        )
    )
    await audit(
        db,
        message.from_user.id if message.from_user else None,
        "reply",
        case_id=case_id,
        application_id=application_id,
    )
