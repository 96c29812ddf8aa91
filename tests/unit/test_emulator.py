"""The Bot API emulator, exercised through a real aiogram Bot over HTTP."""

from __future__ import annotations

import ast
import asyncio
import html
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyParameters,
    Update,
)
from aiohttp import web

from bot.emulator import BotMessage, Emulator, EmulatorClient, EmulatorError, EmulatorTimeout
from bot.emulator.client import UserClient
from tests.support.constants import ROOT
from tests.support.local_server import local_server
from tests.support.requests import FastSession

TOKEN = "123456:TEST-token_abc"
USER = 1001


def make_bot(emulator: Emulator, token: str = TOKEN) -> Bot:
    return Bot(token, session=FastSession(api=TelegramAPIServer.from_base(emulator.url)))


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    b = make_bot(emulator)
    try:
        yield b
    finally:
        await b.session.close()


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.url, TOKEN) as c:
        yield c


@pytest.fixture
async def user(client: EmulatorClient) -> UserClient:
    u = client.user(USER, "Aigerim", username="aigerim")
    await u.send("/start")
    return u


def inline(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t, callback_data=d) for t, d in row] for row in rows
        ]
    )


# --- basics -------------------------------------------------------------------------------


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.first_name == "anabot"
    assert me.username == "anabot_emu_bot"
    assert me.supports_inline_queries is False


async def test_bad_token_and_unknown_method(emulator: Emulator, bot: Bot) -> None:
    await bot.get_me()  # registers the token; the same bot id with another secret is refused
    other = make_bot(emulator, "123456:other-secret")
    with pytest.raises(TelegramUnauthorizedError):
        await other.get_me()
    await other.session.close()
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emulator.url}/botnot-a-token/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{emulator.url}/bot{TOKEN}/noSuchMethod") as resp:
            assert resp.status == 404
            assert (await resp.json())["description"] == "Not Found"


async def test_fixed_token_rejects_others() -> None:
    async with Emulator(bot_token=TOKEN) as emulator:
        assert (await make_bot(emulator).get_me()).id == 123456
        other = make_bot(emulator, "654321:abc")
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
        await other.session.close()


async def test_json_form_and_query_encodings(emulator: Emulator, user: UserClient) -> None:
    base = f"{emulator.url}/bot{TOKEN}"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/sendMessage",
            json={"chat_id": USER, "text": "json", "reply_markup": markup},
        ) as resp:
            body = await resp.json()
            assert body["ok"] and body["result"]["reply_markup"] == markup
        async with http.post(
            f"{base}/sendMessage", data={"chat_id": str(USER), "text": "form"}
        ) as resp:
            assert (await resp.json())["result"]["text"] == "form"
        async with http.get(
            f"{base}/sendMessage", params={"chat_id": USER, "text": "query"}
        ) as resp:
            assert (await resp.json())["result"]["text"] == "query"


async def test_missing_or_malformed_parameters_get_telegrams_400(
    emulator: Emulator, client: EmulatorClient, user: UserClient
) -> None:
    base = f"{emulator.url}/bot{TOKEN}"
    cases = [
        ({"text": "no chat"}, "Bad Request: chat_id is empty"),
        ({"chat_id": str(USER)}, "Bad Request: message text is empty"),
        (
            {"chat_id": str(USER), "text": "x", "message_thread_id": "seven"},
            "Bad Request: invalid message_thread_id specified",
        ),
        (
            {"chat_id": str(USER), "text": "x", "reply_markup": "{not json"},
            "Bad Request: can't parse reply keyboard markup JSON object",
        ),
        (
            {"chat_id": str(USER), "text": "x", "reply_markup": '{"inline_keyboard": [[{}]]}'},
            "Bad Request: can't parse inline keyboard button: Text must be a String",
        ),
        (
            {"chat_id": str(USER), "text": "x", "reply_parameters": '{"chat_id": 1}'},
            "Bad Request: can't parse reply parameters JSON object",
        ),
    ]
    async with aiohttp.ClientSession() as http:
        for form, description in cases:
            async with http.post(f"{base}/sendMessage", data=form) as resp:
                assert resp.status == 400, form
                assert await resp.json() == {
                    "ok": False,
                    "error_code": 400,
                    "description": description,
                }
        async with http.post(f"{base}/sendLocation", json={"chat_id": USER}) as resp:
            assert (await resp.json())["description"] == "Bad Request: latitude is empty"
    logged = await client.calls("sendMessage")
    assert [c["description"] for c in logged] == [d for _, d in cases]
    assert await user.bot_messages() == []


# --- sending and validation ---------------------------------------------------------------


async def test_send_html_and_read_back(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    sent = await bot.send_message(USER, "<b>Hi</b> &amp; <i>bye</i>", parse_mode="HTML")
    assert sent.text == "Hi & bye"
    assert sent.from_user is not None and sent.from_user.id == 123456
    assert sent.chat.id == USER and sent.chat.type == "private"
    assert [e.type for e in sent.entities or []] == ["bold", "italic"]
    assert sent.message_id == 2  # ids are shared with the user's /start

    messages = await client.messages(USER)
    assert [m.from_bot for m in messages] == [False, True]
    last = await user.last_bot_message()
    assert last.text == "Hi & bye"
    assert last.html == "<b>Hi</b> &amp; <i>bye</i>"
    assert last.kind == "text" and not last.deleted and last.edits == 0


async def test_length_limit(bot: Bot, user: UserClient) -> None:
    await bot.send_message(USER, "x" * 4096)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "  <b> </b> ", parse_mode="HTML")


async def test_html_errors(bot: Bot, user: UserClient) -> None:
    with pytest.raises(TelegramBadRequest) as info:
        await bot.send_message(USER, "<b>x", parse_mode="HTML")
    assert info.value.message == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    with pytest.raises(TelegramBadRequest, match="Character entity expected at byte offset 2"):
        await bot.send_message(USER, "a & b", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "foo" at byte offset 5'):
        await bot.send_message(USER, "Hello<foo>", parse_mode="HTML")
    # Without parse_mode the same text is fine, and escaped text always is.
    await bot.send_message(USER, "a & b <b>")
    msg = await bot.send_message(USER, html.escape("a & b <b> \"q\" 'x'"), parse_mode="HTML")
    assert msg.text == "a & b <b> \"q\" 'x'"


async def test_callback_data_limit(bot: Bot, user: UserClient) -> None:
    await bot.send_message(USER, "ok", reply_markup=inline([("A", "x" * 64)]))
    for data in ("x" * 65, "я" * 33, ""):
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(USER, "bad", reply_markup=inline([("A", data)]))


async def test_chat_not_found_and_cannot_initiate(bot: Bot, client: EmulatorClient) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(555, "hi")
    await client.create_group(-1001, "G", members={777: "member"})
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await bot.send_message(777, "hi")


async def test_keyboards_and_reply(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    kb = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="Share phone", request_contact=True)],
            [KeyboardButton(text="Help"), KeyboardButton(text="Where", request_location=True)],
        ],
        resize_keyboard=True,
    )
    msg = await bot.send_message(
        USER, "menu", reply_markup=kb, reply_parameters=ReplyParameters(message_id=1)
    )
    assert msg.reply_markup is None  # Telegram only echoes inline keyboards
    assert msg.reply_to_message is not None and msg.reply_to_message.text == "/start"
    stored = await user.last_bot_message()
    assert stored.buttons() == [["Share phone"], ["Help", "Where"]]
    assert stored.reply_to == 1

    update = await user.press(stored, text="Share phone")
    contact = Update.model_validate(update).message.contact  # type: ignore[union-attr]
    assert contact is not None and contact.user_id == USER
    update = await user.press(stored, text="Help")
    assert update["message"]["text"] == "Help"
    update = await user.press(stored, text="Where")
    assert "location" in update["message"]

    await bot.send_message(USER, "say", reply_markup=ForceReply())
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(USER, "x", reply_parameters=ReplyParameters(message_id=999))
    await bot.send_message(
        USER,
        "x",
        reply_parameters=ReplyParameters(message_id=999, allow_sending_without_reply=True),
    )


async def test_media_location_contact(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    photo = await bot.send_photo(
        USER, BufferedInputFile(b"\x89PNG" * 100, "p.png"), caption="<b>pic</b>", parse_mode="HTML"
    )
    assert photo.photo and len(photo.photo) == 3 and photo.caption == "pic"
    again = await bot.send_photo(USER, photo.photo[-1].file_id)
    assert again.photo and again.photo[-1].file_id == photo.photo[-1].file_id
    doc = await bot.send_document(USER, BufferedInputFile(b"%PDF" * 10, "report.pdf"))
    assert doc.document and doc.document.file_name == "report.pdf" and doc.document.file_size == 40
    voice = await bot.send_voice(USER, BufferedInputFile(b"OggS" * 5, "v.ogg"))
    assert voice.voice and voice.voice.duration > 0
    loc = await bot.send_location(USER, 43.25, 76.95)
    assert loc.location and loc.location.latitude == 43.25
    venue = await bot.send_venue(USER, 43.25, 76.95, "Ana Uyi", "Abay 1")
    assert venue.venue and venue.venue.title == "Ana Uyi"
    contact = await bot.send_contact(USER, "+77010000000", "Manager")
    assert contact.contact and contact.contact.phone_number == "+77010000000"
    kinds = [m.kind for m in await user.bot_messages()]
    assert kinds == ["photo", "photo", "document", "voice", "location", "venue", "contact"]

    copied = await bot.copy_message(USER, USER, photo.message_id, caption="copy")
    stored = (await client.messages(USER))[-1]
    assert stored.message_id == copied.message_id and stored.text == "copy"
    fwd = await bot.forward_message(USER, USER, 1)
    assert fwd.text == "/start" and fwd.forward_origin is not None
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(USER, USER, 999)


async def test_user_media_updates(bot: Bot, user: UserClient) -> None:
    for update in (
        await user.send_photo("look"),
        await user.send_voice(),
        await user.send_document("cv.pdf"),
        await user.send_sticker(),
        await user.send_location(43.2, 76.9),
        await user.send_contact("+77011234567"),
    ):
        parsed = Update.model_validate(update, context={"bot": bot})
        assert parsed.message is not None and parsed.message.from_user is not None
    voice = Update.model_validate(await user.send_voice()).message
    assert voice is not None and voice.voice is not None
    # A file the user sent can be sent back by its file_id.
    echoed = await bot.send_voice(USER, voice.voice.file_id)
    assert echoed.voice is not None and echoed.voice.file_id == voice.voice.file_id


async def test_bot_command_entities(client: EmulatorClient) -> None:
    u = client.user(42, "A")
    update = await u.send("/start@anabot_emu_bot payload and /help https://ex.com")
    entities = update["message"]["entities"]
    assert entities[0] == {"offset": 0, "length": 21, "type": "bot_command"}
    assert {"offset": 34, "length": 5, "type": "bot_command"} in entities
    assert entities[-1]["type"] == "url"
    update = await u.send("no command/here")
    assert "entities" not in update["message"]


# --- getUpdates and webhook ------------------------------------------------------------------


async def test_long_poll_wakes_on_update(bot: Bot, client: EmulatorClient) -> None:
    u = client.user(USER, "A")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)  # let the poll start waiting
    assert not poll.done()
    await u.send("hello")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1.5
    assert len(updates) == 1 and updates[0].message and updates[0].message.text == "hello"

    # Not confirmed yet: served again; then an offset confirms and forgets it.
    again = await bot.get_updates(timeout=0)
    assert [x.update_id for x in again] == [updates[0].update_id]
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    assert await client.pending_update_count() == 0

    for i in range(3):
        await u.send(f"m{i}")
    tail = await bot.get_updates(offset=-1)
    assert [x.message.text for x in tail if x.message] == ["m2"]
    limited = await bot.get_updates(limit=1)
    assert len(limited) == 1


async def test_overlapping_polls_conflict(bot: Bot, emulator: Emulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second_bot = make_bot(emulator)
    second = asyncio.create_task(second_bot.get_updates(timeout=1))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)
    second.cancel()
    await second_bot.session.close()


async def test_allowed_updates_filter(bot: Bot, client: EmulatorClient) -> None:
    u = client.user(USER, "A")
    await bot.get_updates(allowed_updates=["callback_query"], timeout=0)
    await u.send("ignored")
    assert await bot.get_updates(timeout=0) == []
    await bot.get_updates(allowed_updates=[], timeout=0)  # back to the default set
    await u.send("seen")
    assert len(await bot.get_updates(timeout=0)) == 1


class Receiver:
    """A tiny webhook endpoint answering the given statuses in turn (then 200)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.got: list[tuple[dict[str, Any], str | None]] = []
        self.arrived = asyncio.Event()
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            self.got.append((await request.json(), secret))
            self.arrived.set()
        return web.Response(status=status, text="{}")

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.runner.cleanup()


async def test_webhook_push_with_secret(bot: Bot, client: EmulatorClient) -> None:
    u = client.user(USER, "A")
    async with Receiver(statuses=[500, 502]) as rx:
        assert await bot.set_webhook(rx.url, secret_token="s3cr3t", drop_pending_updates=True)
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        first = await u.send("one")
        second = await u.send("two")
        await client.wait_idle(timeout=5)  # confirmed only after the two failures are retried
        assert [g[0]["update_id"] for g in rx.got] == [first["update_id"], second["update_id"]]
        assert {g[1] for g in rx.got} == {"s3cr3t"}
        info = await bot.get_webhook_info()
        assert info.url == rx.url and info.pending_update_count == 0
        assert info.last_error_message and "502" in info.last_error_message
        assert await bot.delete_webhook()
    await bot.get_updates(timeout=0)  # polling works again


async def test_webhook_reply_executes_method(
    bot: Bot, client: EmulatorClient, emulator: Emulator
) -> None:
    u = client.user(USER, "A")
    await u.send("/start")

    async def handle(request: web.Request) -> web.Response:
        update = await request.json()
        chat = update["message"]["chat"]["id"]
        return web.json_response({"method": "sendMessage", "chat_id": chat, "text": "pong"})

    app = web.Application()
    app.router.add_post("/", handle)
    async with local_server(app) as url:
        try:
            await bot.set_webhook(f"{url}/")
            reply = await u.ask("ping", timeout=5)
            assert reply[0].text == "pong"
        finally:
            await bot.delete_webhook()


# --- callback queries -----------------------------------------------------------------------


async def test_press_inline_button(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    sent = await bot.send_message(
        USER, "Choose", reply_markup=inline([("Yes", "ans:yes"), ("No", "ans:no")])
    )
    stored = await user.last_bot_message()
    assert stored.buttons() == [["Yes", "No"]]
    assert stored.button_texts == ["Yes", "No"]
    assert stored.button_data("No") == "ans:no"

    update = Update.model_validate(await user.press(stored, text="Yes"), context={"bot": bot})
    query = update.callback_query
    assert isinstance(query, CallbackQuery)
    assert query.data == "ans:yes" and query.from_user.id == USER
    assert isinstance(query.message, Message) and query.message.message_id == sent.message_id
    assert query.message.reply_markup == sent.reply_markup

    again = await user.press(sent.message_id, data="ans:no")
    assert again["callback_query"]["chat_instance"] == query.chat_instance
    forged = await user.press(stored, data="admin:drop", forge=True)
    assert forged["callback_query"]["data"] == "admin:drop"
    with pytest.raises(EmulatorError, match="no button"):
        await user.press(stored, text="Maybe")
    with pytest.raises(EmulatorError, match="no button"):
        await user.press(stored, data="ans:maybe")

    assert await bot.answer_callback_query(query.id, text="Saved")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("nope")
    answers = {a["id"]: a for a in await client.callback_answers()}
    assert answers[query.id]["text"] == "Saved"


# --- edits and deletion --------------------------------------------------------------------


async def test_edits(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    kb = inline([("A", "a")])
    msg = await bot.send_message(USER, "<b>v1</b>", parse_mode="HTML", reply_markup=kb)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "<b>v1</b>", chat_id=USER, message_id=msg.message_id, parse_mode="HTML", reply_markup=kb
        )
    edited = await bot.edit_message_text("v2", chat_id=USER, message_id=msg.message_id)
    assert isinstance(edited, Message) and edited.text == "v2" and edited.reply_markup is None
    assert edited.edit_date is not None
    await bot.edit_message_reply_markup(chat_id=USER, message_id=msg.message_id, reply_markup=kb)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=msg.message_id, reply_markup=kb
        )
    stored = await client.message(USER, msg.message_id)
    assert stored.text == "v2" and stored.edits == 2 and stored.button_texts == ["A"]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=USER, message_id=1)

    update = await user.edit(1, "/start again")
    assert update["edited_message"]["text"] == "/start again"
    assert "edit_date" in update["edited_message"]


async def test_delete_age_limit(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    old = await bot.send_message(USER, "old")
    await client.set_clock_offset(49 * 3600)
    try:
        with pytest.raises(TelegramBadRequest, match="message can't be deleted for everyone"):
            await bot.delete_message(USER, old.message_id)
        fresh = await bot.send_message(USER, "fresh")
        assert fresh.date.timestamp() > time.time() + 48 * 3600
        assert await bot.delete_message(USER, fresh.message_id)
    finally:
        await client.set_clock_offset(0)
    assert await bot.delete_message(USER, old.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, old.message_id)
    assert [m.deleted for m in await user.bot_messages()] == [True, True]
    assert await bot.delete_messages(USER, [1, 999])


# --- blocking, groups, forum topics ----------------------------------------------------------


async def test_blocked_user(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    await user.block()
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    updates = await bot.get_updates(timeout=0)
    member = updates[-1].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    await user.unblock()
    await bot.send_message(USER, "welcome back")


async def test_group_members_and_kick(bot: Bot, client: EmulatorClient) -> None:
    await client.create_group(
        -100200, "Volunteers", members={1: "creator", 2: "administrator", 3: "member"}
    )
    chat = await bot.get_chat(-100200)
    assert chat.title == "Volunteers" and chat.type == "supergroup"
    assert isinstance(await bot.get_chat_member(-100200, 1), ChatMemberOwner)
    assert isinstance(await bot.get_chat_member(-100200, 2), ChatMemberAdministrator)
    assert isinstance(await bot.get_chat_member(-100200, 3), ChatMemberMember)
    me = await bot.get_chat_member(-100200, 123456)
    assert isinstance(me, ChatMemberAdministrator) and me.can_manage_topics
    with pytest.raises(TelegramBadRequest, match="user not found"):
        await bot.get_chat_member(-100200, 999999)

    member = client.user(3, "Bob")
    update = await member.send("/help@anabot_emu_bot", chat_id=-100200)
    assert update["message"]["chat"]["id"] == -100200
    await client.kick_bot(-100200)
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the supergroup chat"):
        await bot.send_message(-100200, "hi")
    with pytest.raises(EmulatorError):
        await member.send("anyone?", chat_id=-100200)


async def test_ban_unban_and_chat_member_updates(bot: Bot, client: EmulatorClient) -> None:
    await client.create_group(-100210, "Staff", members={1: "creator", 2: "administrator"})
    await bot.get_updates(allowed_updates=["chat_member", "message", "edited_message"], timeout=0)
    dana = client.user(3, "Dana")
    await client.add_member(-100210, dana)
    [joined] = [u.chat_member for u in await bot.get_updates(timeout=0) if u.chat_member]
    assert joined.old_chat_member.status == "left" and joined.new_chat_member.status == "member"
    assert joined.new_chat_member.user.id == 3

    assert await bot.ban_chat_member(-100210, 3)
    assert await client.member_status(-100210, 3) == "kicked"
    assert await bot.unban_chat_member(-100210, 3, only_if_banned=True)
    assert await client.member_status(-100210, 3) == "left"  # out, and free to be invited again
    updates = [u.chat_member for u in await bot.get_updates(timeout=0) if u.chat_member]
    statuses = [(m.old_chat_member.status, m.new_chat_member.status) for m in updates[1:]]
    assert statuses == [("member", "kicked"), ("kicked", "left")]
    # only_if_banned leaves a member who is not banned where she is.
    await client.add_member(-100210, dana)
    assert await bot.unban_chat_member(-100210, 3, only_if_banned=True)
    assert await client.member_status(-100210, 3) == "member"
    with pytest.raises(TelegramBadRequest, match="can't remove chat owner"):
        await bot.ban_chat_member(-100210, 1)
    with pytest.raises(TelegramBadRequest, match="administrator of the chat"):
        await bot.ban_chat_member(-100210, 2)
    await client.create_group(-100211, "No rights", bot_status="member")
    with pytest.raises(TelegramBadRequest, match="not enough rights"):
        await bot.ban_chat_member(-100211, 3)
    await client.kick_bot(-100210)
    with pytest.raises(TelegramForbiddenError, match="bot was kicked"):
        await bot.ban_chat_member(-100210, 3)


async def test_live_location_moves_are_edits_and_documents_keep_small_bytes(
    bot: Bot, client: EmulatorClient, user: UserClient
) -> None:
    update = await user.send_live_location(43.2, 76.9)
    assert update["message"]["location"]["live_period"] == 900
    moved = await user.move_live_location(update["message"]["message_id"], 43.3, 76.8)
    assert moved["edited_message"]["location"]["latitude"] == 43.3
    plain = await user.send_location(43.2, 76.9)
    with pytest.raises(EmulatorError, match="live location"):
        await user.move_live_location(plain["message"]["message_id"], 43.3, 76.8)
    sent = await bot.send_document(USER, BufferedInputFile("все слова".encode(), "words.txt"))
    assert sent.document is not None
    assert await client.file_text(sent.document.file_id) == "все слова"


async def test_forum_topics(bot: Bot, client: EmulatorClient) -> None:
    await client.create_group(-100300, "Forum", is_forum=True, members={5: "member"})
    await client.create_group(-100301, "Plain")
    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.create_forum_topic(-100301, "x")

    topic = await bot.create_forum_topic(-100300, "Family 1")
    assert topic.name == "Family 1" and topic.icon_color == 7322096
    msg = await bot.send_message(-100300, "in topic", message_thread_id=topic.message_thread_id)
    assert msg.message_thread_id == topic.message_thread_id and msg.is_topic_message
    assert msg.reply_to_message is not None and msg.reply_to_message.forum_topic_created

    u = client.user(5, "Dana")
    update = await u.send("reply", chat_id=-100300, thread_id=topic.message_thread_id)
    assert update["message"]["message_thread_id"] == topic.message_thread_id
    in_thread = await client.messages(-100300, thread_id=topic.message_thread_id)
    assert [m.kind for m in in_thread] == ["service", "text", "text"]

    assert await bot.edit_forum_topic(-100300, topic.message_thread_id, name="Family 1a")
    assert await bot.close_forum_topic(-100300, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(-100300, topic.message_thread_id)
    assert await bot.reopen_forum_topic(-100300, topic.message_thread_id)

    await client.delete_topic(-100300, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(-100300, "gone?", message_thread_id=topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(-100300, "never", message_thread_id=9999)

    other = await bot.create_forum_topic(-100300, "Family 2")
    assert await bot.delete_forum_topic(-100300, other.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_chat_action(-100300, "typing", message_thread_id=other.message_thread_id)


# --- faults ----------------------------------------------------------------------------------


async def test_faults(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    await client.inject_fault("sendMessage", "429", retry_after=3)
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(USER, "x")
    assert info.value.retry_after == 3
    assert "retry after 3" in info.value.message
    await bot.send_message(USER, "x")  # the fault was used up

    await client.inject_fault("*", "502", count=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.get_me()
    await bot.get_me()

    await client.inject_fault("sendMessage", "403", chat_id=USER)
    await bot.get_me()  # other methods are not affected
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER, "x")

    await client.inject_fault("getMe", "delay", delay=0.2)
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.2

    await client.inject_fault("getMe", "500", count=5)
    await client.clear_faults()
    await bot.get_me()

    log = await client.calls("sendMessage")
    assert [c["ok"] for c in log] == [False, True, False]
    assert log[0]["error_code"] == 429 and log[1]["params"]["text"] == "x"


# --- commands and misc ---------------------------------------------------------------------


async def test_commands(bot: Bot, client: EmulatorClient) -> None:
    ru = [BotCommand(command="start", description="Начать")]
    kk = [
        BotCommand(command="start", description="Бастау"),
        BotCommand(command="help", description="Көмек"),
    ]
    assert await bot.set_my_commands(ru, language_code="ru")
    assert await bot.set_my_commands(kk, language_code="kk", scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start"]
    assert await bot.get_my_commands() == []
    got = await bot.get_my_commands(language_code="kk", scope=BotCommandScopeAllPrivateChats())
    assert [c.description for c in got] == ["Бастау", "Көмек"]
    assert (await client.commands("ru"))[0]["description"] == "Начать"
    assert len(await client.commands("kk", scope={"type": "all_private_chats"})) == 2
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="bad command", description="x")])
    assert await bot.delete_my_commands(language_code="ru")
    assert await client.commands("ru") == []


async def test_chat_action_and_get_chat(bot: Bot, user: UserClient) -> None:
    assert await bot.send_chat_action(USER, "typing")
    with pytest.raises(TelegramBadRequest):
        await bot.send_chat_action(USER, "dancing")
    chat = await bot.get_chat(USER)
    assert chat.first_name == "Aigerim" and chat.username == "aigerim"


# --- waits and the full loop with a dispatcher -------------------------------------------------


async def test_waits(bot: Bot, client: EmulatorClient, user: UserClient) -> None:
    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(USER, "one")
        await bot.send_message(USER, "two")

    task = asyncio.create_task(reply_later())
    got = await user.wait_reply(count=2, timeout=3)
    await task
    assert [m.text for m in got] == ["one", "two"]
    with pytest.raises(EmulatorTimeout) as info:
        await user.wait_reply(count=3, timeout=0.1)
    assert len(info.value.messages) == 2

    await user.press(got[0].message_id, data="x", forge=True)
    edit = asyncio.create_task(
        bot.edit_message_text("one!", chat_id=USER, message_id=got[0].message_id)
    )
    changed = await user.wait_change(timeout=3)
    await edit
    assert changed[0].text == "one!" and changed[0].edits == 1

    with pytest.raises(EmulatorTimeout):
        await client.wait_idle(timeout=0.1)
    await bot.get_updates(offset=-1)  # forgets all but the newest
    updates = await bot.get_updates()
    await bot.get_updates(offset=updates[-1].update_id + 1)
    await client.wait_idle(timeout=1)


async def test_real_dispatcher_round_trip(emulator: Emulator, client: EmulatorClient) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        kb = inline([("Again", "again")])
        await message.answer(
            f"<b>echo</b> {html.escape(message.text or '')}", parse_mode="HTML", reply_markup=kb
        )

    @dp.callback_query()
    async def again(query: CallbackQuery) -> None:
        await query.answer("ok")
        assert isinstance(query.message, Message)
        await query.message.edit_text("pressed")

    bot = make_bot(emulator)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        u = client.user(USER, "A")
        [reply] = await u.ask("a < b", timeout=5)
        assert reply.text == "echo a < b" and reply.html == "<b>echo</b> a &lt; b"
        await u.press(reply, text="Again")
        [changed] = await u.wait_change(timeout=5)
        assert changed.text == "pressed" and changed.reply_markup is None
        await client.wait_idle(timeout=5)
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)


async def test_cli_prints_url_and_serves() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.emulator",
        "--port",
        "0",
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        url = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http, http.get(f"{url}/bot{TOKEN}/getMe") as resp:
            assert (await resp.json())["result"]["id"] == 123456
    finally:
        proc.terminate()
        assert await asyncio.wait_for(proc.wait(), 60) == 0


async def test_bot_message_helpers() -> None:
    view = {
        "message_id": 1,
        "chat_id": 2,
        "text": "t",
        "html": None,
        "from_bot": True,
        "thread_id": None,
        "reply_to": None,
        "deleted": False,
        "edits": 0,
        "reply_markup": {"keyboard": [[{"text": "A"}, {"text": "B"}]]},
        "kind": "text",
        "raw": {},
    }
    msg = BotMessage.from_view(view)
    assert msg.buttons() == [["A", "B"]] and not msg.is_inline
    with pytest.raises(KeyError):
        msg.button_data("A")


# --- structure ---------------------------------------------------------------------------------


EMULATOR_SOURCE = ROOT / "bot" / "emulator"


def _emulator_imports(root: Path = EMULATOR_SOURCE) -> dict[str, set[str]]:
    """Every import between the emulator's modules, wherever it is written (top level, inside a
    function or under TYPE_CHECKING), except a module's implicit import of its parent packages."""
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = ["bot", "emulator", *path.relative_to(root).with_suffix("").parts]
        package = parts[:-1]  # what a relative import starts from, for __init__ too
        name = ".".join(p for p in parts if p != "__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = [*base, *(node.module.split(".") if node.module else [])]
                found.add(".".join(module))
                found.update(".".join([*module, alias.name]) for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = found
    return {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}


def test_the_emulator_modules_import_no_cycle() -> None:
    graph = _emulator_imports()
    assert "bot.emulator.methods.messages" in graph
    parents = {n: {p for p in graph if n.startswith(p + ".")} for n in graph}
    edges = {n: deps - parents[n] for n, deps in graph.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, "import cycle: " + " -> ".join([*path[path.index(name) :], name])
        if name in done:
            return
        for dep in sorted(edges[name]):
            visit(dep, [*path, name])
        done.add(name)

    for name in sorted(edges):
        visit(name, [])
