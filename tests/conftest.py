"""Shared fixtures: a migrated database, the emulator, a bot and the real dispatcher; the bot as
a process (`python -m bot run`) against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher

from bot.app import Resources, open_resources
from bot.config import Settings
from bot.emulator.client import EmulatorClient
from bot.emulator.server import Emulator
from tests.support import backends
from tests.support.app import app_settings, start_app, stop_app
from tests.support.chat import Chat
from tests.support.process import BotProcess, run_env


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=["sqlite", "postgres-redis"],
        default="sqlite",
        help="where the `settings` fixture keeps data: SQLite files (default), or a fresh "
        "PostgreSQL database per test (127.0.0.1:5432) with Redis (127.0.0.1:6379) for FSM "
        "state, locks and update dedup; `make test` runs the flow tests both ways",
    )


@pytest.fixture(scope="session")
def postgres_template(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """postgres-redis: one migrated template database; each test gets a copy of it."""
    if request.config.getoption("--backend") != "postgres-redis":
        yield None
        return
    problem = backends.unavailable()
    if problem:
        pytest.skip(problem)
    template = backends.create_template()
    yield template
    backends.drop_database(template)


@pytest.fixture
def settings(tmp_path: Path, postgres_template: str | None) -> Iterator[Settings]:
    base = app_settings(tmp_path / "anabot.db")
    if postgres_template is None:
        yield base
        return
    with backends.database_and_prefix(postgres_template) as (database_url, prefix):
        yield base.model_copy(
            update={
                "database_url": database_url,
                "redis_url": backends.REDIS_URL,
                "redis_prefix": prefix,
            }
        )


@pytest.fixture
async def resources(settings: Settings) -> AsyncIterator[Resources]:
    opened = await open_resources(settings)
    yield opened
    await opened.close()


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def client(emulator: Emulator, settings: Settings) -> AsyncIterator[EmulatorClient]:
    assert settings.bot_token is not None
    async with EmulatorClient(emulator.url, settings.bot_token.get_secret_value()) as emu_client:
        await emu_client.create_group(settings.staff_chat_id or 0, "Staff", is_forum=True)
        yield emu_client


@pytest.fixture
async def app(
    settings: Settings, resources: Resources, emulator: Emulator
) -> AsyncIterator[tuple[Dispatcher, Bot]]:
    settings = settings.model_copy(update={"telegram_api_url": emulator.url})
    dispatcher, bot = await start_app(settings, resources)
    yield dispatcher, bot
    await stop_app(dispatcher, bot)


@pytest.fixture
def chat_with(app: tuple[Dispatcher, Bot], client: EmulatorClient) -> Callable[..., Chat]:
    dispatcher, bot = app

    def make(user_id: int = 5001, language_code: str | None = "ru") -> Chat:
        return Chat(client.user(user_id, "Айгуль", language_code=language_code), dispatcher, bot)

    return make


@pytest.fixture
def bot_env(tmp_path: Path, emulator: Emulator) -> dict[str, str]:
    """The process's environment; a test module overrides it for settings of its own."""
    return run_env(emulator.url, tmp_path)


@pytest.fixture
def bot_process(tmp_path: Path, bot_env: dict[str, str]) -> Iterator[BotProcess]:
    process = BotProcess(bot_env, tmp_path / "bot.log")
    yield process
    process.stop()
    process.assert_no_traceback()
