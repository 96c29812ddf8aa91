"""Telegram's sending limits and retry rules, as a request middleware of the bot's session.

Registered after `OutgoingMiddleware`, so it wraps each HTTP call to the Bot API, by the
bot's session, which keeps it by name for `limits_of(bot)`::

    LimitedSession(TelegramLimits(Limits(), on_forbidden=...), OutgoingMiddleware(sessionmaker))

- Methods that send or change messages pass a global limiter and one limiter per chat.
- Requests to one chat go out one at a time, in call order, retries included, so a retried
  message is never overtaken by the next one.
- 429: waited out (not counted as a failure) up to a total ceiling; network errors and 5xx:
  exponential backoff with jitter up to `max_attempts`; 403 and 400: no retry
  (bot/middlewares/retries.py).

Rate bounds (W = the window times `window_scale`), for requests made by this middleware:

- whole bot: at most `per_second` in any window of W = 1 s;
- a group, supergroup or channel: at most `group_per_minute` in any window of W = 60 s;
- a private chat: a burst of 3, then `private_per_second` (Telegram allows short bursts there),
  so at most 3 + `private_per_second` in any window of 1 s.

With Redis (`shared`, from REDIS_URL), every window is also taken in Redis, so all instances of
the bot together keep Telegram's limits (storage/shared_limits.py); the local windows are kept
too, for `busy()` and as the fallback when Redis fails (then each instance keeps its own again).

`busy(chat_id)` tells a caller that a message to that chat would wait now, so a handler can
hand the message to a follow-up row instead of keeping a person waiting behind a group's limit.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
)
from aiogram.methods import SendMediaGroup, TelegramMethod
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

from bot.middlewares.json_requests import JsonBodySession
from bot.middlewares.retries import retry_failed, retryable
from bot.middlewares.windows import (
    PRIVATE_BURST,
    ChatKey,
    Limits,
    Stats,
    WindowLimiter,
    chat_key,
    is_private,
    safe_description,
)

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response

    from storage.shared_limits import SharedLimits

log = logging.getLogger(__name__)

# Methods that create or change a message: Telegram's message limits apply to them.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendMediaGroup",
        "sendAudio",
        "sendVideo",
        "sendVideoNote",
        "sendAnimation",
        "sendSticker",
        "createForumTopic",  # a topic opens with a service message in the group
    }
)

# aiogram's polling loop retries getUpdates itself, with its own backoff.
PASS_THROUGH_METHODS = frozenset({"getUpdates"})
# Seconds (unscaled) of waiting for a window, a chat's turn or a retry from which the update
# making the request leaves its slot (bot.middlewares.slots): shorter waits keep it.
LONG_WAIT = 0.25

DEFAULT_LIMITS = Limits()  # frozen, so one shared default is safe

# Called with the chat id and the Bot API method name when Telegram answers 403.
ForbiddenCallback = Callable[[int, str], Awaitable[None]]


class _ChatSlot:
    """Per-chat state: the rate limiter, a lock that keeps the chat's requests in order, and
    how many requests are in or waiting for it."""

    __slots__ = ("limiter", "lock", "users")

    def __init__(self, limiter: AsyncLimiter | WindowLimiter) -> None:
        self.limiter = limiter
        self.lock = asyncio.Lock()
        self.users = 0


class TelegramLimits(BaseRequestMiddleware):
    """Rate limits and retries for every request to the Bot API (see the module docstring)."""

    def __init__(
        self,
        limits: Limits = DEFAULT_LIMITS,
        *,
        on_forbidden: ForbiddenCallback | None = None,
        shared: SharedLimits | None = None,
    ) -> None:
        self.limits = limits
        self.on_forbidden = on_forbidden
        self.shared = shared
        self._shared_global_lock = asyncio.Lock()  # one task here polls Redis, in call order
        self.stats = Stats()
        # Called before a request waits for a window, a chat's turn or a retry: the update
        # making it leaves its slot (bot.middlewares.slots); set by the dispatcher at start.
        self.before_wait: Callable[[], None] | None = None
        scale = limits.window_scale
        self._global = WindowLimiter(limits.per_second, scale)
        self._chats: OrderedDict[ChatKey, _ChatSlot] = OrderedDict()

    @property
    def tracked_chats(self) -> int:
        """How many per-chat limiters are held (bounded by `max_tracked_chats`)."""
        return len(self._chats)

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if name in PASS_THROUGH_METHODS:
            return await make_request(bot, method)
        raw_chat_id = getattr(method, "chat_id", None)
        chat_id: ChatKey | None = None if raw_chat_id is None else chat_key(raw_chat_id)
        if name not in MESSAGE_METHODS:
            return await self._with_retries(make_request, bot, method, name, chat_id, None, 0)
        weight = len(method.media) if isinstance(method, SendMediaGroup) else 1
        if chat_id is None:  # an inline message edit: only the global limit applies
            return await self._with_retries(make_request, bot, method, name, None, None, weight)
        slot = self._slot(chat_id)
        if slot.users:
            self._step_aside()  # the chat's earlier requests go first: a group's can be long
        slot.users += 1
        try:
            async with slot.lock:
                return await self._with_retries(
                    make_request, bot, method, name, chat_id, slot, weight
                )
        finally:
            slot.users -= 1

    def _waiting(self, seconds: float) -> None:
        """A wait of `seconds` is ahead: a long one lets the update making the request leave
        its slot (bot.middlewares.slots); a short one keeps it."""
        if seconds >= LONG_WAIT * self.limits.window_scale:
            self._step_aside()

    def _step_aside(self) -> None:
        if self.before_wait is not None:
            self.before_wait()

    async def _take_shared(self, bot_id: int, chat_id: ChatKey | None) -> list[tuple[str, str]]:
        """One place in each shared window (chat first, then the whole bot): the (key, member)
        pairs to finish; a window Redis failed for is left to the local one."""
        shared = self.shared
        assert shared is not None
        taken: list[tuple[str, str]] = []
        scale = self.limits.window_scale
        if chat_id is not None:
            key = shared.key(bot_id, f"chat:{chat_id}")
            if is_private(chat_id):
                per_second = self.limits.private_per_second / scale
                await shared.take_pace(key, PRIVATE_BURST, per_second, on_wait=self._waiting)
            else:
                group = self._chats[chat_id].limiter
                assert isinstance(group, WindowLimiter)
                member = await shared.take_window(
                    key, group.limit, group.window, on_wait=self._waiting
                )
                if member is not None:
                    taken.append((key, member))
        key = shared.key(bot_id, "all")
        try:
            async with self._shared_global_lock:
                member = await shared.take_window(
                    key, self._global.limit, self._global.window, on_wait=self._waiting
                )
        except asyncio.CancelledError:
            # Cancelled while waiting: the chat's place counts as done, not in flight for HOLD.
            for chat, taken_member in taken:
                await shared.finish_window(chat, taken_member)
            raise
        if member is not None:
            taken.append((key, member))
        return taken

    def _slot(self, key: ChatKey) -> _ChatSlot:
        slot = self._chats.get(key)
        if slot is not None:
            self._chats.move_to_end(key)
            return slot
        self._evict()
        scale = self.limits.window_scale
        if is_private(key):
            limiter = AsyncLimiter(
                PRIVATE_BURST, PRIVATE_BURST * scale / self.limits.private_per_second
            )
        else:
            limiter = WindowLimiter(self.limits.group_per_minute, 60 * scale)
        slot = self._chats[key] = _ChatSlot(limiter)
        return slot

    def busy(self, chat_id: int | str, messages: int = 1) -> bool:
        """Would `messages` messages to this chat have to wait for its limit right now?"""
        slot = self._chats.get(chat_key(chat_id))
        if slot is None:
            return False
        if slot.lock.locked():
            return True
        limiter = slot.limiter
        if isinstance(limiter, WindowLimiter):
            return limiter.free_now() < messages
        return not limiter.has_capacity(messages)

    def _evict(self) -> None:
        # Makes room for one more. Oldest first; a chat with a request in progress is kept, or a
        # second slot for the same chat could let its messages overtake each other.
        while len(self._chats) >= self.limits.max_tracked_chats:
            for key, slot in self._chats.items():
                if not slot.lock.locked():
                    del self._chats[key]
                    break
            else:
                return  # all busy: allowed to grow until they finish

    async def _acquire(
        self, bot_id: int, chat_id: ChatKey | None, slot: _ChatSlot | None, weight: int
    ) -> list[tuple[str, str]]:
        # The chat's limiter first: waiting for a slow chat must not hold global capacity.
        # Local windows before the shared ones: this process' sends are a part of all sends,
        # so the local wait never holds one back that Redis would allow.
        taken: list[tuple[str, str]] = []
        long_wait = LONG_WAIT * self.limits.window_scale
        for _ in range(weight):
            if slot is not None:
                # A private chat's pace waits a second at most: not a long wait.
                if isinstance(slot.limiter, WindowLimiter) and slot.limiter.long_wait(long_wait):
                    self._step_aside()
                await slot.limiter.acquire()
            if self._global.long_wait(long_wait):
                self._step_aside()
            await self._global.acquire()
            if self.shared is not None:
                taken += await self._take_shared(bot_id, None if slot is None else chat_id)
        return taken

    async def _release(
        self, slot: _ChatSlot | None, weight: int, taken: list[tuple[str, str]]
    ) -> None:
        for _ in range(weight):
            if slot is not None and isinstance(slot.limiter, WindowLimiter):
                slot.limiter.release()
            self._global.release()
        if self.shared is not None:
            for key, member in taken:
                await self.shared.finish_window(key, member)

    async def _with_retries(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        name: str,
        chat_id: ChatKey | None,
        slot: _ChatSlot | None,
        weight: int,
    ) -> Response[TelegramType]:
        async def attempt() -> Response[TelegramType]:
            # Every attempt is a request Telegram counts, so each one takes capacity.
            taken = await self._acquire(bot.id, chat_id, slot, weight) if weight else []
            try:
                return await make_request(bot, method)
            finally:
                if weight:
                    await self._release(slot, weight, taken)

        try:
            first_failure: Exception | None = None
            try:
                result = await attempt()
            except Exception as failure:
                if not retryable(failure):
                    raise
                first_failure = failure
            if first_failure is not None:
                # Outside the except block: a later failure is not chained to the first one
                # (the logs would show it as its cause), nor does the wait keep its traceback.
                result = await retry_failed(
                    first_failure,
                    attempt,
                    limits=self.limits,
                    stats=self.stats,
                    waiting=self._waiting,
                    name=name,
                    chat_id=chat_id,
                )
        except TelegramForbiddenError:
            self.stats.forbidden += 1
            log.info("%s to %s: forbidden", name, chat_id)
            # Only numeric ids: an "@channel" name is no person or group the app tracks.
            if self.on_forbidden is not None and isinstance(chat_id, int):
                await self._report_forbidden(chat_id, name)
            raise
        except TelegramBadRequest as exc:
            if "message is not modified" in exc.message:
                # Not a fault: an edit to what is already shown (a repeated tap); callers treat
                # it as done (OutgoingMiddleware).
                log.debug("%s to %s: not modified", name, chat_id)
                raise
            self.stats.bad_request += 1
            log.warning("%s to %s: bad request: %s", name, chat_id, safe_description(exc.message))
            raise
        if weight:
            self.stats.sent += 1
        return result

    async def _report_forbidden(self, chat_id: int, name: str) -> None:
        assert self.on_forbidden is not None
        try:
            await self.on_forbidden(chat_id, name)
        except Exception:
            # The caller must still see the 403; a failing callback is only logged.
            log.exception("on_forbidden failed for %s (%s)", chat_id, name)


__all__ = [
    "MESSAGE_METHODS",
    "LimitedSession",
    "Limits",
    "Stats",
    "TelegramLimits",
    "WindowLimiter",
    "chat_key",
    "limits_of",
    "safe_description",
]


class LimitedSession(JsonBodySession):
    """aiogram's HTTP session (with JSON bodies: bot/middlewares/json_requests.py) and the
    bot's limits, registered after the `outer` request middlewares (so they wrap each HTTP
    call) and kept by name: a handler that must know whether a chat is busy asks
    `limits_of(bot)`."""

    def __init__(
        self, limits: TelegramLimits, *outer: BaseRequestMiddleware, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        for middleware in outer:
            self.middleware(middleware)
        self.middleware(limits)
        self.limits = limits

    async def close(self) -> None:
        await super().close()
        if self.limits.shared is not None:
            await self.limits.shared.close()


def limits_of(bot: Bot) -> TelegramLimits | None:
    """The bot's limits, if its session has them (a test's bare bot may not)."""
    return bot.session.limits if isinstance(bot.session, LimitedSession) else None
