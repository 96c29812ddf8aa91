"""Last line of defence: log the failure by ids, and tell the person kindly."""

from __future__ import annotations

import logging
import traceback
from contextlib import suppress

from aiogram import Bot, Router
from aiogram.types import ErrorEvent
from aiogram_i18n import I18nContext

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, bot: Bot, i18n: I18nContext | None = None) -> bool:
    update = event.update
    chat_id = None
    if update.message is not None and update.message.chat.type == "private":
        chat_id = update.message.chat.id
    elif update.callback_query is not None and update.callback_query.from_user is not None:
        chat_id = update.callback_query.from_user.id
        if update.callback_query.message is not None:
            if update.callback_query.message.chat.type != "private":
                chat_id = None
    # Ids and the exception's type only: the exception text may quote what the person wrote.
    frames = "".join(traceback.format_tb(event.exception.__traceback__))
    log.error("update %s failed: %s\n%s", update.update_id, type(event.exception).__name__, frames)
    if update.callback_query is not None:
        with suppress(Exception):  # stop the button's spinner; it may be too late for that
            await bot.answer_callback_query(update.callback_query.id)
    if chat_id is not None and i18n is not None:
        try:
            await bot.send_message(chat_id, i18n.get("error-generic"))
        except Exception:
            log.warning("could not send the error notice for update %s", update.update_id)
    return True


def setup() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_error)
    return router
