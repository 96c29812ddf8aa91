"""`anabot demo`: the whole bot against an in-process emulator, played in this terminal.

You play a mother, a foster applicant or a staff member, each a Telegram user of their own, and
switch at any moment; the transcript shows every chat: the private ones and the staff group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable

from bot.demo.play import NAVIGATION, WHO, Misplay, Player
from bot.demo.transcript import Transcript
from bot.demo.world import FOLLOW_UPS, ROLES, World, running_world

__all__ = ["ROLES", "converse", "run_demo"]


def _minutes(key: str) -> int:
    return int(FOLLOW_UPS[key].total_seconds() // 60)


HELP = f"""\
anabot demo: the real bot, a pretend Telegram. You play a mother, a foster applicant or a staff
member, each their own Telegram user with their own chat; switch at any time.
  /as mother  /as foster  /as staff    who you play
Type a message and press Enter; /start, /help, /status... go to the bot as typed.
Buttons are numbered: type [1], [2]... or just the number ([·]: someone else's button).
  /loc LAT LON   send a location        /contact PHONE  send a phone number
  /photo /voice /sticker                send a sample of each
As staff (an admin), in the staff group: a forum with a topic per case (№ N · ...).
  /queue /case N /my /stats ...         staff commands, typed in the group
  /topic N       type in case N's topic (what you type there reaches her as the foundation)
  /topic         back to the General topic     /private  your private chat with the bot
  /reply N TEXT  reply to the staff group message shown as "msg N" (a card: to her)
  /show N        show msg N again, to press its buttons
Time runs short in the demo, so follow-ups show up while you play:
  an untaken urgent case is raised after {_minutes("escalate_urgent_after")} minute, a normal one \
after {_minutes("escalate_normal_after")} minutes
  (the office is always open), then staff are told in private \
{_minutes("escalate_to_coordinators_after")} minutes later;
  the mother is asked "Did someone contact you?" {_minutes("check_in_after")} minutes after \
her request.
  /wait SECONDS  wait for what arrives later   /?  this help   /quit  leave the demo
"""

PICK = "Who do you play? [1] a mother  [2] a foster applicant  [3] a staff member"


async def _wait(transcript: Transcript, args: list[str]) -> str:
    seconds = float(args[0]) if args and args[0].replace(".", "", 1).isdigit() else 60.0
    if await transcript.wait_for_late(seconds):
        return ""
    return f"      (nothing new within {seconds:g} s)"


async def converse(
    world: World,
    lines: AsyncIterator[str] | Callable[[Player], AsyncIterator[str]],
    write: Callable[[str], None],
    *,
    interactive: bool = False,
    role: str = "mother",
) -> None:
    """Play lines and write what the bot sends to every chat of the demo.

    Interactive: typed lines are not echoed, a person met for the first time opens the bot
    with /start, and late messages (follow-ups) are shown as soon as they arrive. `lines` may
    be made from the player (the terminal's prompt shows who you play and where).
    """
    transcript = Transcript(world, write)
    player = Player(world, transcript)
    transcript.role = role
    if callable(lines):
        lines = lines(player)
    opened: set[str] = set()
    watcher = asyncio.create_task(transcript.watch()) if interactive else None

    async def play(line: str, *, echo: bool) -> None:
        if echo:
            write(f"{player.where()} › {line}")
        async with transcript.lock:
            try:
                note = await player.play(line)
            except Misplay as problem:
                write(f"      ({problem})")
                return
            if note:
                write(note)
            await world.client.wait_idle()
            await transcript.refresh()

    async def open_if_new() -> None:
        if interactive and player.role != "staff" and player.role not in opened:
            opened.add(player.role)
            await play("/start", echo=True)

    try:
        await open_if_new()
        async for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            words = line.split()
            if words[0] == "/?":
                write(HELP)
            elif words[0] == "/wait":
                if not interactive:
                    write(f"{player.where()} › {line}")
                note = await _wait(transcript, words[1:])
                if note:
                    write(note)
            else:
                await play(line, echo=not interactive and words[0] not in NAVIGATION)
                await open_if_new()
    finally:
        closing = getattr(lines, "aclose", None)
        if closing is not None:  # the terminal's line editor lets go of stdout now
            await closing()
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


async def _script_lines(text: str) -> AsyncIterator[str]:
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            yield line


def _keyboard_lines(player: Player) -> AsyncIterator[str]:
    """In a terminal, prompt-toolkit's line editor; piped input is read a line at a time."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from bot.demo.terminal import terminal_lines

        return terminal_lines(player)
    return _piped_lines()


async def _piped_lines() -> AsyncIterator[str]:
    while True:
        try:
            line = await asyncio.to_thread(input, "")
        except EOFError:
            return
        yield line


async def _pick_role() -> str:
    print(PICK, flush=True)
    while True:
        try:
            answer = (await asyncio.to_thread(input, "")).strip().strip("[]").lower()
        except EOFError:
            return "mother"
        if answer in ("1", "2", "3"):
            return ROLES[int(answer) - 1]
        if answer in ROLES:
            return answer
        print(PICK, flush=True)


async def run_demo(
    *, lang: str | None = None, script_text: str | None = None, role: str | None = None
) -> int:
    """Chat in the terminal, or play `script_text` (an action a line) and print the transcript."""
    logging.getLogger().setLevel(logging.WARNING)  # the chat, not the logs, is the show

    def write(text: str) -> None:
        print(text, flush=True)

    if script_text is not None:
        async with running_world(lang) as world:
            await converse(world, _script_lines(script_text), write, role=role or "mother")
        return 0
    print(HELP)
    chosen = role or await _pick_role()
    print(f"— you play {WHO[chosen]} —", flush=True)
    if chosen == "staff":
        print("  (no cases yet: /as mother, ask for help, then /as staff again)", flush=True)
    async with running_world(lang) as world:
        await converse(world, _keyboard_lines, write, interactive=True, role=chosen)
    return 0
