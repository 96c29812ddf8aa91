"""Start-up: `anabot run` loads only what its path uses.

Alembic is for `anabot migrate` (and for a start that finds a migration pending); matplotlib and
openpyxl are for the charts and spreadsheets staff ask for. Each test runs a fresh interpreter,
since this one has long imported all of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storage.migrate import head_revision

HEAVY = "{'matplotlib', 'openpyxl', 'alembic'}"
LOADED = f"sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY})"


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_importing_the_bot_loads_no_alembic_matplotlib_or_openpyxl() -> None:
    code = f"import sys, bot.app, bot.runner; print({LOADED})"
    assert _python(code) == "[]"


def test_a_start_on_a_database_at_the_latest_schema_loads_no_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    start = (
        "import asyncio, sys\n"
        "from bot.app import open_resources\n"
        "from bot.config import Settings\n"
        "async def start():\n"
        f"    resources = await open_resources(Settings(database_url={url!r}))\n"
        "    await resources.close()\n"
        "asyncio.run(start())\n"
        "from sqlalchemy import create_engine, text\n"
        f"with create_engine({url.replace('+aiosqlite', '')!r}).connect() as c:\n"
        "    print(c.execute(text('SELECT version_num FROM alembic_version')).scalar_one())\n"
        f"print({LOADED})\n"
    )
    # A fresh database: the start migrates it, with Alembic.
    first = _python(start).splitlines()
    assert first[0] == head_revision()
    assert "alembic" in first[1]
    # The next start finds it at the latest schema: one query, and Alembic stays unloaded.
    assert _python(start).splitlines() == [head_revision(), "[]"]


def test_the_head_read_from_the_files_is_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revision() == script.get_current_head()
