"""Staff roles and invitations; who may do what is the table in bot.services.permissions."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from storage.models import Staff, StaffRole

INVITE_TTL = timedelta(days=3)


def role_of(user_id: int, member: Staff | None, admin_ids: tuple[int, ...]) -> StaffRole | None:
    """Admins come from the settings; everyone else from the staff table (not removed)."""
    if user_id in admin_ids:
        return StaffRole.ADMIN
    if member is None or member.removed_at is not None:
        return None
    return StaffRole(member.role)


def new_invite_token() -> str:
    """22 URL-safe characters: fits Telegram's start parameter and can't be guessed."""
    return secrets.token_urlsafe(16)


def invite_expiry(now: datetime) -> datetime:
    return now + INVITE_TTL
