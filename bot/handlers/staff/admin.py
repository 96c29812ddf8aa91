"""Staff management: invitations, the staff list, removal, and signing replies."""

from __future__ import annotations

from html import escape

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.staff import invite_expiry, new_invite_token
from bot.use_cases.desk import Desk
from bot.workspace.offboard import offboard
from storage.models import Staff, StaffRole, utcnow
from storage.staff import audit, create_invite, list_staff, remove_staff

_ROLE_WORDS = {
    "admin": StaffRole.ADMIN,
    "coordinator": StaffRole.COORDINATOR,
    "house": StaffRole.HOUSE_STAFF,
    "house_staff": StaffRole.HOUSE_STAFF,
}


async def invite(message: Message, command: CommandObject, db: AsyncSession, desk: Desk) -> None:
    """Only for MANAGE_STAFF, only in private (bot.services.permissions): the link is a key."""
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    settings = desk.settings
    directory = desk.directory
    t = desk.staff_texts
    actor = message.from_user.id if message.from_user else 0
    words = (command.args or "").split()
    role = _ROLE_WORDS.get(words[0].lower()) if words else None
    shelter_id = words[1] if len(words) > 1 else None
    if role is None or (shelter_id is not None and directory.shelter(shelter_id) is None):
        await message.reply(t("staff-invite-usage"))
        return
    token = new_invite_token()
    expires = invite_expiry(utcnow())
    await create_invite(
        db, token, role, shelter_id=shelter_id, created_by=actor, expires_at=expires
    )
    await audit(db, actor, "invite", role=role.value, shelter=shelter_id)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start=staff_{token}"
    await message.reply(
        t(
            "staff-invite-link",
            link=link,
            role=t(f"staff-role-{role.value}"),
            until=expires.astimezone(settings.tz).strftime("%d.%m.%Y %H:%M"),
        )
    )


async def staff_list(message: Message, db: AsyncSession, desk: Desk) -> None:
    settings = desk.settings
    t = desk.staff_texts
    members = await list_staff(db)
    lines = [t("staff-list-title", count=len(members) + len(settings.admin_ids))]
    for admin_id in settings.admin_ids:
        lines.append(f"• {admin_id} · {t('staff-role-admin')} ({t('staff-list-from-settings')})")
    for member in members:
        name = escape(member.display_name or "")
        house = f" · {escape(member.shelter_id)}" if member.shelter_id else ""
        lines.append(f"• {member.user_id} {name} · {t(f'staff-role-{member.role}')}{house}")
    await message.reply("\n".join(lines))


async def remove(message: Message, command: CommandObject, db: AsyncSession, desk: Desk) -> None:
    settings = desk.settings
    directory = desk.directory
    t = desk.staff_texts
    actor = message.from_user.id if message.from_user else 0
    target = (command.args or "").strip()
    if not target.lstrip("-").isdigit():
        await message.reply(t("staff-remove-usage"))
        return
    user_id = int(target)
    if user_id in settings.admin_ids:  # an admin from the settings has no row to remove
        await message.reply(t("staff-remove-settings-admin", id=target))
        return
    was_staff = await db.get(Staff, user_id) is not None
    removed = await remove_staff(db, user_id)
    # Removed now, removed before this did more (run it again), or a stranger an admin was
    # warned about: in every case she leaves the staff groups and anything left to her.
    bot = message.bot
    if bot is None:  # a message not bound to a bot (never from the dispatcher)
        return
    done = await offboard(bot, db, user_id, settings=settings, directory=directory, t=t)
    await audit(
        db,
        actor,
        "remove_staff",
        target=user_id,
        groups=len(done.groups_left),
        failed=len(done.groups_failed),
        reminders=done.reminders_cancelled,
        cases=done.cases_released,
    )
    first = t("staff-removed" if removed or was_staff else "staff-remove-unknown", id=target)
    await message.reply("\n".join([first, *done.report(t)]))


async def sign(
    message: Message,
    command: CommandObject,
    db: AsyncSession,
    desk: Desk,
    staff_member: Staff | None = None,
) -> None:
    """Replies go out as the foundation; `/sign on` adds the staff member's first name."""
    t = desk.staff_texts
    if staff_member is None:  # admins from the settings have no row to keep the choice
        await message.reply(t("staff-sign-admin"))
        return
    staff_member.sign = (command.args or "").strip().lower() in ("on", "yes", "1")
    if staff_member.sign and message.from_user is not None:
        staff_member.display_name = message.from_user.first_name[:64]
    await audit(db, staff_member.user_id, "sign", on=staff_member.sign)
    await message.reply(t("staff-sign-on" if staff_member.sign else "staff-sign-off"))


def setup() -> Router:
    router = Router(name=__name__)
    router.message.register(invite, Command("invite"))
    router.message.register(staff_list, Command("staff"))
    router.message.register(remove, Command("remove"))
    router.message.register(sign, Command("sign"))
    return router
