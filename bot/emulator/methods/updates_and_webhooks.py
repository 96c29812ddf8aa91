"""Updates: long polling (getUpdates) and webhooks (set/delete/info and the push loop)."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

import aiohttp
from aiogram.methods import DeleteWebhook, GetUpdates, GetWebhookInfo, SetWebhook

from ..core import Core
from ..state import ApiError, BotState, bad
from .common import serves

CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)


@serves(GetUpdates)
async def get_updates(emu: Core, bot: BotState, m: GetUpdates) -> list[dict[str, Any]]:
    if bot.webhook is not None:
        raise ApiError(409, CONFLICT_WEBHOOK)
    limit = min(max(m.limit or 100, 1), 100)
    timeout = max(m.timeout or 0, 0)
    if m.allowed_updates is not None:
        bot.allowed_updates = list(m.allowed_updates) or None
    bot.poll_gen += 1
    gen = bot.poll_gen
    bot.bump()  # wakes an older long poll, which then answers 409
    bot.confirm(m.offset or 0)
    if not bot.updates and timeout > 0:
        await bot.wait(
            lambda: (
                bool(bot.updates) or bot.poll_gen != gen or bot.webhook is not None or emu.closing
            ),
            timeout,
        )
        if bot.poll_gen != gen:
            raise ApiError(409, CONFLICT_POLL)
        if bot.webhook is not None:
            return []
    return copy.deepcopy(bot.updates[:limit])


@serves(SetWebhook)
async def set_webhook(emu: Core, bot: BotState, m: SetWebhook) -> bool:
    if not m.url:
        return await delete_webhook(
            emu, bot, DeleteWebhook(drop_pending_updates=m.drop_pending_updates)
        )
    if not m.url.startswith(("http://", "https://")):
        raise bad("bad webhook: An HTTPS URL must be provided for webhook")
    secret = m.secret_token
    if secret is not None and (
        len(secret) > 256 or not all(c.isalnum() or c in "_-" for c in secret)
    ):
        raise bad("secret token contains unallowed characters")
    if m.drop_pending_updates:
        bot.updates.clear()
    if m.allowed_updates is not None:
        bot.allowed_updates = list(m.allowed_updates) or None
    bot.webhook = {
        "url": m.url,
        "secret_token": secret,
        "max_connections": m.max_connections or 40,
        "ip_address": m.ip_address or "127.0.0.1",
    }
    bot.last_error_date = bot.last_error_message = None
    bot.poll_gen += 1  # a pending long poll ends (it returns [])
    bot.bump()
    if bot.webhook_task is None or bot.webhook_task.done():
        bot.webhook_task = asyncio.create_task(webhook_loop(emu, bot))
    return True


@serves(DeleteWebhook)
async def delete_webhook(emu: Core, bot: BotState, m: DeleteWebhook) -> bool:
    if m.drop_pending_updates:
        bot.updates.clear()
    bot.webhook = None
    bot.bump()
    return True


@serves(GetWebhookInfo)
async def get_webhook_info(emu: Core, bot: BotState, m: GetWebhookInfo) -> dict[str, Any]:
    return emu.webhook_info(bot)


async def webhook_loop(emu: Core, bot: BotState) -> None:
    """Push updates one at a time, in order; an update is confirmed only by a 2xx."""
    backoff = emu.webhook_backoff
    while bot.webhook is not None:
        if not bot.updates:
            await bot.wait(lambda: bool(bot.updates) or bot.webhook is None, None)
            continue
        update = bot.updates[0]
        hook = bot.webhook
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
        status: int | None = None
        error = "Connection refused"
        body = b""
        reply_type = ""
        assert emu.http is not None
        try:
            async with emu.http.post(
                hook["url"],
                data=json.dumps(update, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=60),
            ) as resp:
                status = resp.status
                error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
                body = await resp.read()
                reply_type = resp.content_type
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"Connection error: {type(exc).__name__}"
        if status is not None and 200 <= status < 300:
            if bot.updates and bot.updates[0] is update:
                bot.updates.pop(0)
            backoff = emu.webhook_backoff
            bot.bump()
            await _webhook_reply(emu, bot, body, reply_type)
            continue
        bot.last_error_date = emu.now()
        bot.last_error_message = error
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, 1.0)


async def _webhook_reply(emu: Core, bot: BotState, body: bytes, content_type: str) -> None:
    """Execute a method returned in the webhook response, as Telegram does."""
    if content_type != "application/json" or not body:
        return  # aiogram's multipart replies are not executed (documented limitation)
    try:
        payload = json.loads(body)
    except ValueError:
        return
    if not isinstance(payload, dict) or "method" not in payload:
        return
    method = str(payload.pop("method"))
    if method.lower() not in emu.methods:
        return
    started = time.monotonic()
    try:
        result = await emu.run(bot, method, payload)
    except ApiError as exc:
        emu.record(bot, method, payload, exc, started)
    else:
        emu.record(bot, method, payload, result, started)
