"""Local Telegram Bot API emulator (aiohttp).

Serves ``POST {url}/bot{token}/{method}`` like api.telegram.org, plus a JSON control API under
``/_emu/`` that plays the users (see ``control.py``). State lives in memory (``core.py``); the
methods live in ``methods/``, one module per family.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import time
from typing import Any

import aiohttp
from aiohttp import web

from .control import add_control_routes
from .core import Core
from .limits import RATE_LIMITED_METHODS, Limits, apply_faults
from .methods import all_methods
from .params import Params, json_response, read_params
from .state import ApiError, BotState


class Emulator(Core):
    """An in-memory Telegram Bot API server for tests, demos and benchmarks."""

    def __init__(
        self,
        *,
        bot_token: str | None = None,
        strict_html: bool = True,
        webhook_backoff: float = 0.05,
        rate_limit: float | None = None,
        group_rate_limit: int | None = None,
        group_window: float = 60.0,
    ) -> None:
        # Both flood limits are off by default (see limits.py).
        self.limits = Limits(rate_limit, group_rate_limit, group_window)
        super().__init__(bot_token=bot_token, strict_html=strict_html)
        self.webhook_backoff = webhook_backoff
        self.methods = all_methods()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("emulator is not started")
        return self._url

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        # Before the control routes: their GET /_emu/{token}/{action} would catch it otherwise.
        app.router.add_get("/_emu/{token}/stats", self._handle_stats)
        add_control_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; with port=0 a free port is chosen (see ``url``)."""
        self.closing = False
        self.http = aiohttp.ClientSession()
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        real_port = sockets[0].getsockname()[1] if sockets else port
        self._url = f"http://{host}:{real_port}"

    async def stop(self) -> None:
        self.closing = True  # pending long polls return at once instead of delaying shutdown
        for bot in self.bots.values():
            bot.webhook = None
            if bot.webhook_task is not None:
                bot.webhook_task.cancel()
                with contextlib.suppress(BaseException):
                    await bot.webhook_task
            bot.bump()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.http is not None:
            await self.http.close()
            self.http = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def stats(self, bot: BotState | None = None) -> dict[str, Any]:
        """Message calls answered ok, and calls refused by the flood limit, of one bot."""
        return self.limits.stats(bot or self.bot())

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        bot = self.lookup_bot(token)
        if bot is None:
            return json_response(ApiError(401, "Unauthorized").payload(), 401)
        if method.lower() not in self.methods:
            return json_response(ApiError(404, "Not Found").payload(), 404)
        started = time.monotonic()
        params: Params = {}
        counted = method.lower() in RATE_LIMITED_METHODS
        try:
            params = await read_params(request)
            if counted:
                self.limits.check(bot, method, params)
            await apply_faults(bot, method, params)
            if request.transport is None or request.transport.is_closing():
                # The caller hung up while its call was held (a delay fault, then a killed
                # bot): the call is dropped unserved, lost with its connection. Served, it
                # would land at a moment no test can wait for.
                return web.Response(status=499)
            result = await self.run(bot, method, params)
        except ApiError as exc:
            return json_response(*self.record(bot, method, params, exc, started))
        if counted:
            self.limits.state(bot).messages += 1
        return json_response(*self.record(bot, method, params, result, started))

    async def _handle_stats(self, request: web.Request) -> web.Response:
        bot = self.lookup_bot(request.match_info["token"])
        if bot is None:
            return json_response({"ok": False, "error": "unknown bot token"}, 404)
        return json_response(self.stats(bot))


async def main(argv: list[str] | None = None) -> None:
    """Run a standalone emulator; prints its URL as the first stdout line."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    parser.add_argument(
        "--lenient-html", action="store_true", help="accept a bare '&' like tdlib does"
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="N",
        help="answer 429 beyond N message calls per second per bot, like Telegram (default: off)",
    )
    args = parser.parse_args(argv)
    if args.rate_limit is not None and args.rate_limit <= 0:
        parser.error("--rate-limit must be positive")
    emulator = Emulator(
        bot_token=args.token, strict_html=not args.lenient_html, rate_limit=args.rate_limit
    )
    await emulator.start(args.host, args.port)
    print(emulator.url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


__all__ = ["RATE_LIMITED_METHODS", "ApiError", "Emulator", "main"]
