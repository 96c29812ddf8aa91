"""The application card's buttons: take it, move it along the pipeline, decide."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.follow_ups import FollowUpKind, schedule
from bot.ui.callbacks import StaffAppCb
from bot.use_cases.desk import Desk
from bot.workspace.applications import (
    FINAL,
    application_card,
    application_keyboard,
    notify_applicant,
)
from storage.applications import set_application_status
from storage.models import Application, ApplicationStatus, utcnow
from storage.staff import audit


async def application_button(
    query: CallbackQuery, callback_data: StaffAppCb, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    bot = query.bot
    assert bot is not None  # set by the dispatcher on every update
    t = desk.staff_texts
    application = await db.get(Application, callback_data.application_id)
    if application is None or application.status == ApplicationStatus.DRAFT:
        await query.answer(t("staff-case-missing"), show_alert=True)
        return
    actor = query.from_user
    if callback_data.take:
        result = await db.execute(
            update(Application)
            .where(Application.id == application.id, Application.taken_by.is_(None))
            .values(taken_by=actor.id, taken_by_name=actor.full_name[:64], updated_at=utcnow())
        )
        await db.refresh(application)
        if result.rowcount != 1:
            await query.answer(
                t("staff-already-taken", name=application.taken_by_name or ""), show_alert=True
            )
            return
        await audit(db, actor.id, "take_application", application_id=application.id)
        await query.answer(t("staff-taken-by-you"))
    elif callback_data.remind:
        local = utcnow().astimezone(desk.settings.tz) + timedelta(days=1)
        due = local.replace(hour=10, minute=0, second=0, microsecond=0)
        await schedule(
            db,
            kind=FollowUpKind.STAFF_REMINDER,
            due_at=due,
            unique_key=f"remind-app:{application.id}:{actor.id}:{int(due.timestamp())}",
            target_chat_id=actor.id,
            payload={"application_id": application.id},
        )
        await audit(db, actor.id, "remind", application_id=application.id, due=due.isoformat())
        await query.answer(t("staff-remind-set", at=due.strftime("%d.%m %H:%M")), show_alert=True)
        return
    elif callback_data.status is not None:
        if application.status in FINAL:
            await query.answer(t("staff-app-final"), show_alert=True)
            return
        if application.status == callback_data.status:
            # A second tap (or two staff at once): she was told already; no second message.
            await query.answer(t("staff-app-status-unchanged"))
            return
        await set_application_status(db, application, callback_data.status)
        await audit(
            db,
            actor.id,
            "application_status",
            application_id=application.id,
            status=callback_data.status.value,
        )
        delivered = await notify_applicant(bot, db, application, i18n.core)
        await query.answer(t("staff-app-notified" if delivered else "staff-app-not-notified"))
    if isinstance(query.message, Message):
        await query.message.edit_text(
            application_card(application, t), reply_markup=application_keyboard(application, t)
        )


def setup() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(application_button, StaffAppCb.filter())
    return router
