"""/stats names each status of the foster applications in the staff's language."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.config import Settings
from tests.support.chat import Chat
from tests.support.constants import STAFF_CHAT
from tests.support.foster import submit_application
from tests.support.staff import Workspace

SUBMITTED = {"kk": "• жіберілді — 1", "ru": "• отправлена — 1"}


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_stats_name_application_statuses_in_words(
    chat_with: Callable[..., Chat], workspace: Workspace, settings: Settings, language: str
) -> None:
    dispatcher, _bot = workspace.admin.app
    dispatcher["settings"] = settings.model_copy(update={"staff_language": language})
    await submit_application(chat_with(user_id=8801, language_code="ru"), "ru")
    await workspace.admin.write("/stats")
    shown = "\n".join(
        m.text or "" for m in await workspace.client.messages(STAFF_CHAT) if m.from_bot
    )
    assert SUBMITTED[language] in shown
    assert "submitted" not in shown
