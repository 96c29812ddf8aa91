"""Control API actions on chats and the emulator: blocks, kicks, groups, members, topics, faults."""

from __future__ import annotations

from typing import Any

from .actions import group_of, user_of
from .core import Core
from .members import MEMBER_STATUSES, member_dict
from .state import BotState, Chat, ControlError, Fault, User

Body = dict[str, Any]
FAULT_KINDS = {
    "429": "429", "flood": "429", "retry_after": "429",
    "500": "500", "internal": "500",
    "502": "502", "bad_gateway": "502",
    "403": "403", "forbidden": "403", "blocked": "403",
    "delay": "delay", "slow": "delay",
}  # fmt: skip


def _my_chat_member(emu: Core, bot: BotState, chat: Chat, actor: User, old: str, new: str) -> Body:
    me = bot.user.to_dict()
    return bot.enqueue(
        {
            "my_chat_member": {
                "chat": chat.to_dict(),
                "from": actor.to_dict(),
                "date": emu.now(),
                "old_chat_member": member_dict(old, me),
                "new_chat_member": member_dict(new, me),
            }
        }
    )


def act_block(emu: Core, bot: BotState, body: Body) -> Body:
    user = user_of(emu, body)
    chat = emu.private_chat(bot, user)
    if chat.blocked:
        raise ControlError("already blocked")
    chat.blocked = True
    return _my_chat_member(emu, bot, chat, user, "member", "kicked")


def act_unblock(emu: Core, bot: BotState, body: Body) -> Body:
    user = user_of(emu, body)
    chat = emu.private_chat(bot, user)
    if not chat.blocked:
        raise ControlError("not blocked")
    chat.blocked = False
    return _my_chat_member(emu, bot, chat, user, "kicked", "member")


def act_kick(emu: Core, bot: BotState, body: Body) -> Body:
    """Remove the bot from a group (by a user, or the group's creator)."""
    chat = group_of(bot, body["chat_id"])
    if chat.type == "private":
        raise ControlError("use block for private chats")
    if "user" in body:
        actor = user_of(emu, body)
    else:
        creator = next((u for u, s in chat.members.items() if s == "creator"), None)
        actor = emu.users.get(creator or 0) or User(1, "Admin")
    old = chat.bot_status
    chat.bot_status = "kicked"
    return _my_chat_member(emu, bot, chat, actor, old, "kicked")


def act_group(emu: Core, bot: BotState, body: Body) -> Body:
    chat_id = int(body["chat_id"])
    if chat_id >= 0:
        raise ControlError("group ids are negative, e.g. -1001234567890")
    kind = str(body.get("type") or "supergroup")
    if kind not in ("group", "supergroup"):
        raise ControlError("type must be group or supergroup")
    is_forum = bool(body.get("is_forum"))
    if is_forum and kind != "supergroup":
        raise ControlError("only supergroups can be forums")
    chat = Chat(
        chat_id,
        kind,
        title=str(body.get("title") or "Group"),
        username=body.get("username"),
        is_forum=is_forum,
        bot_status=str(body.get("bot_status") or "administrator"),
    )
    if is_forum:
        chat.next_message_id = 2  # thread id 1 is the General topic
    for user in body.get("users") or []:
        emu.upsert_user(user)
    for uid, status in (body.get("members") or {}).items():
        if status not in MEMBER_STATUSES:
            raise ControlError(f"bad member status {status!r}")
        if int(uid) not in emu.users:
            emu.upsert_user({"id": int(uid)})
        chat.members[int(uid)] = status
    bot.chats[chat_id] = chat
    bot.bump()
    return chat.to_dict()


def act_member(emu: Core, bot: BotState, body: Body) -> Body:
    """Set a user's status in a group (joins, leaves, promotions...). A change is a chat_member
    update, which Telegram sends to a bot that is an administrator there and asked for it in
    allowed_updates; `by` (a user object) is who made the change, else the user herself."""
    chat = group_of(bot, body["chat_id"])
    user = user_of(emu, body)
    status = str(body.get("status") or "member")
    if status not in MEMBER_STATUSES:
        raise ControlError(f"bad member status {status!r}")
    old = chat.members.get(user.id, "left")
    chat.members[user.id] = status
    actor = emu.upsert_user(body["by"]) if isinstance(body.get("by"), dict) else user
    update = None
    if old != status and chat.bot_status == "administrator":
        update = bot.enqueue(
            {
                "chat_member": {
                    "chat": chat.to_dict(),
                    "from": actor.to_dict(),
                    "date": emu.now(),
                    "old_chat_member": member_dict(old, user.to_dict()),
                    "new_chat_member": member_dict(status, user.to_dict()),
                }
            }
        )
    return {"member": member_dict(status, user.to_dict()), "update": update}


def act_delete_topic(emu: Core, bot: BotState, body: Body) -> Body:
    chat = group_of(bot, body["chat_id"])
    emu.delete_topic(bot, chat, int(body["thread_id"]))
    return {"ok": True}


def act_fault(emu: Core, bot: BotState, body: Body) -> Body:
    kind = FAULT_KINDS.get(str(body.get("kind")))
    if kind is None:
        raise ControlError(f"fault kind must be one of {sorted(FAULT_KINDS)}")
    chat_id = body.get("chat_id")
    fault = Fault(
        method=str(body.get("method") or "*").lower(),
        kind=kind,
        count=int(body.get("count", 1)),
        retry_after=int(body.get("retry_after", 1)),
        delay=float(body.get("delay", 0.0)),
        chat_id=int(chat_id) if chat_id is not None else None,
    )
    bot.faults.append(fault)
    return {"ok": True}


def act_clear_faults(emu: Core, bot: BotState, body: Body) -> Body:
    bot.faults.clear()
    return {"ok": True}


def act_clear_calls(emu: Core, bot: BotState, body: Body) -> Body:
    bot.calls.clear()
    return {"ok": True}
