"""Hand-edited YAML data files (houses, regions, help lines, outcomes): the field types they
share (a text in each language, coordinates, a code's format), strict reading, validation of
every entry, and pydantic's errors turned into lines a person can act on.

All mistakes are reported at once, each naming the file, the entry and the field: an operator
fixing a file one error per run gives up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

M = TypeVar("M", bound=BaseModel)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"  # the shipped files

# Kazakhstan's bounding box, a little wider than the border. The two ranges share only 46..56,
# so a swapped pair almost always puts the latitude out of range and is caught.
LAT_MIN, LAT_MAX = 40.0, 56.0
LON_MIN, LON_MAX = 46.0, 88.0


def _check_lat(value: float) -> float:
    if not LAT_MIN <= value <= LAT_MAX:
        raise ValueError(f"must be between {LAT_MIN:g} and {LAT_MAX:g} (Kazakhstan)")
    return value


def _check_lon(value: float) -> float:
    if not LON_MIN <= value <= LON_MAX:
        raise ValueError(f"must be between {LON_MIN:g} and {LON_MAX:g} (Kazakhstan)")
    return value


def matching(pattern: re.Pattern[str], problem: str) -> AfterValidator:
    """A field check: the text must match `pattern`, else the entry's error says `problem`."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(problem)
        return value

    return AfterValidator(check)


Latitude = Annotated[float, AfterValidator(_check_lat)]
Longitude = Annotated[float, AfterValidator(_check_lon)]


class LocalizedText(BaseModel):
    """A text in Kazakh, Russian and (optionally) English.

    kk and ru are required: they are the languages of the people the bot serves. English falls
    back to Russian because an English reader here most likely reads Russian too.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kk: str
    ru: str
    en: str | None = None

    @field_validator("kk", "ru", "en")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    def get(self, locale: str) -> str:
        """Text for `locale`; an unknown locale or a missing English text gives Russian."""
        if locale == "kk":
            return self.kk
        if locale == "en" and self.en:
            return self.en
        return self.ru

    def variants(self) -> list[str]:
        """Every spelling given, for matching typed text in any language."""
        return [text for text in (self.kk, self.ru, self.en) if text]


class DirectoryError(Exception):
    """A data file is unusable; `errors` holds every problem found, one line each."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        super().__init__("\n".join(self.errors))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key written twice in one mapping (PyYAML keeps the last one
    silently, which would hide a mistake such as two `lat:` lines)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f'key "{key}" appears twice', key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def read_yaml_list(path: Path, key: str) -> list[Any]:
    """Read `key:` (a non-empty list) from a YAML file; raise DirectoryError naming the file
    (and the line, for a syntax error)."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DirectoryError([f"{name}: cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise DirectoryError([f"{name}: the file is not UTF-8 text"]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "syntax error"
        raise DirectoryError([f"{name}: {where}invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise DirectoryError([f"{name}: invalid YAML: {exc}"]) from None
    if data is None:
        raise DirectoryError([f"{name}: the file is empty; expected a `{key}:` list"])
    if not isinstance(data, dict):
        raise DirectoryError([f"{name}: expected a mapping with a `{key}:` list at the top"])
    errors = [f"{name}: unknown top-level key {k!r} (only `{key}:`)" for k in data if k != key]
    if key not in data:
        errors.append(f"{name}: no `{key}:` list")
    elif not isinstance(data[key], list):
        errors.append(f"{name}: `{key}:` must be a list of entries")
    elif not data[key]:
        errors.append(f"{name}: `{key}:` is an empty list; at least one entry is needed")
    if errors:
        raise DirectoryError(errors)
    return list(data[key])


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "enum":
        return f"must be one of {error['ctx']['expected']}, not {error['input']!r}"
    if kind == "model_type":
        # A text written as a plain string instead of one per language.
        return "must be a mapping with kk, ru and (optionally) en"
    return str(error["msg"])


def entry_label(index: int, raw: Any) -> str:
    """'entry 3 (id "karaganda-1")': 1-based, as a person counts the entries in the file."""
    label = f"entry {index + 1}"
    for key in ("id", "code", "number"):
        value = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            return f'{label} ({key} "{value}")'
    return label


def validation_messages(prefix: str, exc: ValidationError, raw: Any) -> list[str]:
    """Turn a pydantic error into lines like 'prefix: lat: must be between 40 and 56'."""
    lines = []
    for error in exc.errors():
        field = _format_loc(tuple(error["loc"]))
        message = _describe(error)
        if field == "lat" and _looks_swapped(raw):
            message += "; lat and lon look swapped"
        lines.append(f"{prefix}: {field}: {message}" if field else f"{prefix}: {message}")
    return lines


def _looks_swapped(raw: Any) -> bool:
    if not isinstance(raw, dict):
        return False
    lat, lon = raw.get("lat"), raw.get("lon")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return False
    return not LAT_MIN <= lat <= LAT_MAX and LAT_MIN <= lon <= LAT_MAX and LON_MIN <= lat <= LON_MAX


def validate_entries(
    path: Path,
    raw_entries: list[Any],
    model: type[M],
    key: str,
    context: dict[str, Any],
    label: Callable[[int, Any], str] = entry_label,
) -> tuple[list[M], list[str]]:
    """Validate every entry, collecting all problems; duplicate keys are problems too.

    `label` names an entry in the messages ("entry 3 (id ...)"; a CSV file says "row 4").
    """
    items: list[M] = []
    errors: list[str] = []
    first_seen: dict[Any, int] = {}
    for index, raw in enumerate(raw_entries):
        prefix = f"{path.name}: {label(index, raw)}"
        if not isinstance(raw, dict):
            errors.append(f"{prefix}: must be a mapping of fields, not {type(raw).__name__}")
            continue
        value = raw.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            if value in first_seen:
                first = label(first_seen[value], raw_entries[first_seen[value]])
                errors.append(
                    f"{prefix}: {key}: duplicate of {first.split(' (')[0]}; "
                    f"each {key} must be unique"
                )
            else:
                first_seen[value] = index
        try:
            items.append(model.model_validate(raw, context=context))
        except ValidationError as exc:
            errors.extend(validation_messages(prefix, exc, raw))
    return items, errors


def load_entries(
    path: Path, key: str, model: type[M], id_key: str, context: dict[str, Any] | None = None
) -> list[M]:
    """Every entry of the `key:` list in a YAML file, validated; DirectoryError lists every
    problem."""
    items, errors = validate_entries(path, read_yaml_list(path, key), model, id_key, context or {})
    if errors:
        raise DirectoryError(errors)
    return items
