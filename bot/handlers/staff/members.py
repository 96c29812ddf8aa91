"""Someone without a staff role joins a staff group: the admins are told at once.

A staff group shows every case's phone and note, so a stranger in it reads them from the
moment she joins. The alert goes two ways:
- into the group itself, so the staff writing there right now pause before posting anything
  personal (the stranger sees it too; she is already reading everything else);
- to each admin in private, because admins are the ones who can act (`/remove` takes her out
  of every staff group) and a busy or muted group is easy to miss.
Telegram sends `chat_member` updates only to a bot that is an admin of the group and lists
them in allowed_updates (polling resolves them from the handlers; the webhook sets them).
"""

from __future__ import annotations

import logging
from html import escape

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import JOIN_TRANSITION, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.staff_gate import staff_chat_ids
from bot.services.staff import role_of
from bot.use_cases.desk import Desk
from storage.staff import active_staff, audit, staff_admin_ids

log = logging.getLogger(__name__)


async def joined_staff_group(event: ChatMemberUpdated, db: AsyncSession, desk: Desk) -> None:
    settings = desk.settings
    directory = desk.directory
    if event.chat.id not in staff_chat_ids(settings, directory) or event.bot is None:
        return
    person = event.new_chat_member.user
    if role_of(person.id, await active_staff(db, person.id), settings.admin_ids) is not None:
        return  # a colleague: nothing to say
    await audit(db, None, "stranger_joined_staff_group", chat=event.chat.id, target=person.id)
    t = desk.staff_texts
    name = escape(person.full_name or "?")
    log.warning(
        "a person without a staff role (%s) joined staff group %s", person.id, event.chat.id
    )
    recipients = [(event.chat.id, t("staff-stranger-joined-group", name=name, id=str(person.id)))]
    private = t(
        "staff-stranger-joined-admin", name=name, id=str(person.id), chat=str(event.chat.id)
    )
    admins = sorted(set(settings.admin_ids) | set(await staff_admin_ids(db)))
    recipients += [(admin_id, private) for admin_id in admins]
    for chat_id, text in recipients:
        try:
            await event.bot.send_message(chat_id, text)
        except TelegramAPIError as error:  # one unreachable admin must not silence the others
            log.warning("stranger alert to %s not sent (%s)", chat_id, type(error).__name__)


def setup() -> Router:
    router = Router(name=__name__)
    router.chat_member.register(joined_staff_group, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    return router
