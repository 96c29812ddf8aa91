"""A Telegram user played through the control API: sends, presses, blocks, waits for replies."""

from __future__ import annotations

from typing import Any

from .session import BotMessage, ControlSession


class UserClient:
    """One Telegram user talking to the bot; the private chat id equals the user id."""

    def __init__(self, emu: ControlSession, profile: dict[str, Any]) -> None:
        self.emu = emu
        self.profile = profile  # the Telegram User object the actions send as "user"
        self.user_id = self.chat_id = int(profile["id"])
        self.last_message_id = 0  # last message this user sent in the private chat
        self.last_seq = 0  # emulator change counter right after this user's last action

    async def _act(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        update = await self.emu.action(name, {"user": self.profile, **body})
        self.last_seq = self.emu.last_seq
        msg = update.get("message")
        if msg and msg["chat"]["id"] == self.chat_id:
            self.last_message_id = msg["message_id"]
        return update

    async def send(
        self,
        text: str,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """Send a text message (private chat by default); returns the Update."""
        return await self._act(
            "message",
            {"text": text, "chat_id": chat_id, "thread_id": thread_id, "reply_to": reply_to},
        )

    async def send_location(
        self, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        return await self._act(
            "message",
            {"location": {"latitude": latitude, "longitude": longitude}, "chat_id": chat_id},
        )

    async def send_contact(
        self,
        phone_number: str,
        *,
        own: bool = True,
        first_name: str | None = None,
        user_id: int | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Share a contact; ``own=True`` is the user's own number (contact.user_id is set)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "own": own}
        if first_name:
            contact["first_name"] = first_name
        if user_id:
            contact["user_id"] = user_id
        return await self._act("message", {"contact": contact, "chat_id": chat_id})

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        return await self._act(
            "message",
            {"photo": {}, "caption": caption, "chat_id": chat_id, "thread_id": thread_id},
        )

    async def send_voice(
        self, duration: int = 4, *, chat_id: int | None = None, thread_id: int | None = None
    ) -> dict[str, Any]:
        return await self._act(
            "message",
            {"voice": {"duration": duration}, "chat_id": chat_id, "thread_id": thread_id},
        )

    async def send_document(
        self, file_name: str = "doc.pdf", *, caption: str | None = None
    ) -> dict[str, Any]:
        return await self._act(
            "message", {"document": {"file_name": file_name}, "caption": caption}
        )

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        return await self._act("message", {"sticker": {"emoji": emoji}})

    async def send_live_location(
        self, latitude: float, longitude: float, *, live_period: int = 900
    ) -> dict[str, Any]:
        return await self._act(
            "message",
            {
                "location": {
                    "latitude": latitude,
                    "longitude": longitude,
                    "live_period": live_period,
                }
            },
        )

    async def move_live_location(
        self, message_id: int, latitude: float, longitude: float
    ) -> dict[str, Any]:
        """Her live location moved: an edited_message update carrying the new point."""
        return await self._act(
            "edit",
            {"message_id": message_id, "location": {"latitude": latitude, "longitude": longitude}},
        )

    async def edit(self, message_id: int, text: str) -> dict[str, Any]:
        """Edit an earlier message of this user (an edited_message update)."""
        return await self._act("edit", {"message_id": message_id, "text": text})

    async def press(
        self,
        message: BotMessage | int,
        *,
        text: str | None = None,
        data: str | None = None,
        forge: bool = False,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Press a button of a bot message by its text or callback_data.

        ``forge=True`` sends ``data`` even if no button carries it. A reply-keyboard button
        pressed by text sends its text (or the contact/location it requests).
        """
        if isinstance(message, BotMessage):
            chat_id = chat_id if chat_id is not None else message.chat_id
            message_id = message.message_id
        else:
            message_id = message
        body: dict[str, Any] = {"message_id": message_id, "chat_id": chat_id, "forge": forge}
        if text is not None:
            body["text"] = text
        if data is not None:
            body["data"] = data
        return await self._act("press", body)

    async def block(self) -> None:
        await self._act("block", {})

    async def unblock(self) -> None:
        await self._act("unblock", {})

    async def bot_messages(self) -> list[BotMessage]:
        """The bot's messages in this user's private chat (current state)."""
        return [m for m in await self.emu.messages(self.chat_id) if m.from_bot]

    async def last_bot_message(self) -> BotMessage:
        alive = [m for m in await self.bot_messages() if not m.deleted]
        if not alive:
            raise LookupError(f"the bot has sent nothing to {self.user_id}")
        return alive[-1]

    async def wait_reply(
        self,
        *,
        after: int | None = None,
        count: int = 1,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[BotMessage]:
        """Wait for ``count`` new bot messages after message ``after`` (default: the last
        message this user sent) in the private chat; returns them."""
        return await self.emu.wait_for_bot_messages(
            self.chat_id,
            self.last_message_id if after is None else after,
            count,
            timeout,
        )

    async def wait_change(
        self,
        *,
        count: int = 1,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[BotMessage]:
        """Wait until the bot has sent or edited ``count`` messages since this user's last
        action (e.g. a button press answered by an edit)."""
        return await self.emu.wait_for_bot_messages(
            self.chat_id, 0, count, timeout, since_seq=self.last_seq
        )

    async def ask(
        self,
        text: str,
        *,
        count: int = 1,
        timeout: float = 10,  # noqa: ASYNC109
    ) -> list[BotMessage]:
        """Send text and wait for ``count`` bot replies."""
        await self.send(text)
        return await self.wait_reply(count=count, timeout=timeout)
