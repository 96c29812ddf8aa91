"""The `anabot` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import SettingsError, load_settings
from bot.logs import configure_logging
from bot.services.directory import DirectoryError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anabot", description="anabot: the Ana Uyi Telegram bot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    demo = commands.add_parser("demo", help="try the bot in this terminal, no token needed")
    demo.add_argument(
        "--lang",
        choices=["kk", "ru", "en"],
        default=None,
        help="the language of the person you play (default: you choose)",
    )
    demo.add_argument(
        "--script",
        type=Path,
        default=None,
        help="play the lines of FILE instead of reading the keyboard",
    )
    demo.add_argument(
        "--as",
        dest="role",
        choices=["mother", "foster", "staff"],
        default=None,
        help="who you play first (default: you choose; a script starts as the mother)",
    )
    commands.add_parser("migrate", help="bring the database to the latest schema")
    shelters = commands.add_parser("shelters", help="the directory of mothers' houses")
    shelters_commands = shelters.add_subparsers(dest="shelters_command", required=True)
    check = shelters_commands.add_parser("check", help="validate a directory file (YAML or CSV)")
    check.add_argument("file", type=Path, nargs="?", default=None)
    listing = shelters_commands.add_parser("list", help="the houses the bot uses now")
    listing.add_argument("--region", default=None, help="only this region's houses (a code)")
    importing = shelters_commands.add_parser(
        "import", help="validate FILE (YAML or CSV) and make it the directory (SHELTERS_FILE)"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    texts = commands.add_parser("texts", help="the Fluent files of every text")
    texts_commands = texts.add_subparsers(dest="texts_command", required=True)
    texts_check = texts_commands.add_parser(
        "check", help="missing, unused or mismatched texts across kk, ru and en"
    )
    texts_check.add_argument(
        "--locales", type=Path, default=None, help="a copy of bot/locales to check instead"
    )
    places = commands.add_parser("places", help="the gazetteer of Kazakhstan's places")
    places_commands = places.add_subparsers(dest="places_command", required=True)
    build = places_commands.add_parser(
        "build", help="write bot/data/places_kz.json from GeoNames (needs the places extra)"
    )
    build.add_argument("--out", type=Path, default=None, help="write here instead")
    _add_report_commands(commands)
    return parser


def _add_report_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument(
        "--from", dest="since", default=None, help="first day, 2026-11-01 or 01.11.2026"
    )
    period.add_argument("--to", dest="until", default=None, help="last day (default: today)")
    export = commands.add_parser(
        "export", parents=[period], help="cases and applications of a period, as staff /export"
    )
    export.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
    export.add_argument("--out", type=Path, default=None, help="the file to write")
    export.add_argument(
        "--personal", action="store_true", help="add phones, notes and answers (audited)"
    )
    stats = commands.add_parser("stats", parents=[period], help="the figures of staff /stats")
    stats.add_argument("--chart", type=Path, default=None, help="also write the chart (PNG)")
    report = commands.add_parser(
        "report",
        parents=[period],
        help="the foundation's report: outcomes, times, applications (XLSX and a charts page)",
    )
    report.add_argument("--year", type=int, default=None, help="a calendar year, e.g. 2026")
    report.add_argument("--out", type=Path, default=Path("."), help="the folder to write to")
    report.add_argument("--house", default=None, help="one house's cases only (its id)")
    report.add_argument("--chart-format", choices=["png", "pdf"], default="png")


def _shelters(args: argparse.Namespace) -> int:
    from bot.cli.shelters import run_check, run_import, run_list

    if args.shelters_command == "check":
        # Without FILE: the directory the bot would use (SHELTERS_FILE, else the shipped one).
        return run_check(args.file or load_settings().shelters_file)
    if args.shelters_command == "list":
        return run_list(load_settings(), args.region)
    return run_import(load_settings(), args.file, dry_run=args.dry_run)


async def _migrate() -> None:
    from storage.db import create_engine
    from storage.migrate import upgrade

    settings = load_settings()
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    print("database is at the latest schema")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "shelters":
            return _shelters(args)
        if args.command in ("export", "stats", "report"):
            from bot.cli.reports import run_export, run_report, run_stats

            settings = load_settings()
            if args.command == "report":
                return run_report(
                    settings,
                    year=args.year,
                    since=args.since,
                    until=args.until,
                    out=args.out,
                    shelter_id=args.house,
                    chart_format=args.chart_format,
                )
            if args.command == "stats":
                return run_stats(settings, args.since, args.until, chart=args.chart)
            return run_export(
                settings,
                args.since,
                args.until,
                file_format=args.format,
                out=args.out,
                personal=args.personal,
            )
        if args.command == "places":
            from bot.cli.places import run_build

            return run_build(args.out)
        if args.command == "texts":
            from bot.cli.texts import run_texts_check

            return run_texts_check(args.locales) if args.locales else run_texts_check()
        if args.command == "run":
            settings = load_settings()
            settings.require_for_run()
            configure_logging(settings.log_level)
            from bot.runner import run

            asyncio.run(run(settings))
        elif args.command == "migrate":
            configure_logging()
            asyncio.run(_migrate())
        elif args.command == "demo":
            from bot.demo import run_demo

            script_text = args.script.read_text(encoding="utf-8") if args.script else None
            return asyncio.run(run_demo(lang=args.lang, script_text=script_text, role=args.role))
    except SettingsError as error:
        print(f"anabot: {error}", file=sys.stderr)
        return 2
    except DirectoryError as error:
        print("anabot: the directory of houses has problems (SHELTERS_FILE):", file=sys.stderr)
        for problem in error.errors:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
