"""/chatid in a group: the id to put in the settings, and what is still to set up there."""

from __future__ import annotations

from aiogram import Bot, Dispatcher

from bot.emulator.client import EmulatorClient
from tests.support.constants import ADMIN, STAFF_CHAT

ELSEWHERE = -1001000000555


async def _chatid(app: tuple[Dispatcher, Bot], client: EmulatorClient, chat_id: int) -> str:
    dispatcher, bot = app
    someone = client.user(ADMIN, "Айгерим", language_code="kk")
    await dispatcher.feed_raw_update(bot, await someone.send("/chatid", chat_id=chat_id))
    posts = [m for m in await client.messages(chat_id) if m.from_bot and m.kind != "service"]
    assert posts, "no answer to /chatid"
    return posts[-1].text or ""


async def test_in_the_staff_forum_it_gives_the_id_and_confirms_the_setup(
    app: tuple[Dispatcher, Bot], client: EmulatorClient
) -> None:
    answer = await _chatid(app, client, STAFF_CHAT)
    # The staff's language (ru in the tests' settings), whatever the sender's Telegram says.
    assert f"STAFF_CHAT_ID={STAFF_CHAT}" in answer and f"staff_chat_id: {STAFF_CHAT}" in answer
    assert "✅ Это общая группа сотрудников" in answer
    assert "✅ Темы включены" in answer
    assert "✅ Бот — администратор" in answer
    assert "⚠️" not in answer


async def test_in_a_plain_group_where_the_bot_is_a_member_it_says_what_to_change(
    app: tuple[Dispatcher, Bot], client: EmulatorClient
) -> None:
    await client.create_group(ELSEWHERE, "Дом мамы, Алматы", bot_status="member")
    answer = await _chatid(app, client, ELSEWHERE)
    assert f"STAFF_CHAT_ID={ELSEWHERE}" in answer
    assert "Пока это не группа сотрудников" in answer
    assert "⚠️ Темы выключены" in answer
    assert "⚠️ Сделайте бота администратором" in answer


async def test_in_a_private_chat_it_is_no_setup_command(
    app: tuple[Dispatcher, Bot], client: EmulatorClient
) -> None:
    dispatcher, bot = app
    person = client.user(5077, "Айгуль", language_code="ru")
    await dispatcher.feed_raw_update(bot, await person.send("/chatid"))
    replies = await person.bot_messages()
    assert replies and not any("STAFF_CHAT_ID" in (m.text or "") for m in replies)
