"""Long texts through the relay: whole, in parts Telegram accepts, whatever characters they hold."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot, Dispatcher

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient
from storage.models import Case
from tests.support.chat import Chat, one_case
from tests.support.constants import ADMIN, STAFF_CHAT
from tests.support.mother import LABELS, at_the_note, handed_off

TELEGRAM_LIMIT = 4096
# Every character here grows when escaped for Telegram's HTML ('"' becomes six characters).
# Just under Telegram's limit on what staff can write, so with the header it takes two parts.
QUOTED = ('«"Он & я" <не> дома»\n' * 200)[:4090]


def _squeezed(text: str) -> str:
    """Parts are cut at line breaks and spaces: compare the words, not the whitespace."""
    return "".join(text.split())


async def _in_topic(client: EmulatorClient, case: Case) -> list[BotMessage]:
    return [m for m in await client.messages(STAFF_CHAT, thread_id=case.thread_id) if m.from_bot]


async def test_a_long_staff_reply_reaches_her_whole_in_parts(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
) -> None:
    mother = chat_with(user_id=8501, language_code="ru")
    await handed_off(mother)
    case = await one_case(resources)
    before = len(await mother.user.bot_messages())
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    dispatcher, bot = app
    await dispatcher.feed_raw_update(
        bot, await admin.send(QUOTED, chat_id=STAFF_CHAT, thread_id=case.thread_id)
    )
    parts = (await mother.user.bot_messages())[before:]
    assert len(parts) >= 2 and all(len(p.text) <= TELEGRAM_LIMIT for p in parts)
    header = "💬 Фонд «Ана үйі»:"
    assert parts[0].text.startswith(header)
    received = "".join(p.text for p in parts)[len(header) :]
    assert _squeezed(received) == _squeezed(QUOTED)
    assert not any("не доставлено" in (m.text or "") for m in await _in_topic(client, case))


async def test_her_long_edit_reaches_the_thread_whole(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    mother = chat_with(user_id=8502, language_code="ru")
    await handed_off(mother)
    case = await one_case(resources)
    sent = await mother.user.send("Я у вокзала")
    await mother.do(sent)
    before = len(await _in_topic(client, case))
    [ack] = await mother.do(await mother.user.edit(sent["message"]["message_id"], QUOTED))
    assert "Передано сотрудникам" in ack.text
    parts = (await _in_topic(client, case))[before:]
    assert len(parts) >= 2 and all(len(p.text) <= TELEGRAM_LIMIT for p in parts)
    header = "✏️ Она исправила сообщение:"
    assert parts[0].text.startswith(header)
    received = "".join(p.text for p in parts)[len(header) :]
    assert _squeezed(received) == _squeezed(QUOTED)


async def _handed_off_with_note(chat: Chat, note: str) -> list[BotMessage]:
    await at_the_note(chat)
    return await chat.send(note)


async def test_a_note_of_quotes_shows_on_the_card_and_in_her_data(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    note = '"' * 250 + "'" * 250  # at the note's limit, six times longer once escaped
    mother = chat_with(user_id=8503, language_code="ru")
    answer = await _handed_off_with_note(mother, note)
    assert any(LABELS["ru"]["handed"] in (m.text or "") for m in answer)
    case = await one_case(resources)
    card = await client.message(STAFF_CHAT, case.card_message_id)
    assert f"Комментарий: {note}" in card.text
    [mydata] = await mother.send("/mydata")
    assert note in mydata.text


async def test_on_a_shared_phone_every_part_starts_neutral(
    chat_with: Callable[..., Chat],
    client: EmulatorClient,
    resources: Resources,
    app: tuple[Dispatcher, Bot],
) -> None:
    mother = chat_with(user_id=8504, language_code="kk")
    await handed_off(mother, "kk", shared=True)
    case = await one_case(resources)
    before = len(await mother.user.bot_messages())
    admin = client.user(ADMIN, "Айгерим", language_code="ru")
    dispatcher, bot = app
    await dispatcher.feed_raw_update(
        bot, await admin.send("ә " * 2045, chat_id=STAFF_CHAT, thread_id=case.thread_id)
    )
    parts = (await mother.user.bot_messages())[before:]
    assert len(parts) == 2 and all(len(p.text) <= TELEGRAM_LIMIT for p in parts)
    assert all(p.text.startswith("🌸 Сәлеметсіз бе!\nЖаңа хабарлама — төменде.\n\n") for p in parts)
    # On a shared phone the "foundation:" header is dropped (it would show on the lock screen).
    assert not any("«Ана үйі»" in p.text for p in parts)
