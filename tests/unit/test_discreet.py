"""The shared-phone rule on each kind of request: what a lock screen would show first."""

from __future__ import annotations

from aiogram.methods import CopyMessage, SendMessage, SendPhoto, SendVenue
from aiogram.types import MessageEntity

from bot.middlewares.discreet import discreet, recipient_id

GREETING = "🌸 Hello!\nA new message is below."


def test_a_text_gets_the_two_lines_and_its_entities_still_mark_the_same_words() -> None:
    text = "☎️ 112 — emergency"
    entity = MessageEntity(type="phone_number", offset=3, length=3)
    sent = discreet(SendMessage(chat_id=5, text=text, entities=[entity]), GREETING)
    assert isinstance(sent, SendMessage) and sent.entities is not None
    assert sent.text.startswith(GREETING + "\n\n")
    start = sent.entities[0].offset * 2
    marked = sent.text.encode("utf-16-le")[start : start + 6].decode("utf-16-le")
    assert marked == "112"


def test_a_caption_a_photo_without_one_and_a_venue_show_nothing_of_hers_first() -> None:
    captioned = discreet(SendPhoto(chat_id=5, photo="x", caption="Ана үйі"), GREETING)
    assert isinstance(captioned, SendPhoto) and captioned.caption == GREETING + "\n\nАна үйі"
    bare = discreet(SendPhoto(chat_id=5, photo="x"), GREETING)
    assert isinstance(bare, SendPhoto) and bare.caption == GREETING
    venue = discreet(
        SendVenue(chat_id=5, latitude=1, longitude=2, title="Ана үйі", address="ул. 1"),
        GREETING,
    )
    assert isinstance(venue, SendVenue) and venue.title == "🌸 Hello!"
    copy = CopyMessage(chat_id=5, from_chat_id=-100, message_id=1, caption="фонд")
    copied = discreet(copy, GREETING)
    assert isinstance(copied, CopyMessage) and copied.caption == GREETING + "\n\nфонд"


def test_only_private_chats_are_recipients() -> None:
    assert recipient_id(SendMessage(chat_id=5, text="x")) == 5
    assert recipient_id(SendMessage(chat_id=-1001, text="x")) is None
    assert recipient_id(SendMessage(chat_id="@channel", text="x")) is None
