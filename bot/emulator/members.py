"""Chat members as the Bot API shows them: ChatMember objects with the rights of their status."""

from __future__ import annotations

from typing import Any

ADMIN_RIGHTS: dict[str, bool] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_send_welcome_messages": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}

RESTRICTED_RIGHTS: dict[str, Any] = {
    "is_member": True,
    "can_send_messages": False,
    "can_send_audios": False,
    "can_send_documents": False,
    "can_send_photos": False,
    "can_send_videos": False,
    "can_send_video_notes": False,
    "can_send_voice_notes": False,
    "can_send_polls": False,
    "can_send_other_messages": False,
    "can_add_web_page_previews": False,
    "can_react_to_messages": False,
    "can_edit_tag": False,
    "can_change_info": False,
    "can_invite_users": False,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "until_date": 0,
}

MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})


def member_dict(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember object of the given status with every field aiogram requires."""
    out: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        out.update(ADMIN_RIGHTS)
    elif status == "restricted":
        out.update(RESTRICTED_RIGHTS)
    elif status == "kicked":
        out["until_date"] = 0
    return out
