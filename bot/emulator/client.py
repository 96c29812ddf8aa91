"""Async client of the emulator's control API: plays users and inspects the bot's output.

This is the client side's public module: tests and the demo import ``EmulatorClient``,
``UserClient``, ``BotMessage``, ``EmulatorError`` and ``EmulatorTimeout`` from here; the HTTP
session and its views live in ``session.py``, the user in ``users.py``.
"""

from __future__ import annotations

from typing import Any

from .session import BotMessage, ControlSession, EmulatorError, EmulatorTimeout
from .users import UserClient


class EmulatorClient(ControlSession):
    """Client of one bot token on an emulator at ``base_url``: its users, groups and members."""

    # --- people and chats ------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
    ) -> UserClient:
        """A Telegram user of this bot; its private chat id is its user id."""
        profile: dict[str, Any] = {"id": user_id, "first_name": first_name}
        optional = {"language_code": language_code, "username": username, "last_name": last_name}
        profile.update((key, value) for key, value in optional.items() if value is not None)
        return UserClient(self, profile)

    async def create_group(
        self,
        chat_id: int,
        title: str,
        *,
        is_forum: bool = False,
        members: dict[int, str] | None = None,
        type: str = "supergroup",
        bot_status: str = "administrator",
        username: str | None = None,
    ) -> dict[str, Any]:
        """Create a group; the bot is administrator (with can_manage_topics) by default."""
        return await self.action(
            "group",
            {
                "chat_id": chat_id,
                "title": title,
                "is_forum": is_forum,
                "type": type,
                "bot_status": bot_status,
                "username": username,
                "members": {str(k): v for k, v in (members or {}).items()},
            },
        )

    async def add_member(
        self,
        chat_id: int,
        user: UserClient,
        status: str = "member",
        *,
        by: UserClient | None = None,
    ) -> dict[str, Any] | None:
        """Set her status in a group. A change, seen by a bot that is an admin there, is a
        chat_member update: returned (None if no update was made)."""
        body: dict[str, Any] = {"chat_id": chat_id, "user": user.profile, "status": status}
        if by is not None:
            body["by"] = by.profile
        return (await self.action("member", body))["update"]

    async def member_status(self, chat_id: int, user_id: int) -> str:
        """Her status in a group as the emulator keeps it ("left" if never there)."""
        payload = await self.read("members", chat_id=chat_id)
        return str(payload["members"].get(str(user_id), "left"))

    async def file_text(self, file_id: str) -> str:
        """A small file the bot uploaded (a document), read back as text."""
        return str((await self.read("file", file_id=file_id))["text"])

    async def kick_bot(self, chat_id: int, by: UserClient | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"chat_id": chat_id}
        if by is not None:
            body["user"] = by.profile
        return await self.action("kick", body)

    async def delete_topic(self, chat_id: int, thread_id: int) -> None:
        await self.action("delete_topic", {"chat_id": chat_id, "thread_id": thread_id})


__all__ = ["BotMessage", "EmulatorClient", "EmulatorError", "EmulatorTimeout", "UserClient"]
