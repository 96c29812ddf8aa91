"""The interactive demo in a terminal: prompt-toolkit reads the keys, the bot answers above.

Keys go in through prompt-toolkit's pipe input, as a terminal would send them; the demo runs
its real world (the emulator and the bot in process). What the demo writes is collected.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
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

ROOT = Path(__file__).resolve().parent.parent


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


def _strip_ansi(raw: bytes) -> str:
    return re.sub(
        r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r", "", raw.decode(errors="replace")
    )


def test_make_demo_in_a_real_terminal_plays_and_quits_cleanly(tmp_path: Path) -> None:
    """`anabot demo` on a pseudo-terminal, as `make demo` runs it: the role picker, the mother's
    menu, a tap, the switch to staff, and /quit, with no traceback."""
    leader, follower = pty.openpty()
    # A terminal of 40 rows and 120 columns, so prompt-toolkit has a bottom to draw its bar on.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--lang", "en"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def until(fragment: str, within: float = 60) -> str:
        nonlocal seen
        deadline = time.monotonic() + within
        while fragment not in _strip_ansi(seen):
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {fragment!r}:\n{_strip_ansi(seen)[-2000:]}"
            ready, _, _ = select.select([leader], [], [], left)  # wait for output, not a sleep
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the demo closed the terminal
                    break
                seen += chunk
                # Answer "where is the cursor?" as a terminal does (mid-screen): prompt-toolkit
                # draws its bottom bar only once it knows.
                for _ in range(chunk.count(b"\x1b[6n")):
                    os.write(leader, b"\x1b[20;1R")
        return _strip_ansi(seen)

    try:
        until("Who do you play?")
        os.write(leader, b"1\r")
        screen = until("you play: mother")  # the bottom bar of the prompt
        assert "Emergency" in until("Emergency numbers")
        number = re.search(r"\[(\d+)\] 🆘 Emergency numbers", until("🆘 Emergency numbers"))
        assert number is not None, screen[-1500:]
        os.write(leader, number.group(1).encode() + b"\r")
        until("112")
        os.write(leader, b"/as staff\r")
        until("now you play a staff member")
        os.write(leader, b"/quit\r")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert "Traceback" not in _strip_ansi(seen)
