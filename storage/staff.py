"""Repository functions for staff, invitations and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Staff, StaffInvite, utcnow


async def active_staff(session: AsyncSession, user_id: int) -> Staff | None:
    return await session.scalar(
        select(Staff).where(Staff.user_id == user_id, Staff.removed_at.is_(None))
    )


async def list_staff(session: AsyncSession) -> list[Staff]:
    return list(
        await session.scalars(
            select(Staff).where(Staff.removed_at.is_(None)).order_by(Staff.added_at)
        )
    )


async def add_staff(
    session: AsyncSession,
    user_id: int,
    role: str,
    *,
    shelter_id: str | None,
    added_by: int | None,
    display_name: str | None,
) -> Staff:
    member = await session.get(Staff, user_id)
    if member is None:
        member = Staff(user_id=user_id)
        session.add(member)
    member.role = role
    member.shelter_id = shelter_id
    member.added_by = added_by
    member.display_name = display_name
    member.added_at = utcnow()
    member.removed_at = None
    await session.flush()
    return member


async def remove_staff(session: AsyncSession, user_id: int) -> bool:
    result = await session.execute(
        update(Staff)
        .where(Staff.user_id == user_id, Staff.removed_at.is_(None))
        .values(removed_at=utcnow())
    )
    return result.rowcount == 1


async def create_invite(
    session: AsyncSession,
    token: str,
    role: str,
    *,
    shelter_id: str | None,
    created_by: int,
    expires_at: datetime,
) -> StaffInvite:
    invite = StaffInvite(
        token=token, role=role, shelter_id=shelter_id, created_by=created_by, expires_at=expires_at
    )
    session.add(invite)
    await session.flush()
    return invite


async def claim_invite(session: AsyncSession, token: str, user_id: int) -> StaffInvite | None:
    """Mark an unused, unexpired invitation as used by this person; None when it can't be.

    One conditional UPDATE: of two people opening the same link at once, exactly one wins.
    """
    now = utcnow()
    result = await session.execute(
        update(StaffInvite)
        .where(
            StaffInvite.token == token,
            StaffInvite.used_by.is_(None),
            StaffInvite.expires_at > now,
        )
        .values(used_by=user_id, used_at=now)
    )
    if result.rowcount != 1:
        return None
    return await session.get(StaffInvite, token)


async def audit(
    session: AsyncSession,
    actor_id: int | None,
    action: str,
    *,
    case_id: int | None = None,
    application_id: int | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditEntry(
            actor_id=actor_id,
            action=action,
            case_id=case_id,
            application_id=application_id,
            details=details,
        )
    )
    await session.flush()


REFUSAL_AUDIT_EVERY = timedelta(minutes=1)


async def audit_refusal(
    session: AsyncSession, actor_id: int | None, action: str, **details: Any
) -> bool:
    """Audit a refused action at most once per person per minute; True when a row was written.

    300 refused presses are one attack, not 300 facts: a row per press would let anyone fill the
    log (and hide what else happened in it). The check reads the last minute of the log by its
    time index; two refusals at the same instant may both be written, which is harmless.
    """
    since = utcnow() - REFUSAL_AUDIT_EVERY
    actor = AuditEntry.actor_id.is_(None) if actor_id is None else AuditEntry.actor_id == actor_id
    recent = await session.scalar(
        select(AuditEntry.id)
        .where(AuditEntry.at > since, actor, AuditEntry.action.like("denied%"))
        .limit(1)
    )
    if recent is not None:
        return False
    await audit(session, actor_id, action, **details)
    return True


async def recent_audit(session: AsyncSession, limit: int) -> list[AuditEntry]:
    return list(
        await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    )


async def staff_admin_ids(session: AsyncSession) -> list[int]:
    """Active staff with the admin role (admins from the settings are not in the table)."""
    return list(
        await session.scalars(
            select(Staff.user_id).where(Staff.role == "admin", Staff.removed_at.is_(None))
        )
    )
