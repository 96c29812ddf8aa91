"""One typed line of the demo turned into what the person you play does in Telegram."""

from __future__ import annotations

from typing import Any

from bot.demo.transcript import Transcript
from bot.demo.world import ROLES, World
from bot.emulator.client import BotMessage, EmulatorError, UserClient

WHO = {
    "mother": "a mother, in her chat with the bot",
    "foster": "a foster applicant, in her chat with the bot",
    "staff": "a staff member (an admin) in the staff group, a forum with a topic per case",
}


class Misplay(Exception):
    """A line the demo cannot play; the message says what to type instead."""


# Lines that move the player around the demo rather than do something in Telegram.
NAVIGATION = ("/as", "/topic", "/private")


class Player:
    """Plays the current role: its private chat, or for staff a place in the staff group."""

    def __init__(self, world: World, transcript: Transcript) -> None:
        self.world = world
        self.transcript = transcript
        self.thread: int | None = None  # staff: the topic typed into (None: General)
        self.private = False  # staff: typing to the bot in private instead of in the group

    @property
    def role(self) -> str:
        return self.transcript.role

    @property
    def user(self) -> UserClient:
        return self.world.people[self.role]

    def where(self) -> str:
        """The speaker's label in the transcript: who types, and where."""
        if self.role != "staff":
            return self.role
        if self.private:
            return "staff (private chat)"
        return f"staff in {self.transcript.topic_name(self.thread)}"

    def _place(self) -> dict[str, Any]:
        if self.role != "staff" or self.private:
            return {"chat_id": None, "thread_id": None}
        return {"chat_id": self.world.staff_group, "thread_id": self.thread}

    async def _send(self, content: dict[str, Any], **place: Any) -> None:
        body = {"user": self.user.profile, **(place or self._place()), **content}
        await self.world.client.action("message", body)

    async def _staff_message(self, args: list[str], usage: str) -> BotMessage:
        """The staff group message that args, exactly one "N" or "msgN", name."""
        if len(args) != 1 or not args[0].removeprefix("msg").isdigit():
            raise Misplay(usage)
        message_id = int(args[0].removeprefix("msg"))
        try:
            return await self.world.client.message(self.world.staff_group, message_id)
        except KeyError as error:
            raise Misplay(f"no msg {message_id} in the staff group") from error

    # --- demo commands -----------------------------------------------------------------------

    async def switch(self, role: str) -> None:
        if role not in ROLES:
            raise Misplay(f"play one of: {', '.join(ROLES)} (e.g. /as staff)")
        self.transcript.role = role
        self.transcript.buttons = {}
        self.transcript.write(f"— now you play {WHO[role]} —")
        if role == "staff":
            return
        # Where she left off: her last screen, its buttons numbered for you.
        screens = [m for m in await self.user.bot_messages() if not m.deleted and m.buttons()]
        if screens:
            self.transcript.show_again(screens[-1], short=True)

    async def go_to_topic(self, args: list[str]) -> str | None:
        if self.role != "staff":
            raise Misplay("topics are in the staff group: /as staff first")
        self.private = False
        if not args:
            self.thread = None
            return "— staff group › General —"
        if not args[0].isdigit():
            raise Misplay("type /topic N with a case number, or /topic for General")
        await self.transcript.refresh()  # topics made since the last line
        thread = self.transcript.thread_of_case(int(args[0]))
        if thread is None:
            raise Misplay(f"no topic for case {args[0]} yet")
        self.thread = thread
        in_topic = [
            m
            for m in await self.world.client.messages(self.world.staff_group, thread_id=thread)
            if m.from_bot and not m.deleted and m.kind != "service"
        ]
        self.transcript.write(f"— you type in staff group › {self.transcript.topic_name(thread)} —")
        with_buttons = [m for m in in_topic if m.buttons()]
        numbered = {button.message_id for button in self.transcript.buttons.values()}
        if with_buttons and with_buttons[-1].message_id not in numbered:
            self.transcript.show_again(with_buttons[-1])  # the card, to press its buttons again
        return None

    async def reply(self, args: list[str]) -> None:
        if self.role != "staff":
            raise Misplay("replies to cards are for staff: /as staff first")
        usage = "type /reply N text, N being the msg number of a staff group message"
        if len(args) < 2:
            raise Misplay(usage)
        target = await self._staff_message(args[:1], usage)
        await self._send(
            {"text": " ".join(args[1:]), "reply_to": target.message_id},
            chat_id=self.world.staff_group,
            thread_id=target.thread_id,
        )

    async def show(self, args: list[str]) -> None:
        """Show a staff group message again (a card shown long ago), its buttons numbered anew."""
        usage = "type /show N, N being the msg number of a staff group message"
        self.transcript.show_again(await self._staff_message(args, usage))

    async def press(self, number: int) -> None:
        button = self.transcript.buttons.get(number)
        if button is None:
            raise Misplay("no such button: type a number shown in [ ]")
        in_group = button.chat_id == self.world.staff_group
        owner = "staff" if in_group else self.world.role_of_chat(button.chat_id)
        if owner != self.role:
            where = "the staff group" if in_group else f"the {owner}'s chat"
            raise Misplay(f"that button is in {where}: /as {owner} first")
        await self.user.press(
            button.message_id, text=button.label, chat_id=button.chat_id if in_group else None
        )

    # --- one line ---------------------------------------------------------------------------

    async def play(self, line: str) -> str | None:
        """Do what `line` says; returns a note for the transcript, if any. Raises Misplay."""
        words = line.split()
        command, args = words[0], words[1:]
        choice = line.strip("[] ")
        try:
            if choice.isdigit():
                await self.press(int(choice))
            elif command == "/as" and len(args) == 1:
                await self.switch(args[0])
            elif command == "/topic":
                return await self.go_to_topic(args)
            elif command == "/private":
                if self.role != "staff":
                    raise Misplay("you are already in your private chat")
                self.private = True
                return "— you type in your private chat with the bot —"
            elif command == "/reply":
                await self.reply(args)
            elif command == "/show":
                await self.show(args)
            elif command == "/loc" and len(args) == 2:
                latitude, longitude = float(args[0]), float(args[1])
                await self._send({"location": {"latitude": latitude, "longitude": longitude}})
            elif command == "/contact" and len(args) == 1:
                await self._send({"contact": {"phone_number": args[0], "own": True}})
            elif command == "/photo":
                await self._send({"photo": {}, "caption": " ".join(args) or None})
            elif command == "/voice":
                await self._send({"voice": {"duration": 4}})
            elif command == "/sticker":
                await self._send({"sticker": {"emoji": "👍"}})
            else:
                await self._send({"text": line})
        except EmulatorError as error:
            raise Misplay(f"Telegram would refuse that: {error}") from error
        except ValueError as error:
            raise Misplay(f"not understood: {error}") from error
        return None
