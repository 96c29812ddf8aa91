"""Repository functions for foster family applications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Application, ApplicationStatus, utcnow


async def draft_of(session: AsyncSession, user_id: int) -> Application | None:
    return await session.scalar(
        select(Application)
        .where(Application.user_id == user_id, Application.status == ApplicationStatus.DRAFT)
        .order_by(Application.id.desc())
        .limit(1)
    )


async def applications_of(session: AsyncSession, user_id: int) -> list[Application]:
    return list(
        await session.scalars(
            select(Application)
            .where(Application.user_id == user_id, Application.status != ApplicationStatus.DRAFT)
            .order_by(Application.id)
        )
    )


async def every_application_of(session: AsyncSession, user_id: int) -> list[Application]:
    """Drafts too: what she has typed into an unsent application is kept about her as well."""
    return list(
        await session.scalars(
            select(Application).where(Application.user_id == user_id).order_by(Application.id)
        )
    )


async def start_draft(session: AsyncSession, user_id: int) -> Application:
    application = Application(user_id=user_id, answers={}, checklist={})
    session.add(application)
    await session.flush()
    return application


async def save_answer(
    session: AsyncSession, application: Application, code: str, value: Any, step: str | None
) -> None:
    """Every answer is saved at once: a draft left for a week loses nothing."""
    application.answers = {**application.answers, code: value}
    application.step = step
    if code == "care_form":
        application.care_form = str(value)
    application.updated_at = utcnow()
    await session.flush()


async def preset_answer(
    session: AsyncSession, application: Application, code: str, value: Any
) -> None:
    """An answer given before the steps (the form chosen on its screen): saved, not asked."""
    preset = sorted({*application.answers.get("preset", ()), code})
    application.answers = {**application.answers, code: value, "preset": preset}
    if code == "care_form":
        application.care_form = str(value)
    application.updated_at = utcnow()
    await session.flush()


async def submit_once(session: AsyncSession, application: Application) -> bool:
    """Draft to submitted in one conditional UPDATE: a double tap submits once."""
    result = await session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == ApplicationStatus.DRAFT)
        .values(status=ApplicationStatus.SUBMITTED, submitted_at=utcnow(), step=None)
    )
    await session.refresh(application)
    return result.rowcount == 1


async def set_application_status(
    session: AsyncSession, application: Application, status: ApplicationStatus
) -> None:
    application.status = status
    application.updated_at = utcnow()
    await session.flush()
