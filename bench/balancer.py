"""A round-robin webhook balancer, standing where nginx would in front of several instances.

Each POST goes to the next instance; one that refuses the connection is skipped (nginx's
`proxy_next_upstream error`). Used by tests/e2e/test_scale_out.py and bench/scale_out.py.
"""

from __future__ import annotations

import itertools
import socket

import aiohttp
from aiohttp import web


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Balancer:
    """Round robin over the instances; one that does not answer is skipped, as nginx does."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.turn = itertools.count()
        self.sent: dict[str, int] = dict.fromkeys(backends, 0)
        self.port = _free_port()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        self._http = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/hook", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {
            k: v for k, v in request.headers.items() if k.lower().startswith(("x-", "content-"))
        }
        first = next(self.turn)
        for offset in range(len(self.backends)):
            backend = self.backends[(first + offset) % len(self.backends)]
            try:
                async with self._http.post(backend, data=body, headers=headers) as answer:
                    self.sent[backend] += 1
                    return web.Response(status=answer.status, body=await answer.read())
            except aiohttp.ClientConnectionError:
                continue  # that instance is down: the next one takes it
        return web.Response(status=502)
