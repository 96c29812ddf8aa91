"""The Bot API methods the emulator serves, one module per family, each validated by aiogram's
method model of the same name."""

from __future__ import annotations

from ..core import Method
from . import (
    bot_settings,
    chats_and_members,
    edits_and_deletes,
    files,
    forum,
    messages,
    updates_and_webhooks,
)
from .common import SERVED

# Imported for their @serves registrations.
FAMILIES = (
    messages,
    edits_and_deletes,
    files,
    forum,
    chats_and_members,
    bot_settings,
    updates_and_webhooks,
)


def all_methods() -> dict[str, Method]:
    """Every served method by its lower-case name (Bot API method names ignore case)."""
    return dict(SERVED)
