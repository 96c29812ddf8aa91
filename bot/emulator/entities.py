"""Entities and links as Telegram reports and checks them: UTF-16 lengths, tdlib's entity order,
the trimming of a message's text, and tdlib's link check (ported with ``html.py``'s parser)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

# tdlib sorts entities by (offset, -length, type priority); lower priority comes first.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def check_url(url: str) -> str | None:
    """Approximation of tdlib LinkManager::check_link: normalized URL, or None if invalid."""
    if not url or any(ch.isspace() for ch in url):
        return None
    if url.lower().startswith("tg://"):
        return url
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https", "ton", "tonsite"):
        return None
    host = (parts.hostname or "").lower()
    if not _HOST_RE.match(host) or not re.search(r"\.[a-z]{2,}$|\.\d+$", host):
        return None
    if not parts.path:
        url = parts._replace(path="/").geturl()
    return url


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order entities as Telegram does and strip internal keys."""
    out = []
    for ent in entities:
        clean = {k: v for k, v in ent.items() if not k.startswith("_")}
        out.append(clean)
    out.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))
    return out


_TRIM = " \t\r\n"


def finalize_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace like Telegram and shift/clip entities accordingly."""
    stripped_left = text.lstrip(_TRIM)
    lead = utf16_len(text) - utf16_len(stripped_left)
    new_text = stripped_left.rstrip(_TRIM)
    total = utf16_len(new_text)
    out: list[dict[str, Any]] = []
    for ent in entities:
        start = max(ent["offset"] - lead, 0)
        end = min(ent["offset"] + ent["length"] - lead, total)
        if end > start:
            out.append({**ent, "offset": start, "length": end - start})
    return new_text, out
