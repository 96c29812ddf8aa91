"""SQLAlchemy models. Types are dialect-neutral so the same tables run on SQLite and PostgreSQL."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic migrations are the same on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Always-aware UTC datetimes: SQLite forgets the zone, PostgreSQL keeps it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


# Enums are stored as short strings, not native ENUMs: a new value needs no migration.
class CaseKind(enum.StrEnum):
    PREGNANT = "pregnant"
    BABY = "baby"
    OTHER = "other"


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class CaseStatus(enum.StrEnum):
    NEW = "new"
    TAKEN = "taken"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # waiting for the person to answer
    CLOSED = "closed"


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    HOUSE_STAFF = "house_staff"


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONTACTED = "contacted"
    DOCUMENTS = "documents"
    TRAINING = "training"
    HOME_VISIT = "home_visit"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    WITHDRAWN = "withdrawn"


class FollowUpState(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class InboxState(enum.StrEnum):
    RECEIVED = "received"
    DONE = "done"
    # Could not be read as an update: kept by id, its content dropped, never handled.
    POISONED = "poisoned"


class User(Base):
    """A person who wrote to the bot. No names are stored: the Telegram id is enough."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(8))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    referral_source: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None]
    consent_scope: Mapped[str | None] = mapped_column(String(32))
    shared_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A mother's request for help, from triage to closing."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_urgency", "status", "urgency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Null once the person used /forget: the case stays as an anonymous count.
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    # One handoff makes one case, however often its last step is tapped or its update retried.
    dedup_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=CaseKind.OTHER)
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.NORMAL)
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.NEW)
    region: Mapped[str | None] = mapped_column(String(32))
    shelter_id: Mapped[str | None] = mapped_column(String(64))
    triage: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(32))
    contact_way: Mapped[str | None] = mapped_column(String(32))
    contact_time: Mapped[str | None] = mapped_column(String(64))
    shared_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(8))
    referral_source: Mapped[str | None] = mapped_column(String(64))
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    alerted_at: Mapped[datetime | None]
    taken_by: Mapped[int | None] = mapped_column(BigInteger)
    taken_by_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    # What became of her and the child (a code of bot/data/outcomes.yaml); None on a closed
    # case counts as "unknown". Not personal: it stays after /forget and retention.
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_shelter_id: Mapped[str | None] = mapped_column(String(64))
    outcome_at: Mapped[datetime | None]
    outcome_by: Mapped[int | None] = mapped_column(BigInteger)


class Application(Base):
    """A foster family's application, a draft until submitted."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.DRAFT)
    care_form: Mapped[str | None] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    step: Mapped[str | None] = mapped_column(String(32))
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    taken_by: Mapped[int | None] = mapped_column(BigInteger)
    taken_by_name: Mapped[str | None] = mapped_column(String(64))
    training_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]


class MessageLink(Base):
    """A message of the relay: the person's message, what it held, and its copy for staff.

    The content is kept with the case, so a message survives a staff chat that is down; the
    staff side is filled in once the copy is delivered.
    """

    __tablename__ = "message_links"
    __table_args__ = (
        Index("ix_message_links_staff", "staff_chat_id", "staff_message_id"),
        Index("ix_message_links_user", "user_chat_id", "user_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    user_chat_id: Mapped[int] = mapped_column(BigInteger)
    user_message_id: Mapped[int] = mapped_column(BigInteger)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger)
    from_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    # A staff note: it stays in the staff thread and never reaches the person.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16), default="text")
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffPost(Base):
    """A message the bot itself posted in a staff chat that carries a person's words (the
    notice of her edit, a summary of her messages), so /forget and the purge can remove it.
    Her relayed copies are in `message_links`; the cards are found from their case."""

    __tablename__ = "staff_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatMessage(Base):
    """Message ids in a person's private chat, so "clear this chat" knows what to delete."""

    __tablename__ = "chat_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    from_bot: Mapped[bool] = mapped_column(Boolean, default=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Staff(Base):
    __tablename__ = "staff"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16))
    shelter_id: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(64))
    # Replies go out as the foundation; a staff member may choose to add their name.
    sign: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class StaffInvite(Base):
    __tablename__ = "staff_invites"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    shelter_id: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None]


class ShelterRecord(Base):
    """The directory as last imported, so staff tools and reports can see what changed."""

    __tablename__ = "shelters"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(32))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    entry: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FollowUp(Base):
    """A durable scheduled action; the ticker claims due rows, sends, and marks them done."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    target_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=FollowUpState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255))
    unique_key: Mapped[str] = mapped_column(String(128), unique=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[int | None] = mapped_column(Integer)
    application_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class InboxUpdate(Base):
    """Every update received, stored before it is acknowledged; `update_id` makes repeats no-ops."""

    __tablename__ = "inbox_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default=InboxState.RECEIVED)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # The conversation's FSM state and data when the update was first taken up: a replay
    # (after a crash mid-handler) starts from there, not from the state the crash left, unless
    # a later update of the same conversation (`fsm_key`) began since. Both go when it is done.
    fsm_before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    fsm_key: Mapped[str | None] = mapped_column(String(200), index=True)


class FsmRecord(Base):
    """aiogram FSM state and data for one storage key (bot, chat, user, thread, destiny)."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Lease(Base):
    """A named lease, so one instance runs each periodic job."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime]
