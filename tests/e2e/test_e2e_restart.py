"""End to end: `anabot run` as a process against the emulator over HTTP, killed and restarted."""

from __future__ import annotations

import pytest

from bot.emulator.server import Emulator
from tests.support.mother import LABELS
from tests.support.process import (
    E2E_STAFF_CHAT,
    START_TIMEOUT,
    BotProcess,
    button,
    choose_foster_answers,
    reach_her_note,
    reach_her_phone,
    serving,
    tap,
)


async def test_kill_mid_conversation_and_restart_continues(
    bot_process: BotProcess, emulator: Emulator
) -> None:
    async with serving(bot_process, emulator.url) as client:
        user = client.user(6001, "Ainur", language_code=None)

        [picker] = await user.ask("/start mother", timeout=START_TIMEOUT)
        assert "Выберите язык" in picker.text

        # SIGKILL while the bot waits for the language: no chance to save anything more.
        await bot_process.restart_settled()

        await user.press(picker, text="🇷🇺 Русский")
        [mother] = await user.wait_reply(after=picker.message_id, timeout=START_TIMEOUT)
        # The deep link's destination was kept in the database across the kill.
        assert "Вы не одна" in mother.text

        [language] = await user.ask("/language")
        await user.press(language, text="🇬🇧 English")
        [switched] = await user.wait_reply(after=language.message_id)
        assert "I will write in English" in switched.text

        await bot_process.restart_settled()
        [help_reply] = await user.ask("/help", timeout=START_TIMEOUT)
        assert "emergency numbers" in help_reply.text  # the choice outlived the process

        commands = await client.commands(language_code="kk", scope={"type": "all_private_chats"})
        assert "Шұғыл көмек нөмірлері" in [c["description"] for c in commands]

    assert await bot_process.terminate() == 0  # SIGTERM: a clean stop


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
async def test_mother_flow_over_http_survives_a_kill_mid_handoff(
    bot_process: BotProcess, emulator: Emulator, lang: str
) -> None:
    words = LABELS[lang]
    async with serving(bot_process, emulator.url) as client:
        user = client.user(6100, "Мадина", language_code=lang)
        await reach_her_phone(user, lang)
        await bot_process.restart_settled()  # between the consent and her phone number
        await reach_her_note(user, lang)
        await button(user, words["no_note"])
        done = await user.ask("Коляска керек / need a pram", timeout=START_TIMEOUT)
        assert words["handed"] in done[-1].text
        cards = await client.wait_for_bot_messages(E2E_STAFF_CHAT, timeout=START_TIMEOUT)
        assert "+77012345678" in cards[0].text
    assert await bot_process.terminate() == 0


async def test_foster_application_over_http_survives_a_kill_mid_form(
    bot_process: BotProcess, emulator: Emulator
) -> None:
    async with serving(bot_process, emulator.url) as client:
        user = client.user(6400, "Айгуль", language_code="ru")
        await user.send("/start foster")
        await tap(user, "📝 Заполнить анкету")
        await user.ask("Айгуль Нурланова", timeout=START_TIMEOUT)
        await user.ask("12.03.1985")
        await bot_process.restart_settled()  # in the middle of the form
        await user.ask("Караганда", timeout=START_TIMEOUT)  # the same step goes on
        await choose_foster_answers(user)
        await user.ask("Хотим, чтобы у ребёнка был дом.")
        await tap(user, "В любое время")
        await tap(user, "📨 Отправить анкету")
        cards = await client.wait_for_bot_messages(E2E_STAFF_CHAT, timeout=START_TIMEOUT)
        assert "Айгуль Нурланова" in cards[-1].text and "+77012345678" in cards[-1].text
    assert await bot_process.terminate() == 0
