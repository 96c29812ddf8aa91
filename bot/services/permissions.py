"""Who may do what, on which cases: the one table every staff command, button and reply obeys.

Read PERMISSIONS as a table: a row per action, a column per role; a cell says on which cases
the role may do it (ALL: every house's; HOUSE: only cases routed to her own house, that is the
case's `shelter_id` equals her `Staff.shelter_id`), or None: not at all.

The staff gate (bot/middlewares/staff_gate.py) refuses a command or button whose action the
role lacks, before any handler runs. Case handlers then load cases only through scoped queries
(storage.cases: `staff_case`, `open_cases`, `find_cases`, `case_by_thread`, `case_by_card`),
with `Access.cases()`: a case outside the scope is never loaded. In a group, the scope is also
narrowed to the cases whose cards are in that group: what a command prints there, everyone in the
group reads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.services.phones import parse_kz_phone
from storage.cases import CaseScope
from storage.models import StaffRole


class Action(enum.StrEnum):
    READ_CASES = "read_cases"  # /queue, /my, /case (card, phone, history), /find
    WORK_CASES = "work_cases"  # sc: buttons (take, status, close, reopen, note, remind),
    # replies and /note in a case's topic, the note and remind-time answers
    APPLICATIONS = "applications"  # sa: buttons, replies under an application card, /training
    REPORTS = "reports"  # /stats, /export without personal data
    EXPORT_PERSONAL = "export_personal"  # /export ... personal
    STAFF_LIST = "staff_list"  # /staff
    MANAGE_STAFF = "manage_staff"  # /invite, /remove
    READ_AUDIT = "read_audit"  # /audit
    OWN_SETTINGS = "own_settings"  # /sign, the staff command help


class Scope(enum.StrEnum):
    ALL = "all"  # every house's cases
    HOUSE = "house"  # only cases whose shelter_id is her own Staff.shelter_id


ALL, HOUSE, NO = Scope.ALL, Scope.HOUSE, None
ROLES = (StaffRole.ADMIN, StaffRole.COORDINATOR, StaffRole.HOUSE_STAFF)

# fmt: off
PERMISSIONS: dict[Action, tuple[Scope | None, Scope | None, Scope | None]] = {
    #                          admin  coordinator  house staff
    Action.READ_CASES:        (ALL,   ALL,         HOUSE),
    Action.WORK_CASES:        (ALL,   ALL,         HOUSE),
    Action.APPLICATIONS:      (ALL,   ALL,         NO),
    Action.REPORTS:           (ALL,   ALL,         NO),
    Action.EXPORT_PERSONAL:   (ALL,   NO,          NO),
    Action.STAFF_LIST:        (ALL,   ALL,         NO),
    Action.MANAGE_STAFF:      (ALL,   NO,          NO),
    Action.READ_AUDIT:        (ALL,   NO,          NO),
    Action.OWN_SETTINGS:      (ALL,   ALL,         ALL),
}
# fmt: on

# Each staff command's action (bot/handlers/__init__.py STAFF_COMMANDS are exactly these keys).
COMMANDS: dict[str, Action] = {
    "queue": Action.READ_CASES,
    "my": Action.READ_CASES,
    "case": Action.READ_CASES,
    "find": Action.READ_CASES,
    "stats": Action.REPORTS,
    "export": Action.REPORTS,  # "personal" in its words: EXPORT_PERSONAL
    "audit": Action.READ_AUDIT,
    "invite": Action.MANAGE_STAFF,
    "staff": Action.STAFF_LIST,
    "remove": Action.MANAGE_STAFF,
    "sign": Action.OWN_SETTINGS,
    "training": Action.APPLICATIONS,
}
# Only in staff groups (a case's topic): /note; any other command there gets the help.
GROUP_COMMANDS: dict[str, Action] = {"note": Action.WORK_CASES}

# Commands that print personal data of several people (or an invitation link) answer only in a
# private chat with the bot: in a group everyone there would read them.
PRIVATE_ONLY = frozenset({"invite", "staff", "audit"})


@dataclass(frozen=True)
class CommandNeed:
    action: Action
    private_only: bool


def command_need(command: str, args: str) -> CommandNeed:
    """The action a command asks for, and whether it may only be answered in private."""
    command = command.lower()
    words = args.split()
    if command == "export" and "personal" in words:
        return CommandNeed(Action.EXPORT_PERSONAL, private_only=True)
    action = COMMANDS.get(command) or GROUP_COMMANDS.get(command) or Action.OWN_SETTINGS
    # /find by phone says whose number is in which case: that stays between her and the bot.
    by_phone = command == "find" and parse_kz_phone(args.strip()) is not None
    return CommandNeed(action, private_only=command in PRIVATE_ONLY or by_phone)


def scope_of(role: StaffRole, action: Action) -> Scope | None:
    return PERMISSIONS[action][ROLES.index(role)]


@dataclass(frozen=True)
class Access:
    """One staff member's rights for one update: her role, her house, and the chat's audience."""

    user_id: int
    role: StaffRole
    house: str | None  # her Staff.shelter_id (house staff only)
    chat: CaseScope  # in a group: only that group's cases; in private: every case

    def may(self, action: Action) -> bool:
        return scope_of(self.role, action) is not None

    def cases(self, action: Action) -> CaseScope:
        """The cases this action may touch: her scope narrowed to the chat's."""
        scope = scope_of(self.role, action)
        if scope is None:
            return CaseScope(houses=frozenset())
        if scope is Scope.HOUSE:
            mine = frozenset({self.house}) if self.house else frozenset()
            return CaseScope(houses=mine).within(self.chat)
        return self.chat
