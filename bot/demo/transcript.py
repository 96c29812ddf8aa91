"""What the demo prints: every chat's new bot messages, marked with where they landed.

The transcript watches each person's private chat and the staff group (with its topics), so a
message shows up wherever it arrives, including follow-ups that come later than the last line.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.demo.world import World
from bot.emulator.client import BotMessage, EmulatorTimeout

INDENT = "      "
# How long the bot must stay silent before a wait for late messages counts them all shown.
QUIET_SECONDS = 1.5
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Button:
    chat_id: int
    message_id: int
    label: str


class Transcript:
    """New messages as text, with numbered buttons and, in the staff group, message numbers."""

    def __init__(self, world: World, write: Callable[[str], None]) -> None:
        self.world = world
        self.write = write
        self.role = "mother"
        self.buttons: dict[int, Button] = {}
        self.topics: dict[int, str] = {}  # staff group thread id -> topic name
        self._seen: dict[tuple[int, int], int] = {}  # (chat, message) -> edits already shown
        self._texts: dict[tuple[int, int], str | None] = {}  # (chat, message) -> text shown
        self._seq = 0  # the emulator's change counter when the chats were last read
        self.lock = asyncio.Lock()  # one writer at a time: a typed line or a late message

    # --- where a message is ------------------------------------------------------------------

    def topic_name(self, thread_id: int | None) -> str:
        if thread_id is None or thread_id not in self.topics:
            return "General"
        return self.topics[thread_id]

    def thread_of_case(self, case: int) -> int | None:
        """The topic of case number `case` (its name starts with the case number)."""
        for thread_id, name in self.topics.items():
            found = re.search(r"\d+", name)
            if found and int(found.group()) == case:
                return thread_id
        return None

    def _header(self, message: BotMessage) -> str:
        if message.chat_id == self.world.staff_group:
            return f"staff group › {self.topic_name(message.thread_id)} › msg {message.message_id}"
        owner = self.world.role_of_chat(message.chat_id)
        return "bot" if owner == self.role else f"bot → {owner}"

    # --- rendering ------------------------------------------------------------------------------

    def _body(self, message: BotMessage) -> str:
        if message.text:
            return message.text if message.kind == "text" else f"[{message.kind}] {message.text}"
        document = message.raw.get("document") or {}
        name = document.get("file_name")
        return f"[{message.kind}: {name}]" if name else f"[{message.kind}]"

    def render(
        self, message: BotMessage, numbering: dict[int, Button], *, short: bool = False
    ) -> str:
        """A bot message as text, with its buttons numbered on from `numbering`.

        `short` shows the first line only (a message shown before whose buttons changed).
        """
        header = self._header(message)
        body = self._body(message)
        if short:
            body = body.split("\n", 1)[0] + " …"
        body = body.replace("\n", "\n" + INDENT)
        if message.chat_id == self.world.staff_group:
            lines = [header, INDENT + body]
        else:
            lines = [f"{header} › {body}"]
        usable = self.usable(message.chat_id)
        for row in message.buttons():
            cells = []
            for label in row:
                if not usable:  # someone else's button: shown, not numbered
                    cells.append(f"[·] {label}")
                    continue
                number = len(numbering) + 1
                numbering[number] = Button(message.chat_id, message.message_id, label)
                cells.append(f"[{number}] {label}")
            lines.append(INDENT + "   ".join(cells))
        return "\n".join(lines)

    def usable(self, chat_id: int) -> bool:
        """Whether the role you play sees this chat's buttons (its own chat; staff: the group)."""
        if chat_id == self.world.staff_group:
            return self.role == "staff"
        return self.world.role_of_chat(chat_id) == self.role

    def _learn_topics(self, message: BotMessage) -> None:
        for key in ("forum_topic_created", "forum_topic_edited"):
            name = (message.raw.get(key) or {}).get("name")
            if name:
                self.topics[message.thread_id or message.message_id] = name

    async def refresh(self) -> int:
        """Write every bot message not shown yet (or edited since); returns how many."""
        client = self.world.client
        fresh: list[BotMessage] = []
        for chat_id in self.world.chats:
            for message in await client.messages(chat_id):
                if not message.from_bot or message.deleted:
                    continue
                if message.kind == "service":
                    self._learn_topics(message)
                    continue
                if self._seen.get((chat_id, message.message_id)) != message.edits:
                    fresh.append(message)
        self._seq = client.last_seq
        fresh.sort(key=lambda m: m.seq)  # in the order the bot sent (or edited) them
        numbering: dict[int, Button] = {}
        for message in fresh:
            key = (message.chat_id, message.message_id)
            edited = key in self._seen
            self._seen[key] = message.edits
            same_text = self._texts.get(key) == message.text
            self._texts[key] = message.text
            if edited and same_text and not message.buttons():
                continue  # only its buttons went away after a press: nothing to read
            shown = self.render(message, numbering, short=edited and same_text)
            self.write(("(edited) " if edited else "") + shown)
        if numbering:  # the newest buttons are the ones a number presses
            self.buttons = numbering
        return len(fresh)

    def show_again(self, message: BotMessage, *, short: bool = False) -> None:
        """Show one message again, its buttons numbered afresh."""
        numbering: dict[int, Button] = {}
        self.write(self.render(message, numbering, short=short))
        self.buttons = numbering

    # --- late messages -------------------------------------------------------------------------

    async def _news(self, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until the bot sends or edits a message in any watched chat; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            # Short long-polls: the ones left behind end soon, and the emulator stops promptly.
            if await self._news_within(min(left, POLL_SECONDS)):
                return True
        return False

    async def _news_within(self, timeout: float) -> bool:  # noqa: ASYNC109
        client = self.world.client
        waits = [
            asyncio.ensure_future(
                client.wait_for_bot_messages(chat_id, 0, 1, timeout, since_seq=self._seq)
            )
            for chat_id in self.world.chats
        ]
        try:
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            return any(not task.exception() for task in done)
        finally:
            for task in waits:
                task.cancel()
            for task in waits:
                with contextlib.suppress(asyncio.CancelledError, EmulatorTimeout):
                    await task

    async def wait_for_late(self, timeout: float) -> int:  # noqa: ASYNC109
        """Show what arrives within `timeout` seconds, until the bot falls quiet."""
        if not await self._news(timeout):
            return 0
        shown = 0
        while True:
            async with self.lock:
                shown += await self.refresh()
            if not await self._news(QUIET_SECONDS):
                return shown

    async def watch(self) -> None:
        """Interactive mode: show late messages (follow-ups) as soon as they arrive."""
        while True:
            if await self._news(30):
                async with self.lock:
                    await self.refresh()
