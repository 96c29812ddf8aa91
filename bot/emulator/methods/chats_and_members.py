"""Chats and members: getChat, getChatMember(Count), ban and unban (with chat_member updates)."""

from __future__ import annotations

from typing import Any

from aiogram.methods import (
    BanChatMember,
    GetChat,
    GetChatMember,
    GetChatMemberCount,
    UnbanChatMember,
)

from ..core import Core
from ..members import member_dict
from ..state import BotState, Chat, User, bad
from .common import chat_of, serves, writable_chat

ACTIVE = ("creator", "administrator", "member", "restricted")


@serves(GetChat)
async def get_chat(emu: Core, bot: BotState, m: GetChat) -> dict[str, Any]:
    chat = chat_of(emu, bot, m.chat_id)
    private = chat.type == "private"
    info = chat.to_dict()
    info.update(
        accent_color_id=chat.id % 7,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": private,
            "limited_gifts": private,
            "unique_gifts": private,
            "premium_subscription": private,
            "gifts_from_channels": False,
        },
    )
    if not private:
        info["permissions"] = {"can_send_messages": True, "can_manage_topics": False}
    return info


@serves(GetChatMember)
async def get_chat_member(emu: Core, bot: BotState, m: GetChatMember) -> dict[str, Any]:
    chat = chat_of(emu, bot, m.chat_id)
    if m.user_id == bot.id:
        status = "member" if chat.type == "private" else chat.bot_status
        return member_dict(status, bot.user.to_dict())
    user = emu.users.get(m.user_id)
    if user is None:
        raise bad("user not found")
    if chat.type == "private":
        if m.user_id != chat.id:
            raise bad("user not found")
        return member_dict("member", user.to_dict())
    return member_dict(chat.members.get(user.id, "left"), user.to_dict())


@serves(GetChatMemberCount)
async def get_chat_member_count(emu: Core, bot: BotState, m: GetChatMemberCount) -> int:
    chat = chat_of(emu, bot, m.chat_id)
    if chat.type == "private":
        return 2
    return 1 + sum(1 for status in chat.members.values() if status in ACTIVE)


def _restrictable(emu: Core, bot: BotState, chat_id: int | str, user_id: int) -> tuple[Chat, User]:
    """The group and the user of a ban/unban, checked as Telegram checks them."""
    chat = writable_chat(emu, bot, chat_id)
    if chat.type == "private":
        raise bad("method is available for supergroup and channel chats only")
    if chat.bot_status != "administrator":
        raise bad("not enough rights to restrict/unrestrict chat member")
    if user_id == bot.id:
        raise bad("can't restrict self")
    user = emu.users.get(user_id) or emu.upsert_user({"id": user_id})
    return chat, user


def _member_changed(emu: Core, bot: BotState, chat: Chat, user: User, old: str, new: str) -> None:
    """A chat_member update (opt-in, as in Telegram: only with allowed_updates)."""
    chat.members[user.id] = new
    bot.enqueue(
        {
            "chat_member": {
                "chat": chat.to_dict(),
                "from": bot.user.to_dict(),
                "date": emu.now(),
                "old_chat_member": member_dict(old, user.to_dict()),
                "new_chat_member": member_dict(new, user.to_dict()),
            }
        }
    )


@serves(BanChatMember)
async def ban_chat_member(emu: Core, bot: BotState, m: BanChatMember) -> bool:
    chat, user = _restrictable(emu, bot, m.chat_id, m.user_id)
    old = chat.members.get(user.id, "left")
    if old == "creator":
        raise bad("can't remove chat owner")
    if old == "administrator":
        raise bad("user is an administrator of the chat")
    if old != "kicked":
        _member_changed(emu, bot, chat, user, old, "kicked")
    return True


@serves(UnbanChatMember)
async def unban_chat_member(emu: Core, bot: BotState, m: UnbanChatMember) -> bool:
    chat, user = _restrictable(emu, bot, m.chat_id, m.user_id)
    old = chat.members.get(user.id, "left")
    if old == "kicked":
        _member_changed(emu, bot, chat, user, old, "left")
    elif not m.only_if_banned and old in ("member", "restricted"):
        # Telegram: without only_if_banned, unbanning a member removes them from the chat.
        _member_changed(emu, bot, chat, user, old, "left")
    elif old in ("creator", "administrator") and not m.only_if_banned:
        raise bad("user is an administrator of the chat")
    return True
