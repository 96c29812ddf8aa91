"""`anabot shelters check | list | import`: the directory of houses for the operator.

Output is for the person running the server, in plain English. Every problem is one line that
names the file, the entry (or spreadsheet row) and the field, and all are shown at once.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.shelters_csv import column_names, read_csv_entries, row_label
from bot.config import Settings
from bot.services.data_files import DirectoryError, read_yaml_list
from bot.services.directory import (
    SHELTERS_FILE,
    Directory,
    Shelter,
    load_directory,
    summarize,
)
from bot.services.shelter_import import (
    DirectoryChanges,
    compare_shelters,
    dump_directory,
    shelter_data,
    validate_shelters,
)

YAML_SUFFIXES = (".yaml", ".yml")


def read_shelters(path: Path) -> list[Shelter]:
    """Houses from a YAML or CSV file; raises DirectoryError listing every problem."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = read_csv_entries(path)
        shelters, errors = validate_shelters(path, raw, label=row_label)
        errors = column_names(errors)
    elif suffix in YAML_SUFFIXES:
        raw = read_yaml_list(path, "shelters")
        shelters, errors = validate_shelters(path, raw)
    else:
        raise DirectoryError([f"{path.name}: expected a .yaml, .yml or .csv file"])
    if errors:
        raise DirectoryError(errors)
    return shelters


def _print_problems(error: DirectoryError) -> None:
    for problem in error.errors:
        print(problem, file=sys.stderr)


def run_check(file: Path | None) -> int:
    """Validate a directory file, YAML or CSV (default: the shipped one); summarise it."""
    try:
        if file is not None and file.suffix.lower() == ".csv":
            shelters = read_shelters(file)
            directory = Directory(load_directory().regions, shelters)
        else:
            directory = load_directory(file)
    except DirectoryError as error:
        _print_problems(error)
        return 1
    print(summarize(directory))
    return 0


def _current_file(settings: Settings) -> Path:
    return settings.shelters_file or SHELTERS_FILE


def run_list(settings: Settings, region: str | None) -> int:
    """A table of the houses the bot uses now, optionally of one region."""
    try:
        directory = load_directory(settings.shelters_file)
    except DirectoryError as error:
        _print_problems(error)
        return 1
    shelters = directory.shelters
    if region is not None:
        try:
            shelters = directory.by_region(region)
        except KeyError:
            codes = ", ".join(r.code for r in directory.regions)
            print(f"unknown region {region!r}; the codes are: {codes}", file=sys.stderr)
            return 1
    language = settings.staff_language
    rows = [["id", "city", "region", "verified", "staff group", "phones"]]
    rows += [
        [
            shelter.id,
            shelter.city.get(language),
            shelter.region,
            "yes" if shelter.verified else "no",
            str(shelter.staff_chat_id) if shelter.staff_chat_id else "central",
            str(len(shelter.phones)),
        ]
        for shelter in shelters
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    if not shelters:
        print(f"no house in region {region} ({_current_file(settings)})")
        return 0
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(f"{summarize(Directory(directory.regions, shelters))} ({_current_file(settings)})")
    return 0


def changes_lines(changes: DirectoryChanges) -> list[str]:
    """'added: almaty-2' / 'changed: astana-1 (phones, verified)' / 'removed: oral-1'."""
    lines = [f"added: {shelter_id}" for shelter_id in changes.added]
    lines += [
        f"changed: {shelter_id} ({', '.join(fields)})"
        for shelter_id, fields in changes.changed.items()
    ]
    lines += [f"removed: {shelter_id}" for shelter_id in changes.removed]
    return lines or ["no changes"]


def _current_shelters(settings: Settings) -> tuple[list[Shelter], str | None]:
    """The houses the bot uses now, and a note when they cannot be read."""
    path = _current_file(settings)
    if not path.exists():
        return [], f"note: {path} does not exist yet; every house is new"
    try:
        return load_directory(path).shelters, None
    except DirectoryError:
        return [], f"note: {path} has problems (anabot shelters check {path}); compared as empty"


def _houses(count: int) -> str:
    return "1 house" if count == 1 else f"{count} houses"


def _unverified_line(shelters: list[Shelter]) -> str:
    unverified = [shelter for shelter in shelters if not shelter.verified]
    if not unverified:
        return "all houses are verified: their contacts are shown"
    return (
        f"{len(unverified)} of {_houses(len(shelters))} unverified: shown by city only, without "
        "phones or address, until `verified: true`"
    )


def run_import(settings: Settings, file: Path, *, dry_run: bool) -> int:
    """Validate FILE; show what changes against the current directory; write unless a dry run."""
    try:
        shelters = read_shelters(file)
    except DirectoryError as error:
        _print_problems(error)
        print(f"nothing was imported: fix the lines above in {file}", file=sys.stderr)
        return 1
    current, note = _current_shelters(settings)
    changes = compare_shelters(current, shelters)
    if note:
        print(note)
    for line in changes_lines(changes):
        print(line)
    print(_unverified_line(shelters))
    if dry_run:
        print(f"dry run: {_houses(len(shelters))}, all valid; nothing was written")
        return 0
    target = settings.shelters_file
    if target is None:
        print(
            "SHELTERS_FILE is not set: add SHELTERS_FILE=data/shelters.yaml to .env, so the bot "
            "reads the imported directory, and import again; nothing was written",
            file=sys.stderr,
        )
        return 1
    backup, records = asyncio.run(import_shelters(settings, target, shelters, file, changes))
    kept = f"; the previous file is {backup}" if backup else ""
    print(f"imported {_houses(len(shelters))} into {target}{kept}")
    print(f"database: {records}")
    print("restart the bot to use the new directory")
    return 0


def write_directory(target: Path, shelters: list[Shelter], *, source: Path) -> Path | None:
    """Write the directory atomically, keeping the previous file as TARGET.bak."""
    moment = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"Directory of mothers' houses, imported from {source.name} on {moment}.\n"
        "Schema: DESIGN.md, 'Directory of houses'. Check after editing: anabot shelters check"
    )
    text = dump_directory(shelters, header)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = None
    if target.exists():
        backup = target.with_name(target.name + ".bak")
        shutil.copy2(target, backup)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        load_directory(temporary)  # what the bot will read must load, before it replaces
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return backup


async def import_shelters(
    settings: Settings,
    target: Path,
    shelters: list[Shelter],
    source: Path,
    changes: DirectoryChanges,
) -> tuple[Path | None, str]:
    """Record the houses in the `shelters` table and the import in the audit log, and write
    the file before that transaction commits: a file that cannot be written changes nothing."""
    from storage.db import create_engine, create_sessionmaker
    from storage.migrate import upgrade
    from storage.shelters import replace_shelters
    from storage.staff import audit

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            rows = await replace_shelters(session, [shelter_data(s) for s in shelters])
            await audit(
                session,
                None,
                "shelters_import",
                added=changes.added,
                changed=sorted(changes.changed),
                removed=changes.removed,
                unverified=sum(not shelter.verified for shelter in shelters),
            )
            backup = write_directory(target, shelters, source=source)
    finally:
        await engine.dispose()
    summary = f"{len(rows.added)} added, {len(rows.changed)} changed, {len(rows.removed)} removed"
    return backup, summary
