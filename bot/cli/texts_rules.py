"""Rules of `anabot texts check` about what the texts say, beyond ids and variables.

- A screen fits a phone: each screen in LENGTH_LIMITS is rendered with sample values and must
  stay under its limit.
- A plural select names every CLDR plural category of its language ("2 знаков" was a ru text
  without `few`).
- The glossary (bot/locales/glossary.yaml): a known wrong variant of a key term is named
  ("кәсіби асырап алушы отбасы" reads as adoption; "отбасыға" is ungrammatical).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast
from fluent.syntax.visitor import Visitor

# CLDR cardinal plural categories, used when babel is not installed (fluent.runtime brings it,
# so this is a fallback only): from CLDR's plurals.xml, kk and en have one/other, ru has
# one/few/many/other.
CLDR_PLURALS: dict[str, frozenset[str]] = {
    "kk": frozenset({"one", "other"}),
    "ru": frozenset({"one", "few", "many", "other"}),
    "en": frozenset({"one", "other"}),
}
_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})


def plural_categories(locale: str) -> frozenset[str]:
    """The CLDR cardinal categories of a language: babel's rules when it is there."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - fluent.runtime depends on babel
        return CLDR_PLURALS[locale]
    return frozenset({*Locale.parse(locale).plural_form.tags, "other"})


def missing_plural_categories(message: ast.Message, locale: str) -> list[str]:
    """For each plural select of a message, the categories it lacks ('few, many').

    A select is a plural one when a variant key is a number, or its keys are all categories
    (`[pregnant] … *[other]` is a select on a word; `*[other]` alone is a plural lacking
    `one`). Fluent falls back to the default variant for a category that has no variant of its
    own, so the default stands for "other", CLDR's catch-all; every other category must have
    its own variant.
    """
    required = plural_categories(locale)
    found: list[str] = []

    class _Selects(Visitor):
        def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
            keys = {
                v.key.name if isinstance(v.key, ast.Identifier) else v.key.value
                for v in node.variants
            }
            numeric = any(isinstance(v.key, ast.NumberLiteral) for v in node.variants)
            if numeric or keys & (_CATEGORIES - {"other"}) or keys <= _CATEGORIES:
                lacking = required - keys - {"other"}
                if lacking:
                    found.append(", ".join(sorted(lacking)))
            self.generic_visit(node)

    _Selects().visit(message)
    return found


# ---- the glossary ------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryTerm:
    locale: str
    term: str
    wrong: tuple[str, ...]
    files: tuple[str, ...] = ()  # only these .ftl files ("foster_info.ftl"); all when empty
    why: str = ""


def load_glossary(path: Path) -> list[GlossaryTerm]:
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms: list[GlossaryTerm] = []
    for locale, entries in raw.items():
        for entry in entries or []:
            terms.append(
                GlossaryTerm(
                    locale=str(locale),
                    term=str(entry["term"]),
                    wrong=tuple(str(w) for w in entry.get("wrong", [])),
                    files=tuple(str(f) for f in entry.get("files", [])),
                    why=str(entry.get("why", "")),
                )
            )
    return terms


def message_text(message: ast.Message) -> str:
    """The words of a message (value, variants, attributes), without placeables' names."""
    pieces: list[str] = []

    class _Text(Visitor):
        def visit_TextElement(self, node: ast.TextElement) -> None:
            pieces.append(node.value)

    _Text().visit(message)
    return " ".join(pieces)


def glossary_problems(term: GlossaryTerm, key: str, file: Path, message: ast.Message) -> list[str]:
    if term.files and file.name not in term.files:
        return []
    text = message_text(message)
    problems = []
    for wrong in term.wrong:
        # Whole words only: "отбасыға" must not match inside a longer, correct word.
        pattern = r"(?<![\w-])" + re.escape(wrong) + r"(?![\w-])"
        if re.search(pattern, text, flags=re.IGNORECASE):
            why = f" ({term.why})" if term.why else ""
            problems.append(f"{key}: “{wrong}” → “{term.term}”{why}")
    return problems


# ---- lengths -----------------------------------------------------------------------------


class Renderer:
    """Enough of an I18nContext (`locale`, `get`) to render the screens outside an update."""

    def __init__(self, locales_dir: Path, locale: str) -> None:
        self.locale = locale
        self.bundle = FluentBundle([locale], use_isolating=False)
        for path in sorted((locales_dir / locale).glob("*.ftl")):
            self.bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))

    def get(self, key: str, /, **kwargs: Any) -> str:
        if not self.bundle.has_message(key):
            return key
        message = self.bundle.get_message(key)
        if message.value is None:
            return key
        text, _errors = self.bundle.format_pattern(message.value, kwargs)
        return str(text)


@dataclass(frozen=True)
class LengthLimit:
    """A screen (or one message) and the most characters it may have, rendered."""

    name: str
    limit: int
    render: Callable[[Renderer], Iterable[str]]
    why: str


def _houses(i18n: Renderer) -> Iterable[str]:
    from bot.services.directory import load_directory
    from bot.ui.screens import mother

    found = load_directory().nearest(49.80, 73.09)  # Karaganda: three houses in the shipped list
    yield mother.houses(i18n, found, None).text  # type: ignore[arg-type]
    yield mother.houses(i18n, found, "Қарағанды").text  # type: ignore[arg-type]


def _form_screens(i18n: Renderer) -> Iterable[str]:
    from bot.services.family_forms import FamilyForm
    from bot.ui.callbacks import FormPart
    from bot.ui.screens import foster

    for form in FamilyForm:
        yield foster.form_info(i18n, form).text  # type: ignore[arg-type]
        for part in FormPart:
            yield foster.form_part(i18n, form, part).text  # type: ignore[arg-type]


def _message(key: str, **values: Any) -> Callable[[Renderer], Iterable[str]]:
    def render(i18n: Renderer) -> Iterable[str]:
        yield i18n.get(key, **values)

    return render


# The one table of limits. Characters as Telegram counts them after HTML tags are removed.
LENGTH_LIMITS: tuple[LengthLimit, ...] = (
    LengthLimit(
        "houses list (three houses)",
        450,
        _houses,
        "a frightened woman reads it on a phone: about one screen",
    ),
    LengthLimit(
        "form of care screens (summary, steps, documents)",
        600,
        _form_screens,
        "one phone screen; the rest is behind buttons",
    ),
    LengthLimit("foster-home", 600, _message("foster-home"), "the foster entry: one screen"),
)

_TAG = re.compile(r"<[^>]+>")


def shown_length(text: str) -> int:
    """What she sees: HTML tags do not count, an entity counts as one character."""
    plain = _TAG.sub("", text)
    return len(re.sub(r"&[a-z]+;|&#\d+;", "x", plain))


def length_problems(
    locales_dir: Path, locales: Iterable[str], limits: Iterable[LengthLimit] = LENGTH_LIMITS
) -> list[str]:
    problems: list[str] = []
    for locale in locales:
        renderer = Renderer(locales_dir, locale)
        for limit in limits:
            longest = max((shown_length(t) for t in limit.render(renderer)), default=0)
            if longest > limit.limit:
                problems.append(
                    f"{locale}: {limit.name} is {longest} characters, over its limit of "
                    f"{limit.limit} ({limit.why})"
                )
    return problems
