"""The first word to staff about a new case, and the messages relayed to its thread."""

from __future__ import annotations

import logging
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message, ReplyParameters
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.directory import Directory
from bot.services.intake import staff_chat_for
from storage.models import Case, FollowUp, MessageLink, Urgency, utcnow

log = logging.getLogger(__name__)


def case_card(case: Case, directory: Directory, core: FluentRuntimeCore, locale: str) -> str:
    """The case as staff read it. Everything the person typed is escaped for Telegram's HTML."""

    def t(key: str, **kwargs: str) -> str:
        return core.get(key.replace("_", "-"), locale, **kwargs)  # enum values use "_"

    title_key = "staff-card-title-urgent" if case.urgency == Urgency.URGENT else "staff-card-title"
    lines = [
        t(title_key, case=str(case.id)),
        t("staff-card-kind", kind=t(f"staff-kind-{case.kind}")),
    ]
    safety = (case.triage or {}).get("safety")
    if safety:
        lines.append(t("staff-card-safety", safety=t(f"staff-safety-{safety}")))
    if (case.triage or {}).get("danger_words"):
        lines.append(t("staff-card-danger-words"))
    if case.region:
        region = directory.region(case.region).name.get(locale)
        lines.append(t("staff-card-region", region=escape(region)))
    shelter = directory.shelter(case.shelter_id) if case.shelter_id else None
    if shelter is not None:
        lines.append(t("staff-card-house", house=escape(shelter.name.get(locale))))
    if case.phone:
        lines.append(
            t(
                "staff-card-contact",
                phone=escape(case.phone),
                way=t(f"staff-way-{case.contact_way}"),
                time=t(f"staff-time-{case.contact_time}"),
            )
        )
    if case.shared_phone:
        lines.append(t("staff-card-shared-phone"))
    if case.note:
        lines.append(t("staff-card-note", note=escape(case.note)))
    if case.referral_source:
        lines.append(t("staff-card-source", source=escape(case.referral_source)))
    lines.append(t("staff-card-language", language=escape(case.language or "?")))
    return "\n".join(lines)


async def alert_staff(
    bot: Bot,
    session: AsyncSession,
    case: Case,
    *,
    directory: Directory,
    core: FluentRuntimeCore,
    locale: str,
    central_chat_id: int,
) -> bool:
    """Send the case card to its staff group. If Telegram fails, a follow-up row keeps the duty."""
    chat_id = staff_chat_for(directory, case.shelter_id, central_chat_id)
    case.staff_chat_id = chat_id
    try:
        card = await bot.send_message(chat_id, case_card(case, directory, core, locale))
    except TelegramAPIError as error:
        log.warning(
            "case %s: staff alert failed (%s); queued for retry", case.id, type(error).__name__
        )
        session.add(
            FollowUp(
                kind="case_alert",
                due_at=utcnow(),
                target_chat_id=chat_id,
                case_id=case.id,
                unique_key=f"case_alert:{case.id}",
            )
        )
        await session.flush()
        return False
    case.card_message_id = card.message_id
    case.alerted_at = utcnow()
    await session.flush()
    return True


async def relay_to_staff(
    bot: Bot, session: AsyncSession, message: Message, case: Case, link: MessageLink
) -> bool:
    """Copy her message under the case card (a copy, not a forward: her account stays hidden)."""
    if case.staff_chat_id is None:
        return False
    reply = (
        ReplyParameters(message_id=case.card_message_id, allow_sending_without_reply=True)
        if case.card_message_id
        else None
    )
    try:
        copied = await bot.copy_message(
            chat_id=case.staff_chat_id,
            from_chat_id=message.chat.id,
            message_id=message.message_id,
            reply_parameters=reply,
        )
    except TelegramAPIError as error:
        log.warning(
            "case %s: relay failed (%s); the message is kept", case.id, type(error).__name__
        )
        return False
    link.staff_chat_id = case.staff_chat_id
    link.staff_message_id = copied.message_id
    await session.flush()
    return True
