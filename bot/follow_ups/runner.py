"""Performs due follow-ups: claims rows, sends, marks them done; retries with backoff."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.follow_ups import retention
from bot.follow_ups.outcome_question import ask_outcome_again
from bot.middlewares.flood import send_held
from bot.middlewares.staff_gate import staff_chat_ids
from bot.services.directory import Directory
from bot.services.follow_ups import FollowUpKind, schedule_for_staff
from bot.services.locale import locale_for
from bot.services.staff import role_of
from bot.ui.callbacks import CheckInAnswer, CheckInCb, FosterAction, FosterCb
from bot.workspace.alerts import copy_into_thread
from bot.workspace.applications import application_card, application_keyboard
from bot.workspace.cards import StaffTexts, refresh_card
from bot.workspace.case_threads import CaseThreads, Workspace
from storage.cases import EVERY_HOUSE, open_cases
from storage.follow_ups import (
    claim_due,
    finish,
    give_up,
    queued_case_alerts,
    release_claims,
    retry_later,
    take_lease,
)
from storage.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseStatus,
    FollowUp,
    MessageLink,
    Staff,
    StaffRole,
    User,
    utcnow,
)
from storage.staff import active_staff
from storage.unit_of_work import UnitOfWork, in_flight

log = logging.getLogger(__name__)

# A small batch: rows are sent one by one within Telegram's limits (20 a minute to a group),
# and a claim must finish well before it counts as abandoned.
CLAIM_BATCH = 10
STALE_CLAIM = timedelta(minutes=5)  # the default of settings.follow_up_claim_timeout
UNREACHABLE_NOTICE = timedelta(hours=6)  # admins are reminded this often while a group refuses
BURST_NOTICE_FROM = 3  # queued cards for one group that make a burst worth one notice
BURST_NOTICE_LINES = 80  # lines of about 40 characters: well inside 4096


def card_link(case: Case) -> str | None:
    """A t.me link to the case card (supergroups only: their ids start with -100)."""
    if case.staff_chat_id is None or case.card_message_id is None:
        return None
    internal = str(case.staff_chat_id).removeprefix("-100")
    if internal == str(case.staff_chat_id):
        return None
    return f"https://t.me/c/{internal}/{case.card_message_id}"


class FollowUpRunner:
    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        directory: Directory,
        core: FluentRuntimeCore,
        threads: CaseThreads,
        holder: str,
    ) -> None:
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.directory = directory
        self.core = core
        self.threads = threads
        self.holder = holder
        self.t = StaffTexts(core, settings.staff_language)
        self.workspace = Workspace(directory, threads, self.t)
        self._busy = asyncio.Lock()  # one tick at a time; a clean stop waits for it
        self._stopping = False  # set by drain(): a tick that starts after it does nothing

    async def recover(self) -> int:
        """At start on SQLite: rows claimed by the previous (killed) process go back to pending
        at once, rather than after the stale-claim timeout."""
        async with self.sessionmaker() as session:
            if session.get_bind().dialect.name != "sqlite":
                return 0  # several instances share PostgreSQL: only stale claims are taken over
            return await release_claims(session)

    async def tick(self, now: datetime | None = None) -> int:
        """Claim what is due and perform it, until nothing is due. Returns how many rows."""
        async with self._busy:
            if self._stopping:
                return 0
            total = 0
            while True:  # batch after batch, so a backlog drains at Telegram's pace, not 10/s
                moment = now or utcnow()
                async with self.sessionmaker() as session:
                    rows = await claim_due(
                        session,
                        self.holder,
                        moment,
                        limit=CLAIM_BATCH,
                        stale_after=self.settings.follow_up_claim_timeout,
                    )
                if not rows:
                    return total
                for row in rows:
                    await self._run_one(row, moment)
                total += len(rows)

    async def drain(self) -> None:
        """Wait for the tick in progress, so a stop never leaves a row half done, and keep any
        later one from claiming: APScheduler's shutdown cancels a tick still running."""
        # A tick the scheduler submitted just before its pause gets its first step now, so it
        # is ahead of us on the lock (asyncio's locks are first come, first served).
        await asyncio.sleep(0)
        async with self._busy:
            self._stopping = True

    async def _run_one(self, row: FollowUp, now: datetime) -> None:
        async with self.sessionmaker() as session:
            try:
                # Bound like an update's session: what it wrote is committed before each
                # request to Telegram, so SQLite's write lock is never held over the network
                # (a send retried through 5xx for seconds would stall every other writer).
                with in_flight.open(UnitOfWork(session)):
                    await self._perform(session, row, now)
            except TelegramForbiddenError:
                if (row.target_chat_id or 0) < 0:  # a staff group the bot was removed from
                    await session.rollback()
                    await self._group_unreachable(session, row, now)
                    await session.commit()
                    return
                log.info("follow-up %s: the recipient blocked the bot; done", row.id)
            except Exception as error:
                await session.rollback()
                await self._failed(session, row, now, error)
                await session.commit()
                return
            await finish(session, row.id, self.holder, utcnow())
            await session.commit()

    async def _group_unreachable(self, session: AsyncSession, row: FollowUp, now: datetime) -> None:
        """The bot was removed from the staff group: the duty waits (not counted as a failure,
        so it is never given up) until the bot is added back; admins are told once in a while."""
        chat_id = row.target_chat_id or 0
        delay = min(2 ** min(row.attempts, 9), 300) * (0.5 + random.random())
        log.warning("follow-up %s: staff group %s refuses the bot; waiting", row.id, chat_id)
        await retry_later(session, row.id, self.holder, now + timedelta(seconds=delay), "forbidden")
        await session.commit()
        if await take_lease(
            session, f"unreachable:{chat_id}", self.holder, now, UNREACHABLE_NOTICE, reentrant=False
        ):
            await self._tell_admins(self.t("staff-group-unreachable", chat=str(chat_id)))

    async def _failed(
        self, session: AsyncSession, row: FollowUp, now: datetime, error: Exception
    ) -> None:
        reason = type(error).__name__
        if row.attempts >= self.settings.follow_up_max_attempts:
            log.error(
                "follow-up %s (%s) failed %s times: %s", row.id, row.kind, row.attempts, reason
            )
            await give_up(session, row.id, self.holder, reason)
            await self._tell_admins(
                self.t("staff-follow-up-failed", kind=row.kind, case=row.case_id or 0)
            )
            return
        delay = min(2**row.attempts, 300) * (0.5 + random.random())
        log.warning(
            "follow-up %s (%s) failed (%s); retry in %.0f s", row.id, row.kind, reason, delay
        )
        await retry_later(session, row.id, self.holder, now + timedelta(seconds=delay), reason)

    async def _perform(self, session: AsyncSession, row: FollowUp, now: datetime) -> None:
        case = await session.get(Case, row.case_id) if row.case_id else None
        kind = row.kind
        if kind == FollowUpKind.STAFF_REMINDER and not await self._still_staff(session, row):
            return  # removed after it was claimed (her /remove cancels pending ones)
        if kind == FollowUpKind.CASE_ALERT and case is not None:
            if case.card_message_id is None:
                await self._announce_burst(case.staff_chat_id, now)
                await self.workspace.post_card(self.bot, session, case)
                case.alerted_at = now
        elif kind == FollowUpKind.ESCALATION and case is not None:
            await self._escalate(session, case, row, now)
        elif kind == FollowUpKind.STAFF_REMINDER and case is not None and row.target_chat_id:
            text = self.t("staff-reminder", case=case.id, link=card_link(case) or "")
            await self.bot.send_message(row.target_chat_id, text)
        elif kind == FollowUpKind.STAFF_REMINDER and row.target_chat_id:
            number = row.payload.get("application_id")
            await self.bot.send_message(
                row.target_chat_id, self.t("staff-reminder-application", number=number or 0)
            )
        elif kind == FollowUpKind.CHECK_IN and case is not None:
            await self._check_in(session, case)
        elif kind == FollowUpKind.OUTCOME and case is not None:
            await ask_outcome_again(self.bot, session, case, row.payload, self.workspace)
        elif kind == FollowUpKind.RELAY:
            await self._relay(session, row)
        elif kind == FollowUpKind.RELAY_BATCH and row.case_id is not None:
            await send_held(
                self.bot,
                session,
                row.case_id,
                window=self.settings.flood_batch_window,
                workspace=self.workspace,
            )
        elif kind == FollowUpKind.APPLICATION_ALERT:
            application = await session.get(Application, row.payload.get("application_id"))
            if application is not None and application.card_message_id is None:
                card = await self.bot.send_message(
                    row.target_chat_id or 0,
                    application_card(application, self.t),
                    reply_markup=application_keyboard(application, self.t),
                )
                application.card_message_id = card.message_id
        elif kind == FollowUpKind.DRAFT_REMINDER:
            await self._draft_reminder(session, row)
        elif kind == FollowUpKind.TRAINING_REMINDER:
            await self._training_reminder(session, row)
        await session.flush()

    async def _escalate(
        self, session: AsyncSession, case: Case, row: FollowUp, now: datetime
    ) -> None:
        if case.taken_by is not None or case.status == CaseStatus.CLOSED or case.user_id is None:
            return  # taken, closed or forgotten meanwhile: nothing to chase
        level = int(row.payload.get("level", 1))
        if level == 1:
            try:
                await self._word_in_thread(session, case, "staff-escalation-group")
                await refresh_card(self.bot, case, self.directory, self.t)
                after = self.settings.escalate_to_coordinators_after
            except TelegramForbiddenError:
                # The group can't be reached: the coordinators are the next rung, at once.
                after = timedelta(0)
            # Per first-level row: a case escalated again (after "not yet") goes up again.
            key = f"escalate:{case.id}:2:{row.id}"
            await schedule_for_staff(
                session, case, FollowUpKind.ESCALATION, now + after, key, {"level": 2}
            )
            return
        text = self.t("staff-escalation-private", case=case.id, link=card_link(case) or "")
        for chat_id in await self._coordinators(session):
            try:
                await self.bot.send_message(chat_id, text)
            except TelegramAPIError as error:
                # One unreachable coordinator must not make the others get it twice on retry.
                log.warning("coordinator %s not reached (%s)", chat_id, type(error).__name__)

    async def _announce_burst(self, chat_id: int | None, now: datetime) -> None:
        """Many cards queued for one group (a burst beyond Telegram's 20 a minute): one message
        lists them all at once, so staff see the whole burst now, not card by card over minutes.
        Once per burst: a lease marks it until the queue could have drained."""
        if chat_id is None:
            return
        async with self.sessionmaker() as session:
            queued = await queued_case_alerts(session, chat_id)
            if len(queued) < BURST_NOTICE_FROM:
                return
            # Two messages a card at the group's pace, plus a minute's margin.
            minutes = len(queued) * 2 / self.settings.telegram_group_per_minute + 1
            drain = timedelta(minutes=minutes * self.settings.telegram_limits_scale)
            if not await take_lease(
                session, f"burst:{chat_id}", self.holder, now, drain, reentrant=False
            ):
                return
            cases = list(
                await session.scalars(select(Case).where(Case.id.in_(queued)).order_by(Case.id))
            )
        cases.sort(key=lambda case: case.urgency != "urgent")  # urgent first, then by number
        lines = [self.t("staff-burst-title", count=len(cases))]
        for case in cases[:BURST_NOTICE_LINES]:
            mark = "🚨" if case.urgency == "urgent" else "•"
            lines.append(f"{mark} № {case.id} · {self.t(f'staff-kind-{case.kind}')}")
        if len(cases) > BURST_NOTICE_LINES:
            lines.append(self.t("staff-burst-more", count=len(cases) - BURST_NOTICE_LINES))
        lines.append(self.t("staff-burst-hint"))
        try:
            await self.bot.send_message(chat_id, "\n".join(lines))
        except TelegramAPIError as error:
            # The cards still follow; the notice is a courtesy, not a duty.
            log.warning("burst notice to %s not sent (%s)", chat_id, type(error).__name__)

    async def _still_staff(self, session: AsyncSession, row: FollowUp) -> bool:
        """A reminder to a person goes only to someone who still has a staff role."""
        target = row.target_chat_id or 0
        if target <= 0:
            return True  # a group, not a person
        member = await active_staff(session, target)
        return role_of(target, member, self.settings.admin_ids) is not None

    async def _coordinators(self, session: AsyncSession) -> list[int]:
        roles = (StaffRole.ADMIN, StaffRole.COORDINATOR)
        rows = await session.scalars(
            select(Staff.user_id).where(Staff.role.in_(roles), Staff.removed_at.is_(None))
        )
        return sorted(set(self.settings.admin_ids) | set(rows))

    async def _check_in(self, session: AsyncSession, case: Case) -> None:
        if case.status == CaseStatus.CLOSED or case.user_id is None:
            return
        person = await session.get(User, case.user_id)
        if person is None or person.blocked_at is not None:
            return
        locale = person.language or case.language or locale_for(None, person.telegram_language)
        # On a shared phone the neutral lines come first: OutgoingMiddleware
        # (bot.middlewares.discreet).
        text = self.core.get("check-in-question", locale, case=case.id)
        buttons = [
            (CheckInAnswer.YES, "check-in-button-yes"),
            (CheckInAnswer.NOT_YET, "check-in-button-not-yet"),
            (CheckInAnswer.NO_NEED, "check-in-button-no-need"),
        ]
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self.core.get(key, locale),
                        callback_data=CheckInCb(answer=answer, case_id=case.id).pack(),
                    )
                ]
                for answer, key in buttons
            ]
        )
        try:
            await self.bot.send_message(person.id, text, reply_markup=markup)
        except TelegramForbiddenError:
            # She blocked the bot: the staff must know the check-in can't reach her.
            await self._word_in_thread(session, case, "staff-check-in-blocked")

    async def _word_in_thread(self, session: AsyncSession, case: Case, key: str) -> None:
        """A word from the bot (text `key`, given the case's number) in the case's thread;
        raises if Telegram refuses."""
        text = self.t(key, case=case.id)
        await self.workspace.post(self.bot, session, case, text)

    async def _relay(self, session: AsyncSession, row: FollowUp) -> None:
        """Her message that staff did not get at once: copied now (raises to retry)."""
        link = await session.get(MessageLink, row.payload.get("link_id"))
        if link is None or link.staff_message_id is not None:
            return  # delivered meanwhile, or deleted with /forget
        if link.application_id is not None:
            application = await session.get(Application, link.application_id)
            if application is None or application.staff_chat_id is None:
                return
            copied = await self.bot.copy_message(
                application.staff_chat_id,
                link.user_chat_id,
                link.user_message_id,
                reply_parameters=ReplyParameters(
                    message_id=application.card_message_id or 0, allow_sending_without_reply=True
                ),
            )
            link.staff_chat_id, link.staff_message_id = application.staff_chat_id, copied.message_id
            return
        case = await session.get(Case, link.case_id) if link.case_id else None
        if case is None or case.staff_chat_id is None:
            return
        link.staff_message_id = await copy_into_thread(
            self.bot,
            session,
            case,
            link.user_chat_id,
            link.user_message_id,
            self.workspace,
        )
        link.staff_chat_id = case.staff_chat_id

    async def _draft_reminder(self, session: AsyncSession, row: FollowUp) -> None:
        """An application left unfinished: a gentle word with a button to go on."""
        application = await session.get(Application, row.payload.get("application_id"))
        if application is None or application.status != ApplicationStatus.DRAFT:
            return  # submitted or deleted meanwhile
        person = await session.get(User, application.user_id)
        if person is None or person.blocked_at is not None:
            return
        locale = locale_for(person.language, person.telegram_language)
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self.core.get("app-button-continue", locale),
                        callback_data=FosterCb(action=FosterAction.APPLY).pack(),
                    )
                ]
            ]
        )
        await self.bot.send_message(
            person.id, self.core.get("app-draft-reminder", locale), reply_markup=markup
        )

    async def _training_reminder(self, session: AsyncSession, row: FollowUp) -> None:
        application = await session.get(Application, row.payload.get("application_id"))
        if application is None or application.training_at is None:
            return
        if application.training_at != datetime.fromisoformat(str(row.payload.get("at"))):
            return  # the date was changed: the new date has its own reminder
        person = await session.get(User, application.user_id)
        if person is None or person.blocked_at is not None:
            return
        locale = locale_for(person.language, person.telegram_language)
        when = application.training_at.astimezone(self.settings.tz).strftime("%d.%m.%Y %H:%M")
        await self.bot.send_message(
            person.id,
            self.core.get(
                "app-training-reminder", locale, when=when, form=application.care_form or "other"
            ),
        )

    async def _tell_admins(self, text: str) -> None:
        for admin_id in self.settings.admin_ids:
            try:
                await self.bot.send_message(admin_id, text)
            except Exception:
                log.warning("could not tell admin %s about a failed follow-up", admin_id)

    async def digest(self, now: datetime | None = None) -> int:
        """Once a day, to each staff group: what waits. One instance sends it (a lease)."""
        now = now or utcnow()
        day = now.astimezone(self.settings.tz).date().isoformat()
        async with self.sessionmaker() as session:
            if not await take_lease(session, f"digest:{day}", self.holder, now, timedelta(days=2)):
                return 0
            waiting = await open_cases(session, scope=EVERY_HOUSE)  # each group's own below
        sent = 0
        for chat_id in sorted(staff_chat_ids(self.settings, self.directory)):
            cases = [case for case in waiting if case.staff_chat_id == chat_id]
            if not cases:
                continue
            lines = [self.t("staff-digest-title", count=len(cases))]
            for case in cases[:30]:
                mark = "🚨" if case.urgency == "urgent" else "•"
                state = escape(case.taken_by_name or self.t("staff-status-new"))
                lines.append(f"{mark} № {case.id} · {self.t(f'staff-kind-{case.kind}')} · {state}")
            try:
                await self.bot.send_message(chat_id, "\n".join(lines))
            except TelegramAPIError as error:
                log.warning("digest to %s not sent (%s)", chat_id, type(error).__name__)
                continue  # one group the bot was removed from must not silence the others
            sent += 1
        return sent

    async def purge(self, now: datetime | None = None) -> int:
        """Personal data kept past its period goes; counts stay (bot.follow_ups.retention)."""
        return await retention.purge(
            self.bot,
            self.sessionmaker,
            self.settings,
            self.directory,
            self.t,
            holder=self.holder,
            now=now or utcnow(),
        )
