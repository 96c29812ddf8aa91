"""`anabot demo`: the whole bot against an in-process emulator, chatted with in this terminal.

No token and no network: the emulator plays Telegram, a temporary database holds the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bot.app import create_bot, create_dispatcher, open_resources
from bot.config import Settings
from bot.emulator.client import BotMessage, EmulatorClient, UserClient
from bot.emulator.server import Emulator
from bot.runner import install_background

DEMO_TOKEN = "100000001:DEMO-no-real-token"
DEMO_STAFF_CHAT = -1001000000001
DEMO_USER = 700001

HELP = """\
Type a message and press Enter. Buttons are numbered: type [1], [2]... or just the number.
  /loc LAT LON   send a location        /contact PHONE  send your phone number
  /photo /voice /sticker                send a sample of each
  /quit          leave the demo
"""


def render(message: BotMessage, numbering: dict[int, tuple[int, str]]) -> str:
    """A bot message as text, with its buttons numbered for the keyboard."""
    body = (message.text or f"[{message.kind}]").replace("\n", "\n      ")
    lines = [f"bot › {body}"]
    for row in message.buttons():
        cells = []
        for label in row:
            number = len(numbering) + 1
            numbering[number] = (message.message_id, label)
            cells.append(f"[{number}] {label}")
        lines.append("      " + "   ".join(cells))
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def running_bot(lang: str | None) -> AsyncIterator[UserClient]:
    """The emulator, the bot polling it, and the person you play."""
    emulator = Emulator()
    await emulator.start()
    with tempfile.TemporaryDirectory(prefix="anabot-demo-") as folder:
        settings = Settings(
            _env_file=None,
            bot_token=DEMO_TOKEN,
            telegram_api_url=emulator.url,
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}",
            staff_chat_id=DEMO_STAFF_CHAT,
        )
        resources = await open_resources(settings)
        bot = create_bot(settings, resources.sessionmaker)
        dispatcher = create_dispatcher(settings, resources)
        install_background(dispatcher, bot, resources, settings)
        client = EmulatorClient(emulator.url, DEMO_TOKEN)
        await client.create_group(DEMO_STAFF_CHAT, "Ana Uyi staff", is_forum=True)
        # One update at a time, so "all updates confirmed" means "all handled" for the transcript.
        polling = asyncio.create_task(
            dispatcher.start_polling(bot, handle_signals=False, handle_as_tasks=False)
        )
        try:
            yield client.user(DEMO_USER, "Demo", language_code=lang)
        finally:
            await dispatcher.stop_polling()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await asyncio.wait_for(polling, timeout=5)
            await client.close()
            await bot.session.close()
            await resources.close()
            await emulator.stop()


async def _act(user: UserClient, line: str, numbering: dict[int, tuple[int, str]]) -> bool:
    """Turn one typed line into what the person does. False when it is not understood."""
    words = line.split()
    choice = line.strip("[] ")
    if choice.isdigit() and int(choice) in numbering:
        message_id, label = numbering[int(choice)]
        await user.press(message_id, text=label)
    elif words[0] == "/loc" and len(words) == 3:
        await user.send_location(float(words[1]), float(words[2]))
    elif words[0] == "/contact" and len(words) == 2:
        await user.send_contact(words[1])
    elif words[0] == "/photo":
        await user.send_photo()
    elif words[0] == "/voice":
        await user.send_voice()
    elif words[0] == "/sticker":
        await user.send_sticker()
    elif choice.isdigit():
        return False
    else:
        await user.send(line)
    return True


async def converse(
    user: UserClient,
    lines: AsyncIterator[str],
    write: Callable[[str], None],
    *,
    echo: bool = True,
) -> None:
    """Play lines as the person and write what the bot answers."""
    numbering: dict[int, tuple[int, str]] = {}
    seen: dict[int, int] = {}  # message id -> edits already shown
    client = user.emu
    async for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line in ("/quit", "/exit"):
            break
        if echo:  # a script's lines are shown; typed ones are already on the screen
            write(f"you › {line}")
        try:
            understood = await _act(user, line, numbering)
        except ValueError:
            understood = False
        if not understood:
            write("      (no such button: type a number shown in [ ])")
            continue
        await client.wait_idle()
        numbering = {}
        for message in await user.bot_messages():
            if message.deleted or seen.get(message.message_id) == message.edits:
                continue
            prefix = "(edited) " if message.message_id in seen else ""
            seen[message.message_id] = message.edits
            write(prefix + render(message, numbering))


async def _script_lines(text: str) -> AsyncIterator[str]:
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            yield line


async def _keyboard_lines() -> AsyncIterator[str]:
    yield "/start"
    while True:
        try:
            line = await asyncio.to_thread(input, "")
        except EOFError:
            return
        yield line


async def run_demo(*, lang: str | None = None, script_text: str | None = None) -> int:
    """Chat in the terminal, or play `script_text` (an action a line) and print the transcript."""
    logging.getLogger().setLevel(logging.WARNING)  # the chat, not the logs, is the show
    if script_text is None:
        print(HELP)
    async with running_bot(lang) as user:
        lines = _script_lines(script_text) if script_text is not None else _keyboard_lines()
        echo = script_text is not None
        await converse(user, lines, lambda text: print(text, flush=True), echo=echo)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(asyncio.run(run_demo()))
