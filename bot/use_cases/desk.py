"""The desk: the long-lived collaborators every update may need, in one object.

The dispatcher lays a desk on each update from its data (bot.app), so a setting or the
directory swapped in the dispatcher's data (as tests do) is what the next update sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.services.directory import Directory
from bot.services.hotlines import Hotline
from bot.workspace.cards import StaffTexts
from bot.workspace.case_threads import CaseThreads, Workspace
from storage.coordination import Coordination


@dataclass(frozen=True)
class Desk:
    """In every handler's data as `desk`: a handler asks for it instead of its parts."""

    settings: Settings
    directory: Directory
    hotlines: list[Hotline]
    case_threads: CaseThreads
    staff_texts: StaffTexts  # one staff language per deployment, so built once
    coordination: Coordination  # what instances share: locks, update dedup, rate limits

    @property
    def central_chat_id(self) -> int:
        """The central staff group (0 when none is set: cases then wait for a house group)."""
        return self.settings.staff_chat_id or 0

    @property
    def workspace(self) -> Workspace:
        """What a post into a case's thread needs."""
        return Workspace(self.directory, self.case_threads, self.staff_texts)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], staff_texts: StaffTexts) -> Desk:
        return cls(
            settings=data["settings"],
            directory=data["directory"],
            hotlines=data["hotlines"],
            case_threads=data["case_threads"],
            staff_texts=staff_texts,
            coordination=data["coordination"],
        )
