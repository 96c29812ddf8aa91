"""Telegram's flood limits (global per bot and per group) and the faults tests inject."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .params import Params
from .state import ApiError, BotState

# Calls Telegram's global flood limit counts: the family of bot/outgoing.py's MESSAGE_METHODS,
# lowercased like the method lookup (Bot API method names are case-insensitive).
RATE_LIMITED_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
        "sendContact", "copyMessage", "forwardMessage", "editMessageText",
        "editMessageReplyMarkup", "sendMediaGroup", "sendAudio", "sendVideo", "sendVideoNote",
        "sendAnimation", "sendSticker", "createForumTopic",
    )
)  # fmt: skip
RATE_WINDOW = 1.0  # seconds: Telegram's global limit is about 30 messages per second


@dataclass
class RateState:
    """Per bot: accepted message calls, calls refused by the flood limit, recent call times."""

    messages: int = 0
    rate_limited: int = 0
    recent: deque[float] = field(default_factory=deque)
    group_rate_limited: int = 0
    group_recent: dict[str, deque[float]] = field(default_factory=dict)


class Limits:
    """The flood limits of every bot; both are off unless configured."""

    def __init__(
        self, rate_limit: float | None, group_rate_limit: int | None, group_window: float
    ) -> None:
        # When set: more than `rate_limit` message calls of one bot within any sliding second
        # get Telegram's 429 "retry after 1" (see RATE_LIMITED_METHODS).
        if rate_limit is not None and rate_limit <= 0:
            raise ValueError("rate_limit must be positive")
        self.rate_limit = rate_limit
        # When set: more than `group_rate_limit` message calls to one group within any sliding
        # `group_window` seconds get a 429 (Telegram: 20 a minute).
        self.group_rate_limit = group_rate_limit
        self.group_window = group_window
        self._rates: dict[str, RateState] = {}

    def state(self, bot: BotState) -> RateState:
        state = self._rates.get(bot.token)
        if state is None:
            state = self._rates[bot.token] = RateState()
        return state

    def stats(self, bot: BotState) -> dict[str, Any]:
        state = self.state(bot)
        return {
            "messages": state.messages,
            "rate_limited": state.rate_limited,
            "rate_limit": self.rate_limit,
            "group_rate_limited": state.group_rate_limited,
        }

    def check(self, bot: BotState, method: str, params: Params) -> None:
        """Telegram's global flood limit, if enabled: a sliding window of RATE_WINDOW."""
        if self.rate_limit is None:
            self._check_group(bot, params)
            return
        weight = 1
        if method.lower() == "sendmediagroup":
            media = params.get("media")
            if isinstance(media, str):  # form data carries it as JSON
                with contextlib.suppress(ValueError):
                    media = json.loads(media)
            weight = max(len(media), 1) if isinstance(media, list) else 1
        state = self.state(bot)
        now = time.monotonic()
        while state.recent and now - state.recent[0] >= RATE_WINDOW:
            state.recent.popleft()
        if len(state.recent) + weight > self.rate_limit:
            state.rate_limited += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._check_group(bot, params)
        state.recent.extend([now] * weight)

    def _check_group(self, bot: BotState, params: Params) -> None:
        """Telegram's per-group limit, if enabled: a sliding window of `group_window`."""
        chat = str(params.get("chat_id", ""))
        if self.group_rate_limit is None or not chat.startswith(("-", "@")):
            return
        state = self.state(bot)
        recent = state.group_recent.setdefault(chat, deque())
        now = time.monotonic()
        while recent and now - recent[0] >= self.group_window:
            recent.popleft()
        if len(recent) >= self.group_rate_limit:
            state.group_rate_limited += 1
            wait = max(1, math.ceil(recent[0] + self.group_window - now))
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        recent.append(now)


async def apply_faults(bot: BotState, method: str, params: Params) -> None:
    """Serve an injected fault matching this call: an error, or a delay before normal service."""
    name = method.lower()
    for fault in list(bot.faults):
        if fault.method not in ("*", name):
            continue
        if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
            continue
        fault.count -= 1
        if fault.count <= 0:
            bot.faults.remove(fault)
        if fault.kind == "delay":
            await asyncio.sleep(fault.delay)
            continue  # then served normally
        if fault.kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if fault.kind == "500":
            raise ApiError(500, "Internal Server Error")
        if fault.kind == "502":
            raise ApiError(502, "Bad Gateway")
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
