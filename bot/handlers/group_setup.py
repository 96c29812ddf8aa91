"""/chatid in a group: its id for the settings, and whether the bot is set up right there.

Whoever sets the bot up needs the staff group's id (Telegram shows it nowhere) and must make
the group a forum and the bot an admin that may manage topics; this says both in the group.
"""

from __future__ import annotations

import html

from aiogram import Bot, Router
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import ChatMemberAdministrator, Message

from bot.filters import in_group_chat
from bot.use_cases.desk import Desk


async def group_setup(message: Message, bot: Bot, desk: Desk) -> None:
    settings = desk.settings
    directory = desk.directory
    t = desk.staff_texts
    chat_id = message.chat.id
    lines = [t("setup-group-id", chat_id=str(chat_id))]
    houses = [s.name.get(t.locale) for s in directory.shelters if s.staff_chat_id == chat_id]
    if chat_id == settings.staff_chat_id:
        lines.append(t("setup-group-is-central"))
    if houses:
        lines.append(t("setup-group-is-house", houses=html.escape(", ".join(houses))))
    if chat_id != settings.staff_chat_id and not houses:
        lines.append(t("setup-group-not-staff"))
    forum = bool(message.chat.is_forum)
    lines.append(t("setup-group-forum-yes" if forum else "setup-group-forum-no"))
    try:
        me = await bot.get_chat_member(chat_id, bot.id)
    except TelegramAPIError:
        me = None
    if isinstance(me, ChatMemberAdministrator) and (me.can_manage_topics or not forum):
        lines.append(t("setup-group-admin-yes"))
    elif me is not None and me.status == ChatMemberStatus.CREATOR:
        lines.append(t("setup-group-admin-yes"))
    else:
        lines.append(t("setup-group-admin-no"))
    await message.answer("\n".join(lines))  # in a topic, aiogram answers in that topic


def setup() -> Router:
    router = Router(name=__name__)
    router.message.filter(in_group_chat)  # async: aiogram runs sync filters in a thread
    router.message.register(group_setup, Command("chatid"))
    return router
