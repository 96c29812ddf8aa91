"""Danger words: free text from a mother that must raise her case to urgent.

Every step of the flow that accepts free text runs `detect_danger` on it; what the signals
lead to (an alert to staff, help-line numbers) is decided elsewhere. The words themselves,
and the traps they avoid, are in bot/services/danger_lexicon.py, the one reviewed place for
them.

Matching works on a folded form of the normalized text: Kazakh letters folded to their Russian
look-alikes (phones often lack a Kazakh keyboard, "қазір" is typed "казир"), Latin look-alikes
inside Cyrillic words turned Cyrillic ("бiлмеймiн" with a Latin i), and repeated letters squeezed
("помогииите" -> "помогите"). Patterns are folded the same way when compiled, so they are written
in plain, correct spelling. All regexes are compiled once, at import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from bot.services.danger_lexicon import LEXICON, DangerSignal

# ---------------------------------------------------------------------------------------------
# Normalization

# Deleted, not turned into spaces: invisible characters that glue words (zero-width
# non-joiner, joiner, word joiner, byte-order mark, soft hyphen, Mongolian vowel separator);
# combining marks NFKC left over (a dotted "i̇"); apostrophes, so "don't" is "dont" and "b'et"
# is "bet". One regex for all three: every pass over the text costs time. The zero-width
# space separates words, so it becomes a space.
_DELETE = re.compile("[\u200c\u200d\u2060\ufeff\u00ad\u180e\u0300-\u036f'’ʼ`´‘]")
# Anything but a letter, a digit or a space; then runs of spaces collapse (split and join is
# faster than a regex that rewrites every space).
_PUNCTUATION = re.compile(r"[^\w ]")


def normalize(text: str) -> str:
    """Lower-case text with "е" for "ё", Kazakh letters kept, zero-width characters removed,
    punctuation and symbols turned into single spaces, and no leading or trailing space."""
    text = _DELETE.sub("", unicodedata.normalize("NFKC", text).lower())
    text = text.replace("ё", "е").replace("_", " ").replace("\u200b", " ")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


# Kazakh letters to their Russian look-alikes, and Kazakh Latin diacritics to plain Latin: phones
# without a Kazakh keyboard give "казир" for "қазір", and both must meet one pattern.
_FOLD = (
    ("ә", "а"), ("ғ", "г"), ("қ", "к"), ("ң", "н"), ("ө", "о"), ("ұ", "у"), ("ү", "у"),
    ("һ", "х"), ("і", "и"), ("ä", "a"), ("ö", "o"), ("ü", "u"), ("ū", "u"), ("ğ", "g"),
    ("ş", "sh"), ("ç", "ch"), ("ı", "y"), ("ñ", "n"),
)  # fmt: skip
# Latin letters that look Cyrillic, for words typed in a mix of both keyboards.
_LOOKALIKES = str.maketrans("aceikopxyhbmt", "асеикорхунвмт")
_HAS_LATIN = re.compile(r"[a-z]")
_MIXED = re.compile(r"[а-я][a-z]|[a-z][а-я]")
_MIXED_WORD = re.compile(r"\b\w*?(?:[а-я][a-z]|[a-z][а-я])\w*")
# A character written twice or more ("помогииите", "heeelp"); the lookahead lets the regex
# engine skip most positions fast. Digits are squeezed too ("100" -> "10"): cheaper, and no
# pattern depends on a doubled digit.
_REPEATS = re.compile(r"(?=(\w)\1)(.)\2+")
# Doubled letters in a pattern's source, where an escaped letter ("\w") is not a letter.
_PATTERN_REPEATS = re.compile(r"(?<!\\)([^\W\d_])\1+")


def _fold(text: str) -> str:
    for kazakh, plain in _FOLD:
        text = text.replace(kazakh, plain)
    return text


def _demix(match: re.Match[str]) -> str:
    return match.group().translate(_LOOKALIKES)


def _match_form(normalized: str) -> str:
    """The form patterns are matched against: Kazakh folded, mixed words Cyrillic, repeats
    squeezed."""
    text = _fold(normalized)
    # Mixed words are rare and the word-by-word pass is slow: cheap checks first.
    if not text.isascii() and _HAS_LATIN.search(text) and _MIXED.search(text):
        text = _MIXED_WORD.sub(_demix, text)
    return _REPEATS.sub(r"\2", text)


def _fold_pattern(fragment: str) -> str:
    return _PATTERN_REPEATS.sub(r"\1", _fold(fragment.replace("ё", "е")))


def _structure(fragment: str) -> Iterator[tuple[int, str, int]]:
    """The characters of a regex that are not escaped or inside a [...] class, each with its
    index and the parenthesis depth after it ("(" counts itself, ")" has left its group)."""
    depth, in_class, escaped = 0, False, False
    for index, char in enumerate(fragment):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            yield index, char, depth


def _top_level_split(fragment: str) -> list[str]:
    """Split a regex at the "|" that are outside brackets and parentheses."""
    parts, start = [], 0
    for index, char, depth in _structure(fragment):
        if char == "|" and depth == 0:
            parts.append(fragment[start:index])
            start = index + 1
    return [*parts, fragment[start:]]


def _closing_paren(fragment: str) -> int:
    """Index of the ")" closing the "(" at index 0."""
    for index, char, depth in _structure(fragment):
        if char == ")" and depth == 0:
            return index
    raise ValueError(f"unbalanced parentheses in {fragment!r}")


_LEADING_CLASS = re.compile(r"\[([^\]\\^-]+)\]")


def _expand(fragment: str) -> list[str]:
    """Equivalent fragments that each start with a plain letter where that is easy to see:
    "(?:из|по)?бьет" -> "избьет", "побьет", "бьет"; "[qk]azir" -> "qazir", "kazir"."""
    parts = _top_level_split(fragment)
    if len(parts) > 1:
        return [x for part in parts for x in _expand(part)]
    if fragment.startswith("(?:"):
        close = _closing_paren(fragment)
        inner, rest = fragment[3:close], fragment[close + 1 :]
        optional = rest.startswith("?") and not rest.startswith("??")
        if optional:
            rest = rest[1:]
        elif rest[:1] in ("*", "+", "{"):
            return [fragment]
        heads = [*_top_level_split(inner), *([""] if optional else [])]
        if optional and not rest:
            return [fragment]  # the whole fragment may match nothing: keep it as written
        return [x for head in heads for x in _expand(head + rest)]
    leading = _LEADING_CLASS.match(fragment)
    if leading and fragment[leading.end() : leading.end() + 1] not in ("?", "*", "+", "{"):
        rest = fragment[leading.end() :]
        return [x for letter in dict.fromkeys(leading.group(1)) for x in _expand(letter + rest)]
    return [fragment]


def _signal_regex(fragments: list[str]) -> re.Pattern[str]:
    r"""One regex for a signal: every fragment as an alternative, at a word start.

    Fragments are grouped under their first letter ("у(?:бьют|грож\w*)"): the regex engine skips
    an alternative that starts with a wrong letter almost for free, so each word start costs a
    few dozen letter checks instead of hundreds of alternatives.
    """
    by_letter: dict[str, list[str]] = {}
    others: list[str] = []
    for fragment in dict.fromkeys(fragments):
        if fragment[:1].isalnum() and fragment[1:2] not in ("?", "*", "+", "{", ""):
            by_letter.setdefault(fragment[0], []).append(f"(?:{fragment[1:]})")
        else:
            others.append(f"(?:{fragment})")
    grouped = [
        re.escape(letter) + "(?:" + "|".join(rests) + ")" for letter, rests in by_letter.items()
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(grouped + others) + ")")


def _fragments(
    lexicon: Mapping[str, Mapping[DangerSignal, tuple[str, ...]]],
) -> dict[DangerSignal, list[str]]:
    """Each signal's fragments from every language, expanded and folded like the text."""
    fragments: dict[DangerSignal, list[str]] = {signal: [] for signal in DangerSignal}
    for by_signal in lexicon.values():
        for signal, patterns in by_signal.items():
            fragments[signal] += [_fold_pattern(x) for p in patterns for x in _expand(p)]
    return fragments


# Compiled once, at import: detection itself never compiles.
_FRAGMENTS = _fragments(LEXICON)
PATTERNS: Mapping[DangerSignal, re.Pattern[str]] = {
    signal: _signal_regex(parts) for signal, parts in _FRAGMENTS.items() if parts
}
# Every signal's fragments in one regex, grouped by first letter across signals: most messages
# hold no danger, and one pass over them is cheaper than five. Only a message that matches it
# is checked signal by signal.
ANY_PATTERN: re.Pattern[str] = _signal_regex([x for parts in _FRAGMENTS.values() for x in parts])


def detect_danger(text: str) -> frozenset[DangerSignal]:
    """Every danger signal in a mother's free text; empty when there is none.

    Safe on any input (a non-string or empty text gives an empty set).
    """
    if not isinstance(text, str) or not text:
        return frozenset()
    form = _match_form(normalize(text))
    if not form or ANY_PATTERN.search(form) is None:
        return frozenset()
    return frozenset(signal for signal, pattern in PATTERNS.items() if pattern.search(form))


def is_danger(text: str) -> bool:
    """True when the text reveals any danger signal: the case is to be raised to urgent."""
    return bool(detect_danger(text))
