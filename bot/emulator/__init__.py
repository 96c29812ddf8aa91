"""Local Telegram Bot API emulator for the demo, end-to-end tests and benchmarks."""

from .client import BotMessage, EmulatorClient, EmulatorError, EmulatorTimeout, UserClient
from .html import HtmlParseError, parse_html
from .server import Emulator

__all__ = [
    "BotMessage",
    "Emulator",
    "EmulatorClient",
    "EmulatorError",
    "EmulatorTimeout",
    "HtmlParseError",
    "UserClient",
    "parse_html",
]
