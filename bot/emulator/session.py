"""The control API's HTTP session for one bot token: requests, reads and event-driven waits,
and the views they return (``BotMessage``) and raise (``EmulatorError``, ``EmulatorTimeout``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

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


class ControlSession:
    """HTTP plumbing, reads and waits of the control API for one bot token at ``base_url``."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._session: aiohttp.ClientSession | None = None
        self.last_seq = 0  # emulator change counter seen with the last response

    async def __aenter__(self) -> Self:
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
