"""The interactive demo's line editor (prompt-toolkit).

With plain `input()` a follow-up arriving while you type prints through your half-typed line.
prompt-toolkit keeps the line at the bottom and prints the bot's messages above it; it also
gives history (↑), completion of the demo's commands and of the buttons on screen (Tab), and a
bottom bar saying who you play and where you type. Piped input (a script, a test) does not use
it: `anabot demo` falls back to reading lines plainly when stdin is not a terminal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.patch_stdout import patch_stdout

from bot.demo.play import Player

# What the demo itself understands, and the bot's own commands a person may type.
DEMO_COMMANDS = (
    "/as mother",
    "/as foster",
    "/as staff",
    "/loc 49.80 73.09",
    "/contact +77012345678",
    "/photo",
    "/voice",
    "/sticker",
    "/topic",
    "/private",
    "/reply",
    "/show",
    "/wait 60",
    "/?",
    "/quit",
)
BOT_COMMANDS = (
    "/start",
    "/help",
    "/language",
    "/emergency",
    "/cancel",
    "/status",
    "/mydata",
    "/forget",
    "/clear",
)
STAFF_COMMANDS = ("/queue", "/my", "/case", "/find", "/stats", "/export", "/audit", "/training")


class DemoCompleter(Completer):
    """Commands for the role you play, and the numbered buttons now on screen by their label."""

    def __init__(self, player: Player) -> None:
        self.player = player

    def _choices(self) -> Iterable[tuple[str, str]]:
        for number, button in sorted(self.player.transcript.buttons.items()):
            yield str(number), button.label
        commands = DEMO_COMMANDS + BOT_COMMANDS
        if self.player.role == "staff":
            commands += STAFF_COMMANDS
        for command in commands:
            yield command, ""

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        typed = document.text_before_cursor.lstrip()
        for text, label in self._choices():
            if text.startswith(typed) or (label and typed and typed.lower() in label.lower()):
                yield Completion(text, start_position=-len(typed), display_meta=label or None)


def status_line(player: Player) -> str:
    """The bottom bar: who you play, where you type, the buttons you can press."""
    buttons = sorted(player.transcript.buttons)
    pressable = f"buttons [{buttons[0]}]–[{buttons[-1]}]" if buttons else "no buttons"
    return f" you play: {player.where()} · {pressable} · Tab completes · /? help · /quit "


def prompt_text(player: Player) -> str:
    return f"{player.where()} › "


async def terminal_lines(
    player: Player, session: PromptSession[str] | None = None
) -> AsyncIterator[str]:
    """Typed lines until /quit, Ctrl-D or Ctrl-C; the bot's output prints above the prompt."""
    prompt: PromptSession[str] = session or PromptSession(history=InMemoryHistory())

    def bottom() -> str:  # read at each redraw: the role and the buttons change as you play
        return status_line(player)

    def text() -> str:
        return prompt_text(player)

    with patch_stdout(raw=True):
        while True:
            try:
                line = await prompt.prompt_async(
                    text,
                    completer=DemoCompleter(player),
                    complete_while_typing=False,
                    bottom_toolbar=bottom,
                )
            except (EOFError, KeyboardInterrupt):
                return
            yield line
