"""`anabot texts check`: the Fluent files against each other and against the code.

Editors change texts in bot/locales without reading Python, so this check tells them, in plain
lines, what they broke: a text missing in one language, a `{ $variable }` renamed in one
translation, a text nobody uses any more, or a reference to a text that does not exist.
"""

from __future__ import annotations

import ast as py
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.cli.texts_rules import (
    glossary_problems,
    length_problems,
    load_glossary,
    missing_plural_categories,
)
from bot.i18n import LOCALES_DIR
from bot.services.locale import SUPPORTED_LOCALES

CODE_DIR = Path(__file__).resolve().parent.parent  # bot/
# The Bot API emulator speaks Telegram's JSON, not Fluent: its "language-code"-like literals
# would read as references to texts that do not exist.
SKIPPED_CODE_DIRS = frozenset({"emulator", "locales", "__pycache__"})

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
# The literal start of an id built at run time: "staff-kind-" in f"staff-kind-{case.kind}" or
# "foster-q-" in "foster-q-" + code.
_ID_PREFIX = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-$")
_PLACEHOLDER = "[a-z0-9_-]+"


@dataclass
class Messages:
    """The messages of one language: id -> (file, parsed message), and syntax problems."""

    by_id: dict[str, tuple[Path, ast.Message]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_messages(locales_dir: Path, locale: str) -> Messages:
    """Parse every .ftl file of one language; syntax errors and duplicates become problems."""
    found = Messages()
    folder = locales_dir / locale
    for path in sorted(folder.glob("*.ftl")):
        text = path.read_text(encoding="utf-8")
        resource = FluentParser().parse(text)
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                line = text.count("\n", 0, entry.span.start) + 1 if entry.span else 0
                found.problems.append(
                    f"{_show(path)}:{line}: cannot read this text "
                    f"(syntax error near {entry.content.strip()[:40]!r})"
                )
            elif isinstance(entry, ast.Message):
                name = entry.id.name
                if name in found.by_id:
                    first = _show(found.by_id[name][0])
                    found.problems.append(
                        f"{_show(path)}: {name} is defined twice (also in {first})"
                    )
                else:
                    found.by_id[name] = (path, entry)
    return found


def _referenced(
    message: ast.Message, kind: type[ast.VariableReference | ast.MessageReference]
) -> set[str]:
    """The names of every `kind` node in a message: its value, its variants and attributes."""
    names: set[str] = set()

    class _Collect(Visitor):
        def generic_visit(self, node: ast.BaseNode) -> None:
            if isinstance(node, kind):
                names.add(node.id.name)
            super().generic_visit(node)

    _Collect().visit(message)
    return names


def message_variables(message: ast.Message) -> set[str]:
    """The `{ $name }` variables a message uses, in its value, its variants and attributes."""
    return _referenced(message, ast.VariableReference)


def message_references(message: ast.Message) -> set[str]:
    """Other messages a message includes with `{ other-id }`."""
    return _referenced(message, ast.MessageReference)


@dataclass
class CodeIds:
    """Ids the code names: whole literals, and patterns for ids built at run time."""

    literals: dict[str, str] = field(default_factory=dict)  # id -> "file:line"
    patterns: dict[str, tuple[re.Pattern[str], str]] = field(default_factory=dict)
    # "home_visit"-like spellings: a use when a text has that id, never a claim that one must.
    underscored: set[str] = field(default_factory=set)

    def uses(self, key: str) -> bool:
        return (
            key in self.literals
            or key in self.underscored
            or any(pattern.fullmatch(key) for pattern, _ in self.patterns.values())
        )


def scan_code(code_dir: Path, flows: Iterable[str]) -> CodeIds:
    """String literals in the Python code that are, or begin, a text id of a known flow.

    `flows` are the first words of the ids ("staff", "mother"...): a literal like
    "check-in:12:1" (a follow-up key) or "sqlite+aiosqlite:///" is not a text id.
    """
    prefixes = tuple(f"{flow}-" for flow in flows)
    found = CodeIds()
    for path in sorted(code_dir.rglob("*.py")):
        if SKIPPED_CODE_DIRS.intersection(path.relative_to(code_dir).parts):
            continue
        where = _show(path)
        tree = py.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nodes = list(py.walk(tree))
        # The literal pieces of an f-string are read with it, not as ids of their own.
        pieces = {id(v) for n in nodes if isinstance(n, py.JoinedStr) for v in n.values}
        for node in nodes:
            if isinstance(node, py.JoinedStr):
                _add_fstring(found, node, prefixes, f"{where}:{node.lineno}")
            elif (
                isinstance(node, py.Constant)
                and isinstance(node.value, str)
                and id(node) not in pieces
            ):
                _add_literal(found, node.value, prefixes, f"{where}:{node.lineno}")
    return found


def _add_literal(found: CodeIds, value: str, prefixes: tuple[str, ...], where: str) -> None:
    spelled = value.replace("_", "-")
    if not spelled.startswith(prefixes):
        return
    if "-" not in value:
        # StaffTexts turns "_" into "-" (t("staff_card_title"), enum values such as
        # "home_visit"), so this spelling may name a text; but "staff_chat_id" is a field name
        # and "staff_" a deep-link prefix, so such literals never claim that a text must exist.
        if _KEBAB.match(spelled):
            found.underscored.add(spelled)
    elif _ID_PREFIX.match(value):  # "foster-q-" + code
        pattern = re.compile(re.escape(value) + _PLACEHOLDER)
        found.patterns.setdefault(value + "…", (pattern, where))
    elif _KEBAB.match(spelled):
        found.literals.setdefault(spelled, where)


def _add_fstring(found: CodeIds, node: py.JoinedStr, prefixes: tuple[str, ...], where: str) -> None:
    first = node.values[0] if node.values else None
    if not (isinstance(first, py.Constant) and isinstance(first.value, str)):
        return  # f"{prefix}-x": no literal start, nothing to tell which texts it means
    head = first.value
    if not (head.startswith(prefixes) and _ID_PREFIX.match(head)):
        return
    parts: list[str] = []
    shown: list[str] = []
    for value in node.values:
        if isinstance(value, py.Constant):
            parts.append(re.escape(str(value.value).replace("_", "-")))
            shown.append(str(value.value))
        else:
            parts.append(_PLACEHOLDER)
            shown.append("{…}")
    found.patterns.setdefault("".join(shown), (re.compile("".join(parts)), where))


@dataclass
class TextsReport:
    """Problems by kind, each a line an editor can act on."""

    syntax: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    plurals: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)
    lengths: list[str] = field(default_factory=list)
    keys: int = 0

    @property
    def ok(self) -> bool:
        return not any(problems for _, problems in self.sections())

    def sections(self) -> tuple[tuple[str, list[str]], ...]:
        return (
            ("cannot be read", self.syntax),
            ("missing in a language", self.missing),
            ("variables differ between languages", self.variables),
            ("defined but never used in the code", self.unused),
            ("used but not defined", self.unknown),
            ("plural forms missing a category of the language", self.plurals),
            ("a wrong variant of a glossary term (bot/locales/glossary.yaml)", self.glossary),
            ("too long for a phone screen", self.lengths),
        )

    def lines(self) -> list[str]:
        out: list[str] = []
        for title, problems in self.sections():
            if problems:
                out.append(f"{title} ({len(problems)}):")
                out.extend(f"  {problem}" for problem in problems)
        return out


def check_texts(
    locales_dir: Path = LOCALES_DIR,
    code_dir: Path = CODE_DIR,
    locales: Iterable[str] = SUPPORTED_LOCALES,
) -> TextsReport:
    """Compare the languages with each other and with the code under `code_dir`."""
    report = TextsReport()
    languages = {locale: load_messages(locales_dir, locale) for locale in locales}
    for messages in languages.values():
        report.syntax.extend(messages.problems)
    every = sorted(set().union(*(m.by_id for m in languages.values())))
    report.keys = len(every)

    for key in every:
        absent = [locale for locale, m in languages.items() if key not in m.by_id]
        if absent:
            present = [locale for locale in languages if locale not in absent]
            report.missing.append(
                f"{key}: missing in {', '.join(absent)} (present in {', '.join(present)})"
            )
            continue
        variables = {locale: message_variables(m.by_id[key][1]) for locale, m in languages.items()}
        if len({frozenset(v) for v in variables.values()}) > 1:
            report.variables.append(f"{key}: {_describe_variables(variables)}")

    for messages in languages.values():
        for key, (path, message) in messages.by_id.items():
            for name in sorted(message_references(message) - set(messages.by_id)):
                report.unknown.append(
                    f"{_show(path)}: {key} includes {{ {name} }}, which does not exist"
                )

    _check_words(report, locales_dir, languages)
    if not report.syntax and not report.missing:  # rendering needs every text in place
        report.lengths = length_problems(locales_dir, languages)

    code = scan_code(code_dir, sorted({key.split("-")[0] for key in every}))
    defined = set(every)
    included = set().union(
        *(
            message_references(message)
            for m in languages.values()
            for _, message in m.by_id.values()
        )
    )
    report.unused = [
        f"{key} (in {_file_of(key, languages)})"
        for key in every
        if not code.uses(key) and key not in included
    ]
    report.unknown.extend(
        f"{where}: {key} is not defined in the Fluent files"
        for key, where in code.literals.items()
        if key not in defined
    )
    report.unknown.extend(
        f"{where}: {shown} matches no text in the Fluent files"
        for shown, (pattern, where) in code.patterns.items()
        if not any(pattern.fullmatch(key) for key in defined)
    )
    return report


def _check_words(report: TextsReport, locales_dir: Path, languages: Mapping[str, Messages]) -> None:
    """Plural forms against CLDR, and the glossary's wrong variants."""
    terms = load_glossary(locales_dir / "glossary.yaml")
    for locale, messages in languages.items():
        for key, (path, message) in sorted(messages.by_id.items()):
            for lacking in missing_plural_categories(message, locale):
                report.plurals.append(f"{_show(path)}: {key} has no variant for {lacking}")
            for term in terms:
                if term.locale == locale:
                    report.glossary.extend(
                        f"{_show(path)}: {problem}"
                        for problem in glossary_problems(term, key, path, message)
                    )


def _file_of(key: str, languages: Mapping[str, Messages]) -> str:
    """'staff.ftl' when every language keeps the text in the same file name, as they do."""
    names = sorted({m.by_id[key][0].name for m in languages.values() if key in m.by_id})
    return ", ".join(names)


def _describe_variables(variables: Mapping[str, set[str]]) -> str:
    return "; ".join(
        f"{locale} has {', '.join(f'${n}' for n in sorted(names)) or 'none'}"
        for locale, names in variables.items()
    )


def _show(path: Path) -> str:
    """A path as the operator typed it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_texts_check(locales_dir: Path = LOCALES_DIR, code_dir: Path = CODE_DIR) -> int:
    """Print the report; 1 when anything is wrong, else 0 with a one-line summary."""
    report = check_texts(locales_dir, code_dir)
    if not report.ok:
        for line in report.lines():
            print(line)
        return 1
    languages = ", ".join(SUPPORTED_LOCALES)
    print(
        f"texts are fine: {report.keys} texts in {languages}, all used, same variables, "
        "plurals, glossary and screen lengths checked"
    )
    return 0
