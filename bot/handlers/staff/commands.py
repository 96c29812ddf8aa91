"""Staff commands: the queue, one case, search, statistics, exports and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from html import escape

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.staff_gate import refuse
from bot.services import reports
from bot.services.directory import Directory
from bot.services.follow_ups import parse_when, schedule_training_reminder
from bot.services.locale import locale_for
from bot.services.permissions import Access, Action
from bot.services.phones import parse_kz_phone
from bot.use_cases.desk import Desk
from bot.use_cases.export import export_period
from bot.workspace.cards import StaffTexts, case_card, waiting
from bot.workspace.outcome_replies import reply_outcomes
from storage.cases import case_exists, find_cases, last_messages, open_cases, staff_case
from storage.models import Application, ApplicationStatus, Case, Urgency, User, utcnow
from storage.staff import audit, recent_audit


def _queue_line(case: Case, t: StaffTexts, directory: Directory) -> str:
    mark = "🚨" if case.urgency == Urgency.URGENT else "•"
    region = directory.region(case.region).name.get(t.locale) if case.region else "—"
    parts = [f"{mark} <b>№ {case.id}</b>", t(f"staff-kind-{case.kind}"), escape(region)]
    parts.append(t(f"staff-status-{case.status}"))
    if case.taken_by_name:
        parts.append(escape(case.taken_by_name))
    else:
        parts.append(waiting(t, case.created_at, utcnow()))
    return " · ".join(parts)


def _case_list(cases: Sequence[Case], desk: Desk, *, title: str | None, empty: str) -> str:
    """One line a case, under a title with their count (if any), or what to say for none."""
    t = desk.staff_texts
    lines = [t(title, count=len(cases))] if title is not None else []
    lines += [_queue_line(case, t, desk.directory) for case in cases] or [t(empty)]
    return "\n".join(lines)


async def queue(message: Message, db: AsyncSession, access: Access, desk: Desk) -> None:
    cases = await open_cases(db, scope=access.cases(Action.READ_CASES))
    await message.reply(
        _case_list(cases, desk, title="staff-queue-title", empty="staff-queue-empty")
    )


async def my_cases(message: Message, db: AsyncSession, access: Access, desk: Desk) -> None:
    scope = access.cases(Action.READ_CASES)
    cases = await open_cases(db, scope=scope, taken_by=access.user_id)
    await message.reply(_case_list(cases, desk, title="staff-my-title", empty="staff-queue-empty"))


async def one_case(
    message: Message, command: CommandObject, db: AsyncSession, access: Access, desk: Desk
) -> None:
    t = desk.staff_texts
    directory = desk.directory
    number = (command.args or "").strip().lstrip("№#")
    case_id = int(number) if number.isdigit() and len(number) < 10 else None
    scope = access.cases(Action.READ_CASES)
    case = await staff_case(db, case_id, scope) if case_id is not None else None
    if case is None and case_id is not None and await case_exists(db, case_id):
        await refuse(message, db, t, "/case", key="staff-case-out-of-scope")
        return
    if case is None:
        await message.reply(t("staff-case-usage"))
        return
    lines = [case_card(case, directory, t), ""]
    for link in await last_messages(db, case.id):
        who = (
            "staff-history-note"
            if link.internal
            else ("staff-history-staff" if link.from_staff else "staff-history-person")
        )
        body = link.content.get("text") or link.content.get("caption") or f"[{link.kind}]"
        lines.append(f"• {t(who)}: {escape(str(body)[:300])}")
    await message.reply("\n".join(lines))


async def find(
    message: Message, command: CommandObject, db: AsyncSession, access: Access, desk: Desk
) -> None:
    query = (command.args or "").strip().lstrip("№#")
    phone = parse_kz_phone(query)
    case_id = int(query) if query.isdigit() and len(query) < 9 else None
    scope = access.cases(Action.READ_CASES)
    cases = await find_cases(db, scope=scope, case_id=case_id, phone=phone)
    if not query:
        await message.reply(desk.staff_texts("staff-find-usage"))
        return
    await message.reply(_case_list(cases, desk, title=None, empty="staff-find-none"))


async def stats(message: Message, command: CommandObject, db: AsyncSession, desk: Desk) -> None:
    settings = desk.settings
    directory = desk.directory
    t = desk.staff_texts
    period = reports.parse_period(command.args or "", utcnow().astimezone(settings.tz).date())
    if period is None:
        await message.reply(t("staff-period-usage"))
        return
    since, until = reports.period_bounds(*period, settings.tz)
    figures = await reports.compute_stats(db, since=since, until=until, zone=settings.tz)
    text = reports.stats_text(figures, lambda key, args: t(key, **args))
    kinds = {kind: t(f"staff-kind-{kind}") for kind in ("pregnant", "baby", "other")}
    chart = reports.stats_chart(
        figures, title=t("stats-chart-title"), week_label=t("stats-chart-week"), kind_labels=kinds
    )
    await message.reply_photo(BufferedInputFile(chart, "stats.png"), caption=text[:1024])
    if len(text) > 1024:
        await message.reply(text)
    await reply_outcomes(message, db, t, period, settings=settings, directory=directory)


async def export(message: Message, command: CommandObject, db: AsyncSession, desk: Desk) -> None:
    """The gate let only a role with EXPORT_PERSONAL, in private, ask for "personal"."""
    settings = desk.settings
    t = desk.staff_texts
    words = (command.args or "").split()
    personal = "personal" in words
    period_text = " ".join(word for word in words if word != "personal")
    period = reports.parse_period(period_text, utcnow().astimezone(settings.tz).date())
    if period is None:
        await message.reply(t("staff-period-usage"))
        return
    actor = message.from_user.id if message.from_user else None
    cases, applications = await export_period(db, actor, period, settings.tz, personal=personal)
    name = f"anabot-{period[0].isoformat()}-{period[1].isoformat()}"
    await message.reply_document(BufferedInputFile(reports.to_csv(*cases), f"{name}-cases.csv"))
    workbook = reports.to_xlsx({"cases": cases, "applications": applications})
    await message.reply_document(
        BufferedInputFile(workbook, f"{name}.xlsx"),
        caption=t("staff-export-done", cases=len(cases[1]), applications=len(applications[1])),
    )


async def audit_log(message: Message, command: CommandObject, db: AsyncSession, desk: Desk) -> None:
    settings = desk.settings
    t = desk.staff_texts
    arg = (command.args or "20").strip()
    limit = min(int(arg), 100) if arg.isdigit() and int(arg) > 0 else 20
    lines = [t("staff-audit-title", count=limit)]
    for entry in await recent_audit(db, limit):
        moment = entry.at.astimezone(settings.tz).strftime("%d.%m %H:%M")
        case = f" № {entry.case_id}" if entry.case_id else ""
        lines.append(f"{moment} · {entry.actor_id or '—'} · {escape(entry.action)}{case}")
    await message.reply("\n".join(lines))


async def training(
    message: Message, command: CommandObject, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    """`/training 12 26.12 10:00`: the applicant's training date, with a reminder before it."""
    t = desk.staff_texts
    words = (command.args or "").split(maxsplit=1)
    number = words[0].lstrip("№#") if words else ""
    application = await db.get(Application, int(number)) if number.isdigit() else None
    when = parse_when(words[1], utcnow(), desk.settings.tz) if len(words) == 2 else None
    if application is None or application.status == ApplicationStatus.DRAFT or when is None:
        await message.reply(t("staff-training-usage"))
        return
    application.training_at = when
    await schedule_training_reminder(db, application, application.user_id, when)
    await audit(
        db,
        message.from_user.id if message.from_user else None,
        "training_date",
        application_id=application.id,
        at=when.isoformat(),
    )
    shown = when.strftime("%d.%m.%Y %H:%M")
    person = await db.get(User, application.user_id)
    bot = message.bot
    if person is not None and bot is not None:  # a bot on every update from the dispatcher
        locale = locale_for(person.language, person.telegram_language)
        with suppress(TelegramAPIError):
            form = application.care_form or "other"
            text = i18n.core.get("app-training-set", locale, when=shown, form=form)
            await bot.send_message(person.id, text)
    await message.reply(t("staff-training-set", number=application.id, when=shown))


def setup() -> Router:
    router = Router(name=__name__)
    commands = {
        "queue": queue,
        "my": my_cases,
        "case": one_case,
        "find": find,
        "stats": stats,
        "export": export,
        "audit": audit_log,
        "training": training,
    }
    for name, handler in commands.items():
        router.message.register(handler, Command(name))
    return router
