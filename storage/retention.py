"""The retention purge's queries: what has been kept long enough, and deleting it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Application,
    ApplicationStatus,
    Base,
    Case,
    ChatMessage,
    FollowUp,
    FollowUpState,
    FsmRecord,
    Staff,
    User,
)

DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.NOT_APPROVED, ApplicationStatus.WITHDRAWN)
STILL_DUE = (FollowUpState.PENDING, FollowUpState.CLAIMED)  # a follow-up not yet sent or given up


async def applications_to_purge(
    session: AsyncSession, *, decided_before: datetime, draft_before: datetime
) -> list[Application]:
    """Applications decided or withdrawn, untouched since `decided_before`, and drafts left
    since `draft_before`. Those still in progress stay: someone is working on them."""
    return list(
        await session.scalars(
            select(Application).where(
                or_(
                    (Application.status.in_(DECIDED)) & (Application.updated_at < decided_before),
                    (Application.status == ApplicationStatus.DRAFT)
                    & (Application.updated_at < draft_before),
                )
            )
        )
    )


async def delete_applications(session: AsyncSession, ids: list[int]) -> None:
    """Their messages and follow-ups are deleted first (storage.erasure.delete_links)."""
    if ids:
        await session.execute(delete(FollowUp).where(FollowUp.application_id.in_(ids)))
        await session.execute(delete(Application).where(Application.id.in_(ids)))


async def delete_rows(session: AsyncSession, model: type[Base], *where: ColumnElement[bool]) -> int:
    """Delete the rows of `model` that match `where`; how many went."""
    result = await session.execute(delete(model).where(*where))
    return result.rowcount


async def purge_fsm_rows(session: AsyncSession, before: datetime) -> int:
    """Conversations nobody continued since `before`: a phone typed in a flow she left stays
    in its data otherwise."""
    return await delete_rows(session, FsmRecord, FsmRecord.updated_at < before)


async def purge_finished_follow_ups(session: AsyncSession, before: datetime) -> int:
    """Reminders done, failed or cancelled long ago: they still name the chat they went to."""
    finished = FollowUp.state.not_in(STILL_DUE)
    return await delete_rows(session, FollowUp, finished, FollowUp.created_at < before)


async def purge_chat_log(session: AsyncSession, before: datetime) -> int:
    return await delete_rows(session, ChatMessage, ChatMessage.sent_at < before)


async def purge_users(session: AsyncSession, before: datetime) -> list[int]:
    """People not seen since `before` with nothing left: no case, no application, no staff
    role, nothing due to them."""
    ids = list(
        await session.scalars(
            select(User.id).where(
                User.last_seen_at < before,
                ~exists().where(Case.user_id == User.id),
                ~exists().where(Application.user_id == User.id),
                ~exists().where(Staff.user_id == User.id),
                ~exists().where(
                    FollowUp.target_chat_id == User.id,
                    FollowUp.state.in_(STILL_DUE),
                ),
            )
        )
    )
    if ids:
        await session.execute(delete(FollowUp).where(FollowUp.target_chat_id.in_(ids)))
        await session.execute(delete(ChatMessage).where(ChatMessage.chat_id.in_(ids)))
        await session.execute(delete(User).where(User.id.in_(ids)))
    return ids
