"""Telegram HTML parse mode, ported from tdlib's ``parse_html`` (MessageEntity.cpp).

The emulator must refuse exactly what Telegram refuses and with the same description, so the
parser walks UTF-8 bytes (error offsets are byte offsets) while counting UTF-16 code units
(entity offsets are UTF-16, as the Bot API reports them).

One deliberate difference: tdlib keeps a bare ``&`` that starts no known entity as a literal
character. The Bot API documentation says such characters *must* be escaped, and the project
wants its bot to always escape, so by default (``strict_ampersand=True``) the emulator refuses
them with ``Character entity expected at byte offset N``.
"""

from __future__ import annotations

from typing import Any

from .entities import check_url, finalize_text, sort_entities, utf16_len

# Re-exported: the parser's callers and tests use these entity helpers with it.
__all__ = [
    "HtmlParseError",
    "finalize_text",
    "parse_html",
    "sort_entities",
    "utf16_len",
]

_PREFIX = "Bad Request: can't parse entities: "

_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
# tdlib's is_space(): the NUL sentinel at the end of a C string counts as a space.
_SPACE = frozenset(b" \t\r\n\x0b\x0c\x00")
_NAMED = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}


class HtmlParseError(ValueError):
    """Parse failure; ``description`` is the full Bot API description (``Bad Request: ...``)."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.description = _PREFIX + message
        super().__init__(self.description)


def _is_alpha(c: int) -> bool:
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def _is_digit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def _is_hex(c: int) -> bool:
    return _is_digit(c) or 0x41 <= c <= 0x46 or 0x61 <= c <= 0x66


def _decode_entity(b: bytes, pos: int) -> tuple[int, int]:
    """tdlib decode_html_entity: (code point, position after it) or (0, pos) if none."""
    size = len(b)

    def at(i: int) -> int:
        return b[i] if i < size else 0

    end = pos + 1
    res = 0
    if at(pos + 1) == 0x23:  # '#'
        end += 1
        if at(pos + 2) == 0x78:  # 'x'
            end += 1
            while _is_hex(at(end)):
                res = res * 16 + int(chr(at(end)), 16)
                end += 1
                if res >= 0x10FFFF:
                    return 0, pos
        else:
            while _is_digit(at(end)):
                res = res * 10 + at(end) - 0x30
                end += 1
                if res >= 0x10FFFF:
                    return 0, pos
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while _is_alpha(at(end)):
            end += 1
        res = _NAMED.get(b[pos + 1 : end], 0)
        if res == 0:
            return 0, pos
    if at(end) == 0x3B:  # the trailing ';' is optional in tdlib
        end += 1
    return res, end


def _append_cp(out: bytearray, cp: int) -> None:
    if 0xD800 <= cp <= 0xDFFF:
        raise HtmlParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    out.extend(chr(cp).encode("utf-8"))


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML; return (plain text, Bot API MessageEntity dicts).

    Raises HtmlParseError with Telegram's description on malformed input.
    """
    b = text.encode("utf-8", "surrogatepass")
    size = len(b)

    def at(i: int) -> int:
        return b[i] if i < size else 0

    result = bytearray()
    entities: list[dict[str, Any]] = []
    # Stack of open tags: (tag name, argument, utf16 offset, byte position in result).
    nested: list[tuple[str, str, int, int]] = []
    utf16 = 0
    i = 0
    while i < size:
        c = b[i]
        if c == 0x26:  # '&'
            cp, end = _decode_entity(b, i)
            if cp:
                _append_cp(result, cp)
                utf16 += 2 if cp > 0xFFFF else 1
                i = end
                continue
            if strict_ampersand:
                raise HtmlParseError(f"Character entity expected at byte offset {i}")
        if c != 0x3C:  # not '<'
            if c & 0xC0 != 0x80:  # first byte of a UTF-8 sequence
                utf16 += 2 if c >= 0xF0 else 1
            result.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != 0x2F:  # start tag
            while at(i) not in _SPACE and at(i) != 0x3E:
                i += 1
            if at(i) == 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            tag = b[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _TAGS:
                raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument = ""
            while at(i) != 0x3E:
                while at(i) != 0 and at(i) in _SPACE:
                    i += 1
                if at(i) == 0x3E:
                    break
                attr_begin = i
                while at(i) not in _SPACE and at(i) not in (0x3D, 0x3E):
                    i += 1
                attr = b[attr_begin:i].decode("utf-8", "replace")
                if not attr:
                    raise HtmlParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                while at(i) != 0 and at(i) in _SPACE:
                    i += 1
                if at(i) != 0x3D:
                    if tag == "blockquote" and attr == "expandable":
                        # A valueless attribute is only understood for this one case.
                        argument = "1"
                        continue
                    raise HtmlParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin}'
                    )
                i += 1
                while at(i) != 0 and at(i) in _SPACE:
                    i += 1
                if at(i) == 0:
                    raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                value = bytearray()
                if at(i) not in (0x22, 0x27):
                    token_begin = i
                    while _is_alpha(at(i)) or _is_digit(at(i)) or at(i) in (0x2E, 0x2D):
                        i += 1
                    value.extend(b[token_begin:i].lower())
                    if at(i) not in _SPACE and at(i) != 0x3E:
                        raise HtmlParseError(
                            f"Unexpected end of name token at byte offset {token_begin}"
                        )
                else:
                    quote = at(i)
                    i += 1
                    while at(i) != quote and at(i) != 0:
                        if at(i) == 0x26:
                            cp, end = _decode_entity(b, i)
                            if cp:
                                _append_cp(value, cp)
                                i = end
                                continue
                        value.append(b[i])
                        i += 1
                    if at(i) == quote:
                        i += 1
                if at(i) == 0:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
                val = value.decode("utf-8", "replace")
                if tag == "a" and attr == "href":
                    argument = val
                elif tag == "code" and attr == "class" and val.startswith("language-"):
                    argument = val[9:]
                elif tag == "span" and attr == "class" and val.startswith("tg-"):
                    argument = val[3:]
                elif tag == "tg-emoji" and attr == "emoji-id":
                    argument = val
                elif tag == "blockquote" and attr == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            nested.append((tag, argument, utf16, len(result)))
            i += 1  # skip '>'
            continue

        # end tag
        if not nested:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        while at(i) not in _SPACE and at(i) != 0x3E:
            i += 1
        end_name = b[begin + 2 : i].decode("utf-8", "replace").lower()
        while at(i) != 0 and at(i) in _SPACE:
            i += 1
        if at(i) != 0x3E:
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        tag, argument, offset, result_pos = nested.pop()
        if end_name and end_name != tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                f'found "</{end_name}>"'
            )
        i += 1  # skip '>'
        if utf16 > offset:
            _close_entity(entities, tag, argument, offset, utf16 - offset, result[result_pos:])

    if nested:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{nested[-1][0]}"')
    return result.decode("utf-8", "replace"), sort_entities(entities)


def _close_entity(
    entities: list[dict[str, Any]],
    tag: str,
    argument: str,
    offset: int,
    length: int,
    inner: bytes,
) -> None:
    simple = {
        "i": "italic",
        "em": "italic",
        "b": "bold",
        "strong": "bold",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    ent: dict[str, Any] = {"offset": offset, "length": length}
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag in simple:
        ent["type"] = simple[tag]
    elif tag == "blockquote":
        ent["type"] = "expandable_blockquote" if argument else "blockquote"
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0 or int(argument) >= 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        ent.update(type="custom_emoji", custom_emoji_id=argument)
    elif tag == "a":
        url = check_url(argument or inner.decode("utf-8", "replace"))
        if url is None:
            return  # tdlib silently drops links with an invalid URL
        ent.update(type="text_link", url=url)
    elif tag == "pre":
        if same_span and last and last["type"] == "code" and last.get("_lang"):
            last["type"] = "pre"
            last["language"] = last.pop("_lang")
            return
        ent["type"] = "pre"
    elif tag == "code":
        if same_span and last and last["type"] == "pre" and argument:
            last["language"] = argument
            return
        ent["type"] = "code"
        if argument:
            ent["_lang"] = argument  # becomes pre.language if a <pre> closes on the same span
    entities.append(ent)
