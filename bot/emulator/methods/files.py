"""Files: sending photos, documents and voice notes (uploads, file ids, URLs) and getFile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.methods import GetFile, SendDocument, SendPhoto, SendVoice

from ..core import Core
from ..params import Upload, given
from ..state import BotState, bad, new_file_id
from .common import caption_into, send, serves, writable_chat

PHOTO_PREFIX = "AgACAgIAAxkDAAI"


def photo_sizes(size: int) -> list[dict[str, Any]]:
    """Three PhotoSize objects like Telegram generates for an uploaded photo."""
    out = []
    for width, height, share in ((90, 67, 0.02), (320, 240, 0.15), (1280, 960, 1.0)):
        fid, fuid = new_file_id(PHOTO_PREFIX)
        out.append(
            {
                "file_id": fid,
                "file_unique_id": fuid,
                "file_size": max(int(size * share), 1),
                "width": width,
                "height": height,
            }
        )
    return out


def _resolve(bot: BotState, m: Any, key: str) -> tuple[str, Any]:
    """A file_id, URL or upload as (file_id, registry record) or ("", Upload)."""
    value = getattr(m, key)
    if isinstance(value, str) and value.startswith("attach://"):
        value = (m.model_extra or {}).get(value[len("attach://") :])
    if value is None:
        raise bad(f"there is no {key} in the request")
    if isinstance(value, Upload):
        return "", value
    value = str(value)
    record = bot.files.get(value)
    if record is not None:
        return value, record
    # Unknown ids and URLs are accepted (lenient): they become a fresh fake file.
    return "", Upload(value.rsplit("/", 1)[-1] or key, "application/octet-stream", 1024)


def _register(bot: BotState, kind: str, obj: Any, ids: list[str]) -> None:
    for file_id in ids:
        bot.files[file_id] = {"kind": kind, "obj": obj}


@serves(SendPhoto)
async def send_photo(emu: Core, bot: BotState, m: SendPhoto) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    file_id, record = _resolve(bot, m, "photo")
    if file_id and record["kind"] == "photo":
        sizes = record["obj"]
    else:
        sizes = photo_sizes(record.size if isinstance(record, Upload) else 50_000)
        _register(bot, "photo", sizes, [s["file_id"] for s in sizes])
    content: dict[str, Any] = {"photo": sizes}
    if m.has_spoiler:
        content["has_media_spoiler"] = True
    raw = caption_into(emu, m, content)
    return send(emu, bot, m, chat, "photo", content, html=raw).data


async def _send_file(
    emu: Core,
    bot: BotState,
    m: Any,
    key: str,
    prefix: str,
    build: Callable[[Upload], dict[str, Any]],
) -> dict[str, Any]:
    chat = writable_chat(emu, bot, m.chat_id)
    file_id, record = _resolve(bot, m, key)
    if file_id and record["kind"] == key:
        obj = record["obj"]
    else:
        upload = record if isinstance(record, Upload) else Upload(key, "", 1024)
        fid, fuid = new_file_id(prefix)
        obj = {"file_id": fid, "file_unique_id": fuid, **build(upload)}
        _register(bot, key, obj, [fid])
        if upload.data is not None:
            bot.files[fid]["data"] = upload.data
    content: dict[str, Any] = {key: obj}
    raw = caption_into(emu, m, content)
    return send(emu, bot, m, chat, key, content, html=raw).data


@serves(SendDocument)
async def send_document(emu: Core, bot: BotState, m: SendDocument) -> dict[str, Any]:
    def build(up: Upload) -> dict[str, Any]:
        ctype = up.content_type or "application/octet-stream"
        return {"file_name": up.filename, "mime_type": ctype, "file_size": up.size}

    return await _send_file(emu, bot, m, "document", "BQACAgIAAxkDAAI", build)


@serves(SendVoice)
async def send_voice(emu: Core, bot: BotState, m: SendVoice) -> dict[str, Any]:
    duration = given(m.duration) or 3

    def build(up: Upload) -> dict[str, Any]:
        return {"duration": duration, "mime_type": "audio/ogg", "file_size": up.size}

    return await _send_file(emu, bot, m, "voice", "AwACAgIAAxkDAAI", build)


@serves(GetFile)
async def get_file(emu: Core, bot: BotState, m: GetFile) -> dict[str, Any]:
    record = bot.files.get(m.file_id)
    if record is None:
        raise bad("wrong file_id or the file is temporarily unavailable")
    obj = record["obj"]
    if isinstance(obj, list):
        obj = next(s for s in obj if s["file_id"] == m.file_id)
    return {
        "file_id": m.file_id,
        "file_unique_id": obj["file_unique_id"],
        "file_size": obj.get("file_size", 0),
        "file_path": f"{record['kind']}s/file_{len(m.file_id) % 97}.bin",
    }
