"""Who may do what in the staff workspace."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

from storage.models import Staff, StaffRole


class Permission(enum.StrEnum):
    WORK_CASES = "work_cases"  # take, note, remind, status, close, reopen, reply, queue, case
    REPORTS = "reports"  # stats, export without personal data
    EXPORT_PERSONAL = "export_personal"
    MANAGE_STAFF = "manage_staff"  # invite, remove
    READ_AUDIT = "read_audit"


ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.ADMIN: frozenset(Permission),
    StaffRole.COORDINATOR: frozenset({Permission.WORK_CASES, Permission.REPORTS}),
    StaffRole.HOUSE_STAFF: frozenset({Permission.WORK_CASES}),
}

INVITE_TTL = timedelta(days=3)


def role_of(user_id: int, member: Staff | None, admin_ids: tuple[int, ...]) -> StaffRole | None:
    """Admins come from the settings; everyone else from the staff table (not removed)."""
    if user_id in admin_ids:
        return StaffRole.ADMIN
    if member is None or member.removed_at is not None:
        return None
    return StaffRole(member.role)


def allowed(role: StaffRole | None, permission: Permission) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS[role]


def new_invite_token() -> str:
    """22 URL-safe characters: fits Telegram's start parameter and can't be guessed."""
    return secrets.token_urlsafe(16)


def invite_expiry(now: datetime) -> datetime:
    return now + INVITE_TTL
