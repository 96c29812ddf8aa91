"""Logs carry ids, never names, phones or message texts, at any level.

Two things put personal data in logs: libraries that print what they send or receive (the
database drivers print SQL parameters: her phone, her note, an applicant's name), and
exception messages (pydantic quotes the value it refused, SQLAlchemy the statement's
parameters, aiogram a response's content). The first are pinned to WARNING; the second are
cut down to their type and traceback frames (the code, not the data) by a filter.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

# Loggers that print parameters or rows below WARNING, whatever the root level says.
QUIET = ("aiosqlite", "sqlalchemy", "asyncpg")
# Where aiogram logs exceptions with their message ("Cause exception while process update").
AIOGRAM = ("aiogram.event", "aiogram.dispatcher", "aiogram.middlewares", "aiogram.webhook")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _without_text(exc_info: ExcInfo) -> str:
    """The traceback as Python prints it, with each exception's message left out."""
    lines = traceback.TracebackException(*exc_info).stack.format()
    kind = exc_info[0]
    chain = []
    cause = exc_info[1].__cause__ or exc_info[1].__context__
    while cause is not None and len(chain) < 5:
        chain.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    tail = f"{kind.__module__}.{kind.__qualname__}"
    if chain:
        tail += f" (from {' <- '.join(chain)})"
    return "Traceback (most recent call last):\n" + "".join(lines) + tail


class NoPersonalText(logging.Filter):
    """Exceptions appear by kind and frames only, in the message's arguments and in the
    traceback: their text may quote what she wrote."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "asyncio" and record.exc_info:
            # "Task exception was never retrieved", then the task's repr with the exception's.
            record.msg, record.args = record.getMessage().split("\n", 1)[0], None
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, BaseException) for a in args):
            record.args = tuple(
                type(a).__name__ if isinstance(a, BaseException) else a for a in args
            )
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = _without_text(record.exc_info)  # type: ignore[arg-type]
        return True


_FILTER = NoPersonalText()


def protect_logs() -> None:
    """Pin the talkative libraries and filter aiogram's exception lines; safe to call again."""
    for name in QUIET:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    for name in AIOGRAM:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def configure_logging(level: str = "INFO") -> None:
    """`anabot run` and `migrate`: one line a record on stderr, every record filtered."""
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)  # every logger's records pass the root's handler
    protect_logs()
    # Alembic announces every plugin at INFO; the operator needs only what changed.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line a tick otherwise
    # "skipped: maximum number of running instances": by design, a long tick is not doubled.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
