"""Telegram HTML parse mode of the emulator, checked against tdlib's own test cases."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.emulator.html import HtmlParseError, finalize_text, parse_html, utf16_len

PREFIX = "Bad Request: can't parse entities: "

# (input, expected description) — byte offsets as tdlib's test suite reports them.
ERRORS = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    (
        "🏟 🏟&lt;<i    aba>",
        'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13',
    ),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    (
        "🏟 🏟&lt;<i>a</em   >",
        'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
    ),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("Hi <foo>", 'Unsupported start tag "foo" at byte offset 3'),
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("x <", "Unclosed start tag at byte offset 2"),
    ("a & b", "Character entity expected at byte offset 2"),
    ("&nbsp;", "Character entity expected at byte offset 0"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
    (
        "&#57311;",
        "Text contains invalid Unicode characters after decoding HTML entities, "
        "check for unmatched surrogate code units",
    ),
]


@pytest.mark.parametrize(("source", "message"), ERRORS)
def test_errors_match_telegram(source: str, message: str) -> None:
    with pytest.raises(HtmlParseError) as info:
        parse_html(source)
    assert info.value.description == PREFIX + message
    assert info.value.message == message


def test_bare_ampersand_allowed_when_lenient() -> None:
    # tdlib itself keeps unknown entities literally; the lenient mode mirrors that.
    assert parse_html("a & b &laquo;", strict_ampersand=False) == ("a & b &laquo;", [])


def ent(type_: str, offset: int, length: int, **extra: str) -> dict[str, object]:
    return {"type": type_, "offset": offset, "length": length, **extra}


OK = [
    ("", "", []),
    ("&lt;&gt;&amp;&quot;&#65;&#x42;&#x1F600;", '<>&"AB😀', []),
    ("&lt no semicolon", "< no semicolon", []),
    ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [ent("italic", 5, 5)]),
    ("➡️ ➡️<strong>➡️ ➡️</strong>", "➡️ ➡️➡️ ➡️", [ent("bold", 5, 5)]),
    ("<u>a</u><ins>b</ins>", "ab", [ent("underline", 0, 1), ent("underline", 1, 1)]),
    (
        "<s>a</s><strike>b</strike><del>c</del>",
        "abc",
        [ent("strikethrough", i, 1) for i in range(3)],
    ),
    (
        "🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>",
        "🏟 🏟🏟 ><🏟",
        [ent("italic", 5, 7), ent("bold", 9, 3)],
    ),
    ("🏟 🏟&lt;<i>🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [ent("italic", 6, 6)]),
    ("<B>x</B>", "x", [ent("bold", 0, 1)]),
    ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
    ("<a href=telegram.org>\t</a>", "\t", [ent("text_link", 0, 1, url="http://telegram.org/")]),
    (
        "<a   href=  'telegram.org?&lt;'   > </a>",
        " ",
        [ent("text_link", 0, 1, url="http://telegram.org/?<")],
    ),
    (
        '<a href="https://ex.com/p?a=1&amp;b=2">x</a>',
        "x",
        [ent("text_link", 0, 1, url="https://ex.com/p?a=1&b=2")],
    ),
    ("<a> </a>", " ", []),
    ("<a>telegram.org </a>", "telegram.org ", []),
    ("<a>telegram.org</a>", "telegram.org", [ent("text_link", 0, 12, url="http://telegram.org/")]),
    ("<a href=asdasd>x</a>", "x", []),
    ("🏟 🏟&lt;<pre  >🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [ent("pre", 6, 6)]),
    ("🏟 🏟&lt;<code >🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [ent("code", 6, 6)]),
    (
        "🏟 🏟&lt;<pre><code>🏟 🏟&lt;</code></>",
        "🏟 🏟<🏟 🏟<",
        [ent("pre", 6, 6), ent("code", 6, 6)],
    ),
    (
        '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</></>',
        "🏟 🏟<🏟 🏟<",
        [ent("pre", 6, 6, language="fift")],
    ),
    (
        '🏟 🏟&lt;<code class="language-fift"><pre>🏟 🏟&lt;</></>',
        "🏟 🏟<🏟 🏟<",
        [ent("pre", 6, 6, language="fift")],
    ),
    (
        '🏟 🏟&lt;<pre><code class="language-fift">🏟 🏟&lt;</> </>',
        "🏟 🏟<🏟 🏟< ",
        [ent("pre", 6, 7), ent("code", 6, 6)],
    ),
    (
        "<code><i><b> </b></i></code><i><b><code> </code></b></i>",
        "  ",
        [
            ent("code", 0, 1),
            ent("bold", 0, 1),
            ent("italic", 0, 1),
            ent("code", 1, 1),
            ent("bold", 1, 1),
            ent("italic", 1, 1),
        ],
    ),
    (
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
        "st",
        [ent("spoiler", 0, 1), ent("spoiler", 1, 1)],
    ),
    ("<blockquote>q</blockquote>", "q", [ent("blockquote", 0, 1)]),
    ("<blockquote expandable>q</blockquote>", "q", [ent("expandable_blockquote", 0, 1)]),
    (
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "👍",
        [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    ),
]


@pytest.mark.parametrize(("source", "text", "entities"), OK)
def test_parses_like_telegram(source: str, text: str, entities: list[dict[str, object]]) -> None:
    assert parse_html(source) == (text, entities)


def test_offsets_are_utf16() -> None:
    text, entities = parse_html("😀<b>é😀</b>")
    assert text == "😀é😀"
    assert entities == [ent("bold", 2, 3)]
    assert utf16_len(text) == 5


def test_finalize_trims_and_clips_entities() -> None:
    text, entities = finalize_text("\n  <x>  \n", [])
    assert text == "<x>"
    text, entities = finalize_text("  ab  ", [ent("bold", 0, 6), ent("italic", 0, 1)])
    assert text == "ab"
    assert entities == [ent("bold", 0, 2)]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escaped_text_round_trips(s: str) -> None:
    assert parse_html(html.escape(s)) == (s, [])
    assert parse_html(html.escape(s, quote=False)) == (s, [])


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from(["b", "i", "u", "s", "code", "pre", "tg-spoiler", "blockquote"]))
def test_escaped_text_in_a_tag_round_trips(s: str, tag: str) -> None:
    text, entities = parse_html(f"x<{tag}>{html.escape(s)}</{tag}>")
    assert text == "x" + s
    if s:
        assert len(entities) == 1
        assert entities[0]["offset"] == 1
        assert entities[0]["length"] == utf16_len(s)
    else:
        assert entities == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&/=\"' abi;#x1"))))
def test_never_crashes_on_garbage(s: str) -> None:
    try:
        parse_html(s)
    except HtmlParseError as exc:
        assert exc.description.startswith(PREFIX)
