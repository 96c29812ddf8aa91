"""``python -m bot.emulator --port N``: run a standalone Telegram Bot API emulator."""

import asyncio

from .server import main

if __name__ == "__main__":
    asyncio.run(main())
