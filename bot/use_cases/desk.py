"""The desk: the long-lived collaborators every update may need, built once per dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.coordination import Coordination
from bot.services.directory import Directory
from bot.services.hotlines import Hotline
from bot.staff_cards import StaffTexts
from bot.topics import CaseThreads


@dataclass(frozen=True)
class Desk:
    """Put into the dispatcher's data as `desk`: a handler asks for it instead of its parts."""

    settings: Settings
    directory: Directory
    hotlines: list[Hotline]
    case_threads: CaseThreads
    coordination: Coordination
    sessionmaker: async_sessionmaker[AsyncSession]
    staff_texts: StaffTexts  # one staff language per deployment, so built once

    @property
    def central_chat_id(self) -> int:
        """The central staff group (0 when none is set: cases then wait for a house group)."""
        return self.settings.staff_chat_id or 0
