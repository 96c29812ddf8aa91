"""Settings from the environment and `.env` (the table in DESIGN.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.services.schedule import WorkingHours, parse_working_hours

TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/anabot.db"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one plain line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    redis_prefix: str = Field(default="anabot", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    # How long a person's lock outlives an instance that died holding it (her next step waits).
    redis_lock_timeout: timedelta = timedelta(seconds=60)
    staff_chat_id: int | None = None
    # NoDecode: the table promises a comma-separated list, not the JSON pydantic expects.
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    shelters_file: Path | None = None
    webhook_url: str | None = None
    # Required with WEBHOOK_URL: Telegram sends it back, so a forged update is told apart.
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # Polling mode: /healthz and /metrics on WEBHOOK_HOST:HEALTH_PORT when set (webhook mode
    # serves them beside the webhook).
    health_port: int | None = Field(default=None, ge=1, le=65535)
    # DEBUG, INFO, WARNING or ERROR; at every level the logs carry ids, not what people wrote.
    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    timezone: str = "Asia/Almaty"
    # Follow-up rules and promises to people (durations are settings, so tests can shrink them).
    working_hours: str = "Mon-Fri 09:00-18:00"
    response_minutes: int = Field(default=120, ge=1)
    urgent_response_minutes: int = Field(default=30, ge=1)
    # Retention (README, "Personal data"): a closed case keeps its contact this many days.
    retention_days: int = Field(default=180, ge=1)
    # ...an open case nobody acted on, a decided or withdrawn foster application, a draft
    # application, a conversation left mid-flow (FSM data: a phone typed in a flow she left),
    # the ids of her chat's messages (for /clear), a person with nothing else kept.
    case_idle_keep: timedelta = timedelta(days=180)
    application_keep: timedelta = timedelta(days=180)
    draft_keep: timedelta = timedelta(days=30)
    conversation_keep: timedelta = timedelta(days=30)
    chat_log_keep: timedelta = timedelta(days=30)
    user_keep: timedelta = timedelta(days=180)
    # The operator of personal data named in the consent (Law 94-V art. 8): the foundation's
    # registered name. Unset: "the Ana Uyi foundation" in the person's language.
    operator_name: str | None = Field(default=None, max_length=200)
    # Durations: seconds or ISO 8601 (PT10M). Tests make them seconds.
    escalate_urgent_after: timedelta = timedelta(minutes=10)
    escalate_normal_after: timedelta = timedelta(hours=4)
    escalate_to_coordinators_after: timedelta = timedelta(minutes=30)
    check_in_after: timedelta = timedelta(hours=24)
    follow_up_tick: timedelta = timedelta(seconds=1)
    # A claimed follow-up not finished this long after is taken over by another instance (its
    # claimer died). Longer than any one send may take, flood waits included.
    follow_up_claim_timeout: timedelta = timedelta(minutes=5)
    follow_up_max_attempts: int = Field(default=6, ge=1)
    digest_time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    inbox_keep: timedelta = timedelta(hours=24)
    # An update stored but not finished this long ago is handled by any live instance (its
    # first instance died after the 200; or the database was busy).
    inbox_replay_after: timedelta = timedelta(minutes=2)
    # Updates handled at once by one instance; the rest of a burst waits its turn, stored (the
    # inbox) and in order. Bounds memory and the database's and Redis' connections under a
    # campaign's burst, where every update at once would exhaust them and fail.
    max_concurrent_updates: int = Field(default=64, ge=1)
    staff_language: str = Field(default="ru", pattern="^(kk|ru|en)$")
    # Foster family applications may have their own staff group; else the central one.
    foster_staff_chat_id: int | None = None
    # An outcome "not known yet" is asked about again after this long.
    outcome_follow_up_after: timedelta = timedelta(days=30)
    # In the foundation's report, counts below this are shown as "< N" (no one recognisable).
    report_small_count: int = Field(default=5, ge=1)
    draft_reminder_after: timedelta = timedelta(days=2)
    draft_last_reminder_after: timedelta = timedelta(days=7)
    # Flood control, per person: her first FLOOD_BURST messages at once are relayed one by one,
    # then one each 60/FLOOD_PER_MINUTE seconds; beyond that they are kept and reach the staff
    # gathered in one message once each FLOOD_BATCH_WINDOW (and she gets one notice, not one
    # reply each). Generous for a person writing and sending photos; a flood can't crowd out
    # other mothers in a staff group that takes 20 messages a minute.
    flood_burst: int = Field(default=5, ge=1)
    flood_per_minute: float = Field(default=6, gt=0)
    flood_batch_window: timedelta = timedelta(seconds=60)
    # Telegram's limits for outgoing messages; the scale shrinks every window (tests, demo).
    telegram_per_second: float = Field(default=30, gt=0)
    telegram_private_per_second: float = Field(default=1, gt=0)
    telegram_group_per_minute: float = Field(default=20, gt=0)
    telegram_limits_scale: float = Field(default=1.0, gt=0, le=1)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("bot_token", mode="after")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        head, _, tail = value.get_secret_value().partition(":")
        if not head.isdigit() or not tail:
            raise ValueError("expected the form 123456:ABC... that @BotFather gives")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("webhook_secret", mode="after")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        secret = value.get_secret_value()
        if len(secret) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in secret):
            # What Telegram's setWebhook accepts; said here rather than by Telegram at start.
            raise ValueError("use 1-256 characters: letters A-Z a-z, digits, _ and -")
        return value

    @field_validator("telegram_api_url", "webhook_url", mode="after")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @field_validator("database_url", mode="after")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://host/db")
        return value

    @field_validator("timezone", mode="after")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator(
        "escalate_urgent_after",
        "escalate_normal_after",
        "escalate_to_coordinators_after",
        "check_in_after",
        "outcome_follow_up_after",
        "follow_up_tick",
        "follow_up_claim_timeout",
        "inbox_keep",
        "inbox_replay_after",
        "redis_lock_timeout",
        "case_idle_keep",
        "application_keep",
        "draft_keep",
        "conversation_keep",
        "chat_log_keep",
        "user_keep",
        "flood_batch_window",
        mode="before",
    )
    @classmethod
    def _seconds(cls, value: object) -> object:
        """A plain number in the environment means seconds ("600"); ISO 8601 works too."""
        if isinstance(value, str):
            try:
                return timedelta(seconds=float(value))
            except ValueError:
                return value
        return value

    @field_validator("working_hours", mode="after")
    @classmethod
    def _hours_shape(cls, value: str) -> str:
        parse_working_hours(value)
        return value

    @property
    def hours(self) -> WorkingHours:
        return parse_working_hours(self.working_hours)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_for_run(self) -> None:
        """`run` talks to the real Telegram: it needs a token and the staff group."""
        if self.bot_token is None:
            raise SettingsError("BOT_TOKEN is required for `anabot run` (get one from @BotFather)")
        if self.staff_chat_id is None:
            raise SettingsError("STAFF_CHAT_ID is required for `anabot run` (the staff group's id)")
        if self.webhook_url and self.webhook_secret is None:
            raise SettingsError(
                "WEBHOOK_SECRET is required when WEBHOOK_URL is set "
                "(a long random string of letters, digits, _ and -): without it anyone "
                "could post updates to the webhook"
            )


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one plain line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
