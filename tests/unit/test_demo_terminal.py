"""The interactive demo in a terminal: prompt-toolkit reads the keys, the bot answers above.

Keys go in through prompt-toolkit's pipe input, as a terminal would send them; the demo runs
its real world (the emulator and the bot in process). What the demo writes is collected.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace

from prompt_toolkit import PromptSession
from prompt_toolkit.application import create_app_session
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bot.demo import converse
from bot.demo.play import Player
from bot.demo.terminal import DemoCompleter, status_line, terminal_lines
from bot.demo.transcript import Button
from bot.demo.world import running_world


class Screen:
    """What the demo has written, with a wait for a line that matches."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._changed = asyncio.Condition()

    def write(self, text: str) -> None:
        self.lines.append(text)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    async def shows(self, wanted: Callable[[str], bool], what: str, within: float = 30) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: wanted(self.text))

        try:
            await asyncio.wait_for(until(), within)
        except TimeoutError as error:
            raise AssertionError(f"the demo never showed {what}:\n{self.text[-1500:]}") from error


async def test_keys_typed_at_the_prompt_play_the_mother_and_the_staff() -> None:
    screen = Screen()
    with create_pipe_input() as keys, create_app_session(input=keys, output=DummyOutput()):
        session: PromptSession[str] = PromptSession(input=keys, output=DummyOutput())
        players: list[Player] = []

        def lines(player: Player) -> AsyncIterator[str]:
            players.append(player)
            return terminal_lines(player, session)

        async with running_world("en") as world:
            demo = asyncio.create_task(
                converse(world, lines, screen.write, interactive=True, role="mother")
            )
            # The mother opens the bot by herself; her main menu's buttons are numbered.
            await screen.shows(lambda text: "[1]" in text, "the main menu")
            [player] = players
            assert "you play: mother" in status_line(player)
            emergency = next(
                number for number, b in player.transcript.buttons.items() if "Emergency" in b.label
            )
            keys.send_text(f"{emergency}\r")
            await screen.shows(lambda text: "112" in text, "the emergency numbers after her tap")
            keys.send_text("/as staff\r")
            await screen.shows(lambda text: "now you play a staff member" in text, "the switch")
            assert "you play: staff in General" in status_line(player)
            keys.send_text("/quit\r")
            await asyncio.wait_for(demo, 30)
    assert "Traceback" not in screen.text


def test_tab_completes_commands_and_buttons_by_their_label() -> None:
    shown = {1: Button(1, 10, "🆘 I need help now"), 2: Button(1, 10, "🏠 Foster family")}
    mother = SimpleNamespace(
        role="mother", transcript=SimpleNamespace(buttons=shown), where=lambda: "mother"
    )
    completer = DemoCompleter(mother)  # type: ignore[arg-type]

    def complete(typed: str) -> list[str]:
        found = completer.get_completions(Document(typed), CompleteEvent(completion_requested=True))
        return [c.text for c in found]

    assert complete("/as s") == ["/as staff"]
    assert complete("foster") == ["2"]  # a button's label finds its number
    assert "/queue" not in complete("/q")  # staff commands only for staff
    assert status_line(mother).startswith(" you play: mother · buttons [1]–[2]")  # type: ignore[arg-type]
    mother.role = "staff"
    assert "/queue" in complete("/q")
