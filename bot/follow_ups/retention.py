"""The daily retention purge: personal data kept past its period goes, in the database and in
the staff chats. The periods are settings (README, "Personal data")."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.services.directory import Directory
from bot.workspace.cards import StaffTexts
from bot.workspace.cleanup import clean_application_cards, clean_case_cards, remove_messages
from storage.cases import anonymise_cases, closed_before, idle_open_before
from storage.erasure import ERASED_TABLES, compact, delete_links, scrub_audit, staff_messages_of
from storage.follow_ups import take_lease
from storage.inbox import prune_inbox
from storage.models import Case
from storage.retention import (
    applications_to_purge,
    delete_applications,
    purge_chat_log,
    purge_finished_follow_ups,
    purge_fsm_rows,
    purge_users,
)

log = logging.getLogger(__name__)


async def purge(
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    directory: Directory,
    t: StaffTexts,
    *,
    holder: str,
    now: datetime,
) -> int:
    """One instance a day (a lease). Returns how many cases and applications lost their data."""
    async with sessionmaker() as session:
        if not await take_lease(session, "purge", holder, now, timedelta(minutes=30)):
            return 0
        closed = await closed_before(session, now - timedelta(days=settings.retention_days))
        idle = await idle_open_before(session, now - settings.case_idle_keep)
        applications = await applications_to_purge(
            session,
            decided_before=now - settings.application_keep,
            draft_before=now - settings.draft_keep,
        )
        app_ids = [application.id for application in applications]
        app_cards = [
            (application.staff_chat_id, application.card_message_id)
            for application in applications
            if application.staff_chat_id and application.card_message_id
        ]
        case_ids = closed + idle
        staff_messages = await staff_messages_of(session, case_ids, app_ids)
        await delete_links(session, case_ids, app_ids)
        await anonymise_cases(session, closed, close=False)
        await anonymise_cases(session, idle, close=True)
        await scrub_audit(session, [], app_ids)
        await delete_applications(session, app_ids)
        await purge_fsm_rows(session, now - settings.conversation_keep)
        await purge_chat_log(session, now - settings.chat_log_keep)
        await purge_finished_follow_ups(session, now - settings.chat_log_keep)
        await scrub_audit(session, await purge_users(session, now - settings.user_keep))
        await prune_inbox(session, now - settings.inbox_keep)
        await session.commit()
        cases = list(await session.scalars(select(Case).where(Case.id.in_(case_ids))))
    # The staff chats after the database: a crash in between leaves messages that no row
    # points at any more, never a row whose data outlived its period.
    await remove_messages(bot, staff_messages, t("staff-removed-expired"))
    await clean_case_cards(bot, cases, directory, t)
    await clean_application_cards(bot, app_cards, t("staff-app-expired"))
    await compact(sessionmaker.kw.get("bind"), ERASED_TABLES)
    if case_ids or app_ids:
        log.info(
            "retention: %s closed and %s idle cases, %s applications purged",
            len(closed),
            len(idle),
            len(app_ids),
        )
    return len(case_ids) + len(app_ids)
