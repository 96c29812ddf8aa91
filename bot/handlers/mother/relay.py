"""After the handoff her chat is a line to the staff: what she sends is kept and relayed."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.enums import ContentType
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import Magic
from bot.middlewares.flood import FloodGate, room_for_courtesy
from bot.ui.callbacks import MotherCb
from bot.ui.states import Mother
from bot.use_cases.desk import Desk
from bot.use_cases.relay import pass_on
from bot.workspace.alerts import Relayed, relay_edit_to_staff
from storage.cases import link_of_user_message, open_case_of
from storage.models import Case, User

# What Telegram lets a bot copy into the staff thread. Stickers stay out (the menu answers
# them); service messages, giveaways, paid media or kinds newer than this code can't be copied,
# so they get the menu too instead of a relay that would fail forever.
RELAYABLE = frozenset(
    {
        ContentType.TEXT,
        ContentType.PHOTO,
        ContentType.VOICE,
        ContentType.DOCUMENT,
        ContentType.AUDIO,
        ContentType.VIDEO,
        ContentType.VIDEO_NOTE,
        ContentType.ANIMATION,
        ContentType.LOCATION,
        ContentType.VENUE,
        ContentType.CONTACT,
        ContentType.DICE,
    }
)
_ANSWERS = {
    Relayed.SENT: "mother-relayed",
    Relayed.KEPT: "mother-relay-kept",
    Relayed.REFUSED: "mother-relay-not-copied",
}


async def with_open_case(
    message: Message, db: AsyncSession, person: User | None = None
) -> bool | dict[str, Any]:
    """Passes when the person has a case that is not closed, and hands it to the handler."""
    if person is None:
        return False
    case = await open_case_of(db, person.id)
    return {"case": case} if case is not None else False


def message_content(message: Message) -> dict[str, Any]:
    """What is kept with the case: the text, or the file's id, or the point on the map."""
    if message.text is not None:
        return {"text": message.text}
    content: dict[str, Any] = {}
    if message.caption:
        content["caption"] = message.caption
    if message.photo:
        content["file_id"] = message.photo[-1].file_id
    for media in (
        message.voice,
        message.document,
        message.audio,
        message.video,
        message.video_note,
    ):
        if media is not None:
            content["file_id"] = media.file_id
    if message.location is not None:
        content["location"] = [message.location.latitude, message.location.longitude]
    if message.contact is not None:
        content["phone"] = message.contact.phone_number
    return content


async def relay(
    message: Message, case: Case, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    bot = message.bot
    assert bot is not None  # set by the dispatcher on every update
    relayed = await pass_on(bot, db, desk, case, message, message_content(message))
    if relayed is not Relayed.SENT or room_for_courtesy(bot, message.chat.id):
        await message.answer(i18n.get(_ANSWERS[relayed]))


async def relay_edit(
    message: Message, case: Case, db: AsyncSession, i18n: I18nContext, desk: Desk
) -> None:
    """Her edit of a message already passed on reaches the staff too."""
    link = await link_of_user_message(db, message.chat.id, message.message_id)
    if link is None:
        await message.answer(i18n.get("fallback-edited"))
        return
    assert message.bot is not None  # set by the dispatcher on every update
    await relay_edit_to_staff(
        message.bot,
        db,
        case,
        link,
        message.text or "",
        desk.workspace,
    )
    await message.answer(i18n.get("mother-relayed"))


async def after_handoff_tap(query: CallbackQuery) -> None:
    """A second tap on a step already done (a double tap): nothing more to do."""
    await query.answer()


def setup() -> Router:
    router = Router(name=__name__)
    # Beyond her flood limit a message is kept and relayed with others later (bot/flood.py).
    router.message.middleware(FloodGate(message_content))
    router.message.register(
        relay,
        StateFilter(None, Mother.handed_off),
        Magic(~F.text.startswith("/")),
        Magic(F.content_type.in_(RELAYABLE)),
        with_open_case,
    )
    router.edited_message.register(relay_edit, Magic(F.text), with_open_case)
    router.callback_query.register(
        after_handoff_tap, StateFilter(Mother.handed_off), MotherCb.filter()
    )
    return router
