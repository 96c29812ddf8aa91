"""Taking a person's words out of the staff chats: for /forget and the retention purge.

Each message the bot put there for her is deleted; where Telegram refuses (older than 48
hours, no right to delete) a text is replaced by a neutral line; what can be neither deleted
nor changed (a photo, a voice, a location older than 48 hours) is counted, so she is told.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest

from bot.services.directory import Directory
from bot.workspace.cards import StaffTexts, refresh_card
from storage.erasure import StaffMessage
from storage.models import Case

log = logging.getLogger(__name__)


@dataclass
class Cleanup:
    deleted: int = 0
    replaced: int = 0  # a text now reads "removed at the person's request"
    kept: int = 0  # Telegram let the bot neither delete nor change it

    def add(self, other: Cleanup) -> None:
        self.deleted += other.deleted
        self.replaced += other.replaced
        self.kept += other.kept


def _gone(error: TelegramAPIError) -> bool:
    """Deleted already (by staff by hand): nothing of hers is left there."""
    return isinstance(error, TelegramBadRequest) and "not found" in error.message.lower()


async def _delete(bot: Bot, chat_id: int, message_id: int) -> bool:
    try:
        await bot.delete_message(chat_id, message_id)
    except TelegramAPIError as error:
        if _gone(error):
            return True
        log.info("staff message %s in %s not deleted (%s)", message_id, chat_id, error.message[:60])
        return False
    return True


async def _neutralise(bot: Bot, chat_id: int, message_id: int, neutral: str) -> bool:
    """Replace the text; for media only the caption can change, and the media stays."""
    try:
        await bot.edit_message_text(neutral, chat_id=chat_id, message_id=message_id)
        return True
    except TelegramAPIError:
        pass
    try:  # her caption goes at least; the photo or voice itself is still counted as kept
        await bot.edit_message_caption(chat_id=chat_id, message_id=message_id, caption=neutral)
    except TelegramAPIError:
        pass
    return False


async def remove_messages(bot: Bot, messages: Iterable[StaffMessage], neutral: str) -> Cleanup:
    done = Cleanup()
    for message in messages:
        if await _delete(bot, message.chat_id, message.message_id):
            done.deleted += 1
        elif await _neutralise(bot, message.chat_id, message.message_id, neutral):
            done.replaced += 1
        else:
            done.kept += 1
    return done


async def clean_case_cards(
    bot: Bot, cases: Iterable[Case], directory: Directory, t: StaffTexts
) -> Cleanup:
    """A case's card stays (staff work with its number), shown without anything personal; a
    card Telegram won't let the bot edit is deleted instead, or counted."""
    done = Cleanup()
    for case in cases:
        if case.staff_chat_id is None or case.card_message_id is None:
            continue
        if await refresh_card(bot, case, directory, t):
            done.replaced += 1
        elif await _delete(bot, case.staff_chat_id, case.card_message_id):
            done.deleted += 1
        else:
            done.kept += 1
    return done


async def clean_application_cards(bot: Bot, cards: Iterable[tuple[int, int]], text: str) -> Cleanup:
    """An application's card holds her name, birth date, phone, children: it becomes one
    line saying the application was deleted, or is deleted."""
    done = Cleanup()
    for chat_id, message_id in cards:
        try:
            await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
            done.replaced += 1
            continue
        except TelegramAPIError:
            pass
        if await _delete(bot, chat_id, message_id):
            done.deleted += 1
        else:
            done.kept += 1
    return done
