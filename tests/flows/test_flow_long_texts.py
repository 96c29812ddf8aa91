"""Long texts through the relay: whole, in parts Telegram accepts, whatever characters they hold."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import Resources
from bot.emulator.client import BotMessage, EmulatorClient
from storage.models import Case
from tests.support.chat import Chat, one_case
from tests.support.constants import STAFF_CHAT
from tests.support.mother import LABELS, MotherWithCase, handed_off
from tests.support.staff import StaffMember

TELEGRAM_LIMIT = 4096
# Every character here grows when escaped for Telegram's HTML ('"' becomes six characters).
# Just under Telegram's limit on what staff can write, so with the header it takes two parts.
QUOTED = ('«"Он & я" <не> дома»\n' * 200)[:4090]


def _squeezed(text: str) -> str:
    """Parts are cut at line breaks and spaces: compare the words, not the whitespace."""
    return "".join(text.split())


async def _in_topic(client: EmulatorClient, case: Case) -> list[BotMessage]:
    return [m for m in await client.messages(STAFF_CHAT, thread_id=case.thread_id) if m.from_bot]


async def _staff_reply(admin: StaffMember, mother: Chat, case: Case, text: str) -> list[BotMessage]:
    """What reaches her of the staff's reply in her case's topic."""
    before = len(await mother.user.bot_messages())
    await admin.write(text, thread_id=case.thread_id)
    return (await mother.user.bot_messages())[before:]


async def test_a_long_staff_reply_reaches_her_whole_in_parts(
    mother_with_case: MotherWithCase, client: EmulatorClient, admin: StaffMember
) -> None:
    mother, case = await mother_with_case(8501)
    parts = await _staff_reply(admin, mother, case, QUOTED)
    assert len(parts) >= 2 and all(len(p.text) <= TELEGRAM_LIMIT for p in parts)
    header = "💬 Фонд «Ана үйі»:"
    assert parts[0].text.startswith(header)
    received = "".join(p.text for p in parts)[len(header) :]
    assert _squeezed(received) == _squeezed(QUOTED)
    assert not any("не доставлено" in (m.text or "") for m in await _in_topic(client, case))


async def test_her_long_edit_reaches_the_thread_whole(
    mother_with_case: MotherWithCase, client: EmulatorClient
) -> None:
    mother, case = await mother_with_case(8502)
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


async def test_a_note_of_quotes_shows_on_the_card_and_in_her_data(
    chat_with: Callable[..., Chat], client: EmulatorClient, resources: Resources
) -> None:
    note = '"' * 250 + "'" * 250  # at the note's limit, six times longer once escaped
    mother = chat_with(user_id=8503, language_code="ru")
    answer = await handed_off(mother, note=note)
    assert any(LABELS["ru"]["handed"] in (m.text or "") for m in answer)
    case = await one_case(resources)
    card = await client.message(STAFF_CHAT, case.card_message_id)
    assert f"Комментарий: {note}" in card.text
    [mydata] = await mother.send("/mydata")
    assert note in mydata.text


async def test_on_a_shared_phone_every_part_starts_neutral(
    mother_with_case: MotherWithCase, admin: StaffMember
) -> None:
    mother, case = await mother_with_case(8504, "kk", shared=True)
    parts = await _staff_reply(admin, mother, case, "ә " * 2045)
    assert len(parts) == 2 and all(len(p.text) <= TELEGRAM_LIMIT for p in parts)
    assert all(p.text.startswith("🌸 Сәлеметсіз бе!\nЖаңа хабарлама — төменде.\n\n") for p in parts)
    # On a shared phone the "foundation:" header is dropped (it would show on the lock screen).
    assert not any("«Ана үйі»" in p.text for p in parts)
