"""Shared-phone mode: the one place that decides what her lock screen and chat list can show.

A phone's lock screen and chat list show the first lines of a message (and the bot's name,
which the operator sets neutral, see README). While a person has marked her phone as shared,
every message the bot sends her, from any path (her own updates, staff replies relayed from a
group, follow-ups, status news), passes `discreet()` in `OutgoingMiddleware`: its first two
lines are a neutral greeting, whatever follows. Senders only drop their own revealing
headers (`relay_header`); they never add the greeting themselves.
"""

from __future__ import annotations

from aiogram.methods import (
    CopyMessage,
    EditMessageCaption,
    EditMessageText,
    SendAnimation,
    SendAudio,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVenue,
    SendVideo,
    SendVoice,
    TelegramMethod,
)
from aiogram.types import MessageEntity
from aiogram_i18n.cores import FluentRuntimeCore

from storage.models import User

NEUTRAL_KEY = "privacy-neutral-lines"  # two neutral lines
# Room kept free in a long text's parts for the greeting (Telegram counts UTF-16 units).
NEUTRAL_ROOM = 120

_CAPTIONED = (
    SendPhoto,
    SendVideo,
    SendDocument,
    SendVoice,
    SendAudio,
    SendAnimation,
    CopyMessage,
    EditMessageCaption,
)


def relay_header(core: FluentRuntimeCore, locale: str, person: User) -> str:
    """ "Ana Uyi foundation:" above a staff reply, or nothing on a shared phone (it would be
    the line the lock screen shows)."""
    return "" if person.shared_phone else core.get("relay-from-foundation", locale)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shifted(entities: list[MessageEntity] | None, by: int) -> list[MessageEntity] | None:
    if not entities:
        return entities
    return [entity.model_copy(update={"offset": entity.offset + by}) for entity in entities]


def discreet(method: TelegramMethod[object], greeting: str) -> TelegramMethod[object]:
    """The same request with `greeting` (two neutral lines) before any text she would see."""
    lead = greeting + "\n\n"
    shift = _units(lead)
    if isinstance(method, SendMessage | EditMessageText):
        return method.model_copy(
            update={"text": lead + method.text, "entities": _shifted(method.entities, shift)}
        )
    if isinstance(method, _CAPTIONED):
        caption = method.caption
        if caption is None:
            if isinstance(method, CopyMessage | EditMessageCaption):
                # A copy without a caption keeps the original's, which we can't see here:
                # the sender passes the caption it copies (staff_relay.deliver) or none exists.
                return method
            caption = ""
            lead = greeting
        return method.model_copy(
            update={
                "caption": lead + caption,
                "caption_entities": _shifted(method.caption_entities, shift),
            }
        )
    if isinstance(method, SendVenue):
        # A house's name is the venue's title, the line a notification shows: the greeting's
        # first line stands for it; the address and the pin stay.
        return method.model_copy(update={"title": greeting.split("\n")[0]})
    return method


def recipient_id(method: TelegramMethod[object]) -> int | None:
    """The private chat a request writes to, if any (groups have negative ids)."""
    chat_id = getattr(method, "chat_id", None)
    if isinstance(chat_id, int) and chat_id > 0:
        return chat_id
    if isinstance(chat_id, str) and chat_id.isdigit():
        return int(chat_id)
    return None


SHOWN = (SendMessage, EditMessageText, SendVenue, *_CAPTIONED)
