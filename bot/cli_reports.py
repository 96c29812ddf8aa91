"""`anabot export` and `anabot stats`: the staff /export and /stats, read from DATABASE_URL.

The figures, files and words are those staff get in Telegram (bot/services/reports.py and the
Fluent texts in STAFF_LANGUAGE), so a report made here matches one made in the staff group.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.config import Settings
from bot.i18n import create_core
from bot.services.reports import (
    DEFAULT_DAYS,
    compute_stats,
    export_application_rows,
    export_rows,
    parse_period,
    period_bounds,
    stats_chart,
    stats_text,
    to_csv,
    to_xlsx,
)
from bot.staff_cards import StaffTexts
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import utcnow
from storage.staff import audit

Table = tuple[list[str], list[list[object]]]
_TAG = re.compile(r"</?[a-z]+[^>]*>")


class PeriodError(ValueError):
    """A --from or --to the operator typed cannot be read."""


def period_of(since: str | None, until: str | None, today: date) -> tuple[date, date]:
    """Inclusive dates from --from/--to: both, one (the other is today, or 30 days before
    --to), or neither (the last 30 days, as staff /stats without arguments)."""

    def day(text: str, option: str) -> date:
        parsed = parse_period(text, today)
        if parsed is None or parsed[0] != parsed[1] or not text.strip()[:1].isdigit():
            raise PeriodError(f"{option} {text!r}: write a date as 2026-11-01 or 01.11.2026")
        return parsed[0]

    end = day(until, "--to") if until else today
    start = day(since, "--from") if since else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise PeriodError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    return start, end


def _plain(text: str) -> str:
    """Staff messages are Telegram HTML; a terminal shows the words."""
    return html.unescape(_TAG.sub("", text))


async def stats_report(
    settings: Settings, start: date, end: date, *, chart: bool
) -> tuple[str, bytes | None]:
    """The /stats text in the staff language, and its chart (PNG) when asked for."""
    core = create_core()
    await core.startup()  # reads the Fluent files, as the bot does at its start
    t = StaffTexts(core, settings.staff_language)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        since, until = period_bounds(start, end, settings.tz)
        async with create_sessionmaker(engine)() as session:
            figures = await compute_stats(session, since=since, until=until, zone=settings.tz)
    finally:
        await engine.dispose()
    png = None
    if chart:
        kinds = {kind: t(f"staff-kind-{kind}") for kind in ("pregnant", "baby", "other")}
        png = stats_chart(
            figures,
            title=t("stats-chart-title"),
            week_label=t("stats-chart-week"),
            kind_labels=kinds,
        )
    return _plain(stats_text(figures, lambda key, args: t(key, **args))), png


async def export_tables(
    settings: Settings, start: date, end: date, *, personal: bool
) -> tuple[Table, Table]:
    """Cases and applications created from `start` to `end`, as staff /export makes them."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        since, until = period_bounds(start, end, settings.tz)
        async with create_sessionmaker(engine)() as session, session.begin():
            cases = await export_rows(
                session, since=since, until=until, personal=personal, zone=settings.tz
            )
            applications = await export_application_rows(
                session, since=since, until=until, personal=personal, zone=settings.tz
            )
            # Staff exports are audited; so is the operator's, personal data above all.
            await audit(
                session,
                None,
                "export",
                personal=personal,
                since=start.isoformat(),
                until=end.isoformat(),
                via="cli",
            )
    finally:
        await engine.dispose()
    return cases, applications


def _write_private(path: Path, data: bytes) -> None:
    """Exports hold phones and names: created readable by their owner only (0600), and an
    older file of the same name is made so too before it is overwritten."""
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def write_export(
    cases: Table,
    applications: Table,
    name: str,
    *,
    file_format: str,
    out: Path | None,
) -> list[tuple[Path, str]]:
    """Write the files; returns each file with what it holds."""
    if file_format == "xlsx":
        path = out or Path(f"{name}.xlsx")
        _write_private(path, to_xlsx({"cases": cases, "applications": applications}))
        return [(path, f"{len(cases[1])} cases, {len(applications[1])} applications")]
    # One table a CSV file: the cases in OUT, the applications beside it.
    cases_path = out or Path(f"{name}-cases.csv")
    applications_path = (
        out.with_name(f"{out.stem}-applications.csv") if out else Path(f"{name}-applications.csv")
    )
    _write_private(cases_path, to_csv(*cases))
    _write_private(applications_path, to_csv(*applications))
    return [
        (cases_path, f"{len(cases[1])} cases"),
        (applications_path, f"{len(applications[1])} applications"),
    ]


def _today(settings: Settings) -> date:
    return utcnow().astimezone(settings.tz).date()


def run_stats(
    settings: Settings, since: str | None, until: str | None, *, chart: Path | None
) -> int:
    try:
        start, end = period_of(since, until, _today(settings))
    except PeriodError as error:
        print(f"anabot stats: {error}", file=sys.stderr)
        return 2
    text, png = asyncio.run(stats_report(settings, start, end, chart=chart is not None))
    print(text)
    if chart is not None and png is not None:
        chart.write_bytes(png)
        print(f"\nchart: {chart}")
    return 0


def run_export(
    settings: Settings,
    since: str | None,
    until: str | None,
    *,
    file_format: str,
    out: Path | None,
    personal: bool,
) -> int:
    try:
        start, end = period_of(since, until, _today(settings))
    except PeriodError as error:
        print(f"anabot export: {error}", file=sys.stderr)
        return 2
    cases, applications = asyncio.run(export_tables(settings, start, end, personal=personal))
    name = f"anabot-{start.isoformat()}-{end.isoformat()}"  # as staff /export names its files
    written = write_export(cases, applications, name, file_format=file_format, out=out)
    for path, holds in written:
        print(f"{path}: {holds}, created {start.isoformat()} to {end.isoformat()}")
    if personal:
        print("this export holds personal data: keep it on the foundation's computers only")
    return 0
