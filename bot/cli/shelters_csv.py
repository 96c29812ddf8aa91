"""A directory of houses as a spreadsheet (CSV): one row a house, read into the YAML schema.

Foundations keep such lists in Excel or Google Sheets, so a CSV export is accepted as it comes:
a BOM, "," or ";" between cells, "49,80" with a decimal comma, "да"/"иә" for yes.

Columns (the header row names them; any order; empty cells mean "not given"):
    id, name_kk, name_ru, name_en, region, city_kk, city_ru, city_en, lat, lon,
    address_kk, address_ru, address_en, address_public, phones, verified, accepts, hours,
    staff_chat_id, source
`phones` and `accepts` hold several values separated by ";" ("pregnant; newborn").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from bot.services.directory import DirectoryError

TEXT_GROUPS = ("name", "city", "address")
LANGUAGES = ("kk", "ru", "en")
PLAIN_COLUMNS = (
    "id",
    "region",
    "lat",
    "lon",
    "address_public",
    "phones",
    "verified",
    "accepts",
    "hours",
    "staff_chat_id",
    "source",
)
COLUMNS = (
    "id",
    *(f"{group}_{lang}" for group in TEXT_GROUPS for lang in LANGUAGES),
    *PLAIN_COLUMNS[1:],
)
_LIST_COLUMNS = ("phones", "accepts")
_YES = {"да": "true", "иә": "true", "ия": "true"}
_NO = {"нет": "false", "жоқ": "false"}
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_INTEGER = re.compile(r"^-?\d+$")
_TEXT_FIELD = re.compile(r": (name|city|address)\.(kk|ru|en): ")


def row_label(index: int, raw: Any) -> str:
    """'row 3 (id "karaganda-1")': the spreadsheet's row number, the header being row 1."""
    label = f"row {index + 2}"
    shelter_id = raw.get("id") if isinstance(raw, dict) else None
    return f'{label} (id "{shelter_id}")' if isinstance(shelter_id, str) else label


def column_names(lines: list[str]) -> list[str]:
    """'name.kk' in a validation message is the column 'name_kk' in a spreadsheet."""
    return [_TEXT_FIELD.sub(r": \1_\2: ", line) for line in lines]


def read_csv_entries(path: Path) -> list[dict[str, Any]]:
    """Rows as entries of the YAML schema; raises DirectoryError for an unreadable file or
    unknown columns (each row's fields are validated later, all at once)."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except OSError as exc:
        raise DirectoryError([f"{name}: cannot read the file: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError:
        raise DirectoryError(
            [f"{name}: the file is not UTF-8 text (save it as CSV UTF-8)"]
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DirectoryError([f"{name}: the file is empty; expected a header row of columns"])
    # Excel with a Russian or Kazakh locale separates cells with ";".
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    header = [column.strip() for column in reader.fieldnames or []]
    unknown = [column for column in header if column not in COLUMNS]
    errors = [
        f"{name}: unknown column {column!r} (columns: {', '.join(COLUMNS)})" for column in unknown
    ]
    if "id" not in header:
        errors.append(f"{name}: no 'id' column in the header row")
    if errors:
        raise DirectoryError(errors)
    entries = []
    for row in reader:
        cells = {
            (key or "").strip(): value.strip()
            for key, value in row.items()
            if isinstance(value, str) and value.strip()
        }
        if cells:  # a blank line between rows is not a house
            entries.append(_entry(cells))
    if not entries:
        raise DirectoryError([f"{name}: no rows under the header; at least one house is needed"])
    return entries


def _entry(cells: dict[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for column in PLAIN_COLUMNS:
        value = cells.get(column)
        if value is None:
            continue
        if column in _LIST_COLUMNS:
            entry[column] = [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
        elif column in ("lat", "lon"):
            entry[column] = _number(value)
        elif column in ("verified", "address_public"):
            lowered = value.lower()
            entry[column] = _YES.get(lowered, _NO.get(lowered, lowered))
        elif column == "staff_chat_id" and _INTEGER.match(value):
            entry[column] = int(value)
        else:
            entry[column] = value
    for group in TEXT_GROUPS:
        texts = {lang: cells[f"{group}_{lang}"] for lang in LANGUAGES if f"{group}_{lang}" in cells}
        if texts:
            entry[group] = texts
    return entry


def _number(value: str) -> float | str:
    """49.80 or "49,80" as a number, so swapped coordinates are recognised; else the text,
    for the validation to name."""
    try:
        return float(value.replace(",", ".") if _DECIMAL_COMMA.match(value) else value)
    except ValueError:
        return value
