"""Request parameters: decoding a request's fields and validating them with aiogram's models.

Every Bot API method the emulator serves is validated by aiogram's own method model
(``aiogram.methods.SendMessage`` ...), so parameters arrive typed and a missing or malformed one
gets Telegram's 400 "Bad Request: ..." answer instead of hand-written coercion.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, TypeVar

from aiogram.client.default import Default
from aiogram.methods.base import TelegramMethod
from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiohttp import web
from pydantic import ValidationError

from .state import ApiError, bad

if TYPE_CHECKING:
    from aiogram import Bot

Params = dict[str, Any]
M = TypeVar("M", bound=TelegramMethod[Any])

# Parameters that form data carries as JSON strings (aiogram's session encodes them so).
JSON_PARAMS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "reply_parameters",
        "link_preview_options", "commands", "scope", "allowed_updates", "message_ids", "media",
        "menu_button",
    }
)  # fmt: skip
# Telegram's wording when a required parameter is missing (else "<name> is empty").
MISSING = {
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "file_id": "wrong file_id or the file is temporarily unavailable",
    "photo": "there is no photo in the request",
    "document": "there is no document in the request",
    "voice": "there is no voice in the request",
}
# The reply_markup kinds by the field that names them. Chosen before validation: aiogram's
# ReplyKeyboardRemove defaults remove_keyboard and keeps unknown fields, so a broken inline
# keyboard would otherwise pass as a keyboard removal.
MARKUPS: dict[str, type[Any]] = {
    "inline_keyboard": InlineKeyboardMarkup,
    "keyboard": ReplyKeyboardMarkup,
    "remove_keyboard": ReplyKeyboardRemove,
    "force_reply": ForceReply,
}
# Telegram accepts these absent: setWebhook without a url removes the webhook.
IMPLIED = {"setwebhook": {"url": ""}}
UPLOAD_KEEP = 1 << 20  # uploads up to 1 MiB keep their bytes


class Upload(InputFile):
    """A file sent in a multipart request (an aiogram InputFile, so the method models take it)."""

    def __init__(self, filename: str, content_type: str, size: int, data: bytes | None = None):
        super().__init__(filename)
        self.filename: str = filename
        self.content_type = content_type
        self.size = size
        # The bytes of a small upload (tests read a sent document back, see the control API's
        # `file` read); None for larger ones, which only count their size.
        self.data = data

    async def read(self, bot: Bot) -> AsyncGenerator[bytes, None]:
        yield self.data or b""


def given(value: Any) -> Any:
    """A field's value, or None when aiogram left its `Default(...)` placeholder."""
    return None if isinstance(value, Default) else value


def dump(obj: Any) -> Any:
    """An aiogram object (or list of them) as the Bot API JSON it came from, without the
    fields left unset (None or aiogram's `Default(...)` placeholders)."""
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(exclude_none=True)
    if isinstance(obj, list):
        return [dump(o) for o in obj]
    if isinstance(obj, dict):
        return {k: dump(v) for k, v in obj.items() if not isinstance(v, Default)}
    return obj


def _decoded(params: Params) -> Params:
    """Form data carries everything as strings: decode the JSON ones, drop empty ones."""
    out: Params = {}
    for key, value in params.items():
        if value == "":
            continue  # Telegram treats an empty parameter as an absent one
        if key in JSON_PARAMS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise _unparsable(key) from None
        out[key] = value
    if isinstance(out.get("reply_markup"), dict):
        kind = next((k for k in MARKUPS if k in out["reply_markup"]), None)
        if kind is None:
            raise _unparsable("reply_markup")
        out["reply_markup"] = MARKUPS[kind].model_validate(out["reply_markup"])
    return out


def _unparsable(key: str) -> ApiError:
    if key == "reply_markup":
        return bad("can't parse reply keyboard markup JSON object")
    if key == "reply_parameters":
        return bad("can't parse reply parameters JSON object")
    return bad(f"can't parse {key} JSON object")


def validate(model: type[M], method: str, params: Params) -> M:
    """The request as aiogram's method model; a validation error becomes Telegram's 400."""
    try:
        data = {**IMPLIED.get(method.lower(), {}), **_decoded(params)}
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        if exc.title in {m.__name__ for m in MARKUPS.values()}:
            loc = ["reply_markup", *loc]
        key = loc[0] if loc else "request"
        if error["type"] == "missing" and len(loc) == 1:
            raise bad(MISSING.get(key, f"{key} is empty")) from None
        if "inline_keyboard" in loc:
            raise bad("can't parse inline keyboard button: Text must be a String") from None
        if key in JSON_PARAMS:
            raise _unparsable(key) from None
        raise bad(f"invalid {key} specified") from None


def sanitize(params: Params) -> Params:
    """Params for the call log: uploads become a short description, JSON strings are decoded."""
    out: Params = {}
    for key, value in params.items():
        if isinstance(value, Upload):
            out[key] = f"<file {value.filename} {value.size} bytes>"
        elif key in JSON_PARAMS and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        else:
            out[key] = value
    return out


def json_response(payload: Any, status: int = 200, **headers: str) -> web.Response:
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
        headers=headers or None,
    )


async def read_params(request: web.Request) -> Params:
    """A request's parameters from its query, JSON body or form (uploads become Upload)."""
    params: Params = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad("can't parse JSON object") from None
        if isinstance(body, dict):
            params.update(body)
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                kept = data if len(data) <= UPLOAD_KEEP else None
                params[key] = Upload(value.filename or key, value.content_type, len(data), kept)
            else:
                params[key] = value
    return params
