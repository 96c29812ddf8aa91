"""Exception text (which may quote her words) stays out of aiogram's and asyncio's log lines."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot.logs import protect_logs
from tests.support.constants import ROOT

HER_WORDS = "Сауле, +77015550101, он снова пришёл"


def test_aiogram_logs_an_exception_by_kind_and_frames(caplog: pytest.LogCaptureFixture) -> None:
    protect_logs()
    caplog.set_level(logging.DEBUG)
    try:
        raise ValueError(HER_WORDS)  # what pydantic or SQLAlchemy put in their messages
    except ValueError as error:
        # aiogram's own line when a handler's exception escapes (dispatcher.py)
        logging.getLogger("aiogram.event").exception(
            "Cause exception while process update id=%d by bot id=%d\n%s: %s",
            7,
            1,
            error.__class__.__name__,
            error,
        )
    [record] = [r for r in caplog.records if r.name == "aiogram.event"]
    assert "update id=7" in caplog.text and "ValueError" in caplog.text
    assert "test_logs.py" in caplog.text  # the frames stay: where it failed
    assert "+77015550101" not in caplog.text and "Сауле" not in caplog.text
    assert "Сауле" not in record.getMessage()
    for name in ("aiosqlite", "sqlalchemy.engine", "asyncpg"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO)


def test_the_process_logs_a_lost_task_without_its_exception_text() -> None:
    code = f"""
import asyncio, gc
from bot.logs import configure_logging
configure_logging("DEBUG")
async def fails():
    raise ValueError({HER_WORDS!r})
async def main():
    task = asyncio.ensure_future(fails())
    await asyncio.sleep(0.05)
    del task
    gc.collect()
asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "Task exception was never retrieved" in done.stderr
    assert "ValueError" in done.stderr
    assert "+77015550101" not in done.stderr and "Сауле" not in done.stderr
