"""Offboarding: a removed staff member leaves every staff group, her reminders and her cases.

Telegram has no "remove from group" call for bots: a ban removes her, and lifting the ban at
once (`only_if_banned`, so a member who was never banned is not touched) lets her be invited
again later. A group where the bot lacks the right to ban is reported, not skipped silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.middlewares.limits import safe_description
from bot.middlewares.staff_gate import staff_chat_ids
from bot.services.directory import Directory
from bot.services.follow_ups import STAFF_KINDS, resume_escalation
from bot.workspace.cards import StaffTexts, refresh_card
from storage.cases import release_cases_of
from storage.follow_ups import cancel_for_target
from storage.models import utcnow

log = logging.getLogger(__name__)


@dataclass
class Offboarded:
    """What removing one person did, for the admin's answer."""

    groups_left: list[int] = field(default_factory=list)
    groups_failed: list[tuple[int, str]] = field(default_factory=list)
    reminders_cancelled: int = 0
    cases_released: list[int] = field(default_factory=list)

    def report(self, t: StaffTexts) -> list[str]:
        lines = [t("staff-remove-groups", count=len(self.groups_left))]
        for chat_id, reason in self.groups_failed:
            lines.append(t("staff-remove-group-failed", chat=str(chat_id), reason=escape(reason)))
        lines.append(t("staff-remove-reminders", count=self.reminders_cancelled))
        if self.cases_released:
            numbers = ", ".join(f"№ {number}" for number in self.cases_released)
            lines.append(t("staff-remove-cases", cases=numbers))
        else:
            lines.append(t("staff-remove-no-cases"))
        return lines


async def offboard(
    bot: Bot,
    session: AsyncSession,
    user_id: int,
    *,
    settings: Settings,
    directory: Directory,
    t: StaffTexts,
) -> Offboarded:
    """Her reminders cancelled, her open cases back in the queue (chased again as new ones),
    and she is taken out of every staff group. The database part is written first: it is
    committed before the first request to Telegram (OutgoingMiddleware)."""
    done = Offboarded()
    done.reminders_cancelled = await cancel_for_target(session, user_id, STAFF_KINDS)
    released = await release_cases_of(session, user_id)
    now = utcnow()
    for case in released:
        await resume_escalation(session, case, now, settings)
    done.cases_released = [case.id for case in released]
    await session.flush()
    for chat_id in sorted(staff_chat_ids(settings, directory)):
        try:
            await bot.ban_chat_member(chat_id, user_id)
            await bot.unban_chat_member(chat_id, user_id, only_if_banned=True)
        except TelegramAPIError as error:
            reason = safe_description(error.message)
            log.warning("person %s not removed from group %s (%s)", user_id, chat_id, reason)
            done.groups_failed.append((chat_id, reason))
        else:
            done.groups_left.append(chat_id)
    for case in released:
        await refresh_card(bot, case, directory, t)
    return done
