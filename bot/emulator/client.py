"""Async HTTP client of the emulator's control API: plays users and inspects the bot's output."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp


class EmulatorError(RuntimeError):
    """The control API refused a request (bad action, missing message or button...)."""

    def __init__(self, status: int, message: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.payload = payload or {}


class EmulatorTimeout(TimeoutError):
    """A wait ran out of time; ``messages`` holds what had arrived so far."""

    def __init__(self, message: str, messages: list[BotMessage] | None = None) -> None:
        super().__init__(message)
        self.messages = messages or []


@dataclass
class BotMessage:
    """A message of a chat as the emulator stores it, in its state at fetch time."""

    message_id: int
    chat_id: int
    text: str | None
    html: str | None
    from_bot: bool
    thread_id: int | None
    reply_to: int | None
    deleted: bool
    edits: int
    reply_markup: dict[str, Any] | None
    kind: str
    raw: dict[str, Any] = field(repr=False)
    from_id: int = 0
    date: int = 0
    seq: int = 0

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> BotMessage:
        return cls(
            message_id=view["message_id"],
            chat_id=view["chat_id"],
            text=view.get("text"),
            html=view.get("html"),
            from_bot=view["from_bot"],
            thread_id=view.get("thread_id"),
            reply_to=view.get("reply_to"),
            deleted=view["deleted"],
            edits=view["edits"],
            reply_markup=view.get("reply_markup"),
            kind=view["kind"],
            raw=view["raw"],
            from_id=view.get("from_id", 0),
            date=view.get("date", 0),
            seq=view.get("seq", 0),
        )

    def _rows(self) -> list[list[dict[str, Any]]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, dict) else {"text": str(b)} for b in row] for row in rows]

    def buttons(self) -> list[list[str]]:
        """Inline or reply keyboard button texts, row by row."""
        return [[b.get("text", "") for b in row] for row in self._rows()]

    @property
    def button_texts(self) -> list[str]:
        return [t for row in self.buttons() for t in row]

    @property
    def is_inline(self) -> bool:
        return bool(self.reply_markup and "inline_keyboard" in self.reply_markup)

    def button(self, text: str) -> dict[str, Any]:
        for row in self._rows():
            for b in row:
                if b.get("text") == text:
                    return b
        raise KeyError(f"no button {text!r} in {self.button_texts}")

    def button_data(self, text: str) -> str:
        """callback_data of the inline button with this text."""
        data = self.button(text).get("callback_data")
        if data is None:
            raise KeyError(f"button {text!r} has no callback_data")
        return str(data)


class EmulatorClient:
    """Client of one bot token on an emulator at ``base_url``."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._session: aiohttp.ClientSession | None = None
        self.last_seq = 0  # emulator change counter seen with the last response

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        return self._session

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
        allow: tuple[int, ...] = (),
    ) -> tuple[int, Any]:
        url = f"{self.base_url}/_emu/{path}"
        params = {k: str(v) for k, v in (query or {}).items() if v is not None}
        async with self._http().request(method, url, json=body, params=params) as resp:
            payload = await resp.json(content_type=None)
            seq = resp.headers.get("X-Emu-Seq")
            if seq is not None:
                self.last_seq = int(seq)
            if resp.status >= 400 and resp.status not in allow:
                error = payload.get("error") if isinstance(payload, dict) else payload
                raise EmulatorError(resp.status, str(error), payload)
            return resp.status, payload

    async def action(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST a control action for this bot; returns its JSON (an Update for user actions)."""
        _, payload = await self._request("POST", f"{self.token}/{name}", body=body)
        return payload

    async def read(self, name: str, **query: Any) -> dict[str, Any]:
        _, payload = await self._request("GET", f"{self.token}/{name}", query=query)
        return payload

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
        return UserClient(
            self,
            user_id,
            first_name,
            language_code=language_code,
            username=username,
            last_name=last_name,
        )

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

    # --- reads -------------------------------------------------------------------------------

    async def messages(self, chat_id: int, *, thread_id: int | None = None) -> list[BotMessage]:
        """All messages of a chat (user- and bot-sent, deleted included), in order."""
        payload = await self.read("messages", chat_id=chat_id, thread_id=thread_id)
        return [BotMessage.from_view(v) for v in payload["messages"]]

    async def message(self, chat_id: int, message_id: int) -> BotMessage:
        for msg in await self.messages(chat_id):
            if msg.message_id == message_id:
                return msg
        raise KeyError(f"message {message_id} not in chat {chat_id}")

    async def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """The Bot API call log: {method, params, ok, result | error_code+description}."""
        return (await self.read("calls", method=method))["calls"]

    async def clear_calls(self) -> None:
        await self.action("clear_calls", {})

    async def commands(
        self, language_code: str | None = None, scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        payload = await self.read(
            "commands",
            language_code=language_code or "",
            scope=json.dumps(scope) if scope else None,
        )
        return payload["commands"]

    async def webhook_info(self) -> dict[str, Any]:
        return await self.read("webhook")

    async def pending_update_count(self) -> int:
        return int((await self.read("pending"))["pending_update_count"])

    async def updates(self) -> list[dict[str, Any]]:
        """Every update ever created for this bot."""
        return (await self.read("updates"))["updates"]

    async def callback_answers(self) -> list[dict[str, Any]]:
        return (await self.read("callback_answers"))["answers"]

    async def stats(self) -> dict[str, Any]:
        """{"messages": accepted message calls, "rate_limited": 429s of the flood limit, ...}."""
        return await self.read("stats")

    # --- faults and clock -------------------------------------------------------------------

    async def inject_fault(
        self,
        method: str,
        kind: str,
        *,
        count: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        chat_id: int | None = None,
    ) -> None:
        """Next ``count`` calls of ``method`` (or "*") fail: kind 429, 500, 502, 403 or delay."""
        await self.action(
            "fault",
            {
                "method": method,
                "kind": str(kind),
                "count": count,
                "retry_after": retry_after,
                "delay": delay,
                "chat_id": chat_id,
            },
        )

    async def clear_faults(self) -> None:
        await self.action("clear_faults", {})

    async def set_clock_offset(self, seconds: float) -> None:
        """Shift the emulator's "now" (to age messages past Telegram's time limits)."""
        await self._request("POST", "clock", body={"offset": seconds})

    # --- waits -------------------------------------------------------------------------------

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        after_message_id: int = 0,
        count: int = 1,
        timeout: float = 10,  # noqa: ASYNC109 - part of the agreed API
        *,
        thread_id: int | None = None,
        since_seq: int | None = None,
    ) -> list[BotMessage]:
        """Return once the bot has sent ``count`` messages after ``after_message_id``.

        With ``since_seq`` (see ``last_seq``), edits after that point count as well.
        """
        status, payload = await self._request(
            "GET",
            f"{self.token}/wait_messages",
            query={
                "chat_id": chat_id,
                "after": after_message_id,
                "count": count,
                "timeout": timeout,
                "thread_id": thread_id,
                "since_seq": since_seq,
            },
            allow=(408,),
        )
        messages = [BotMessage.from_view(v) for v in payload["messages"]]
        if status == 408:
            raise EmulatorTimeout(
                f"bot sent {len(messages)} of {count} messages in chat {chat_id} within {timeout}s",
                messages,
            )
        return messages

    async def wait_idle(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until the bot has confirmed every update queued so far."""
        status, payload = await self._request(
            "GET", f"{self.token}/wait_idle", query={"timeout": timeout}, allow=(408,)
        )
        if status == 408:
            raise EmulatorTimeout(f"bot not idle after {timeout}s: {payload}")


class UserClient:
    """One Telegram user talking to the bot; the private chat id equals the user id."""

    def __init__(
        self,
        emu: EmulatorClient,
        user_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.chat_id = user_id
        self.profile: dict[str, Any] = {"id": user_id, "first_name": first_name}
        if language_code is not None:
            self.profile["language_code"] = language_code
        if username is not None:
            self.profile["username"] = username
        if last_name is not None:
            self.profile["last_name"] = last_name
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


__all__ = ["BotMessage", "EmulatorClient", "EmulatorError", "EmulatorTimeout", "UserClient"]
