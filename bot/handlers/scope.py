"""Scope filters derived from the handlers a router holds: an update that none of them could
take passes the router and all its sub-routers with one check instead of one per handler.

aiogram tries every handler's filters in order until one matches, so a tap on the mother
flow's last screen went through every callback handler of the menu, privacy, foster and
triage routers first, each unpacking the callback data with pydantic (bench.round_trips:
27.5 handler checks per update of the mother flow; 11.0 with the scopes). The scopes are
derived, not written by hand: a router is scoped for an event only when every handler of it
and of its sub-routers carries the condition (a callback data class for taps, a `StateFilter`
for messages), so a scope never turns away an update that one of those handlers would have
taken, and a handler written later without the condition simply leaves its routers unscoped.
The scopes are taken from the handlers registered when `scope_routers` runs:
`bot.handlers.setup()` calls it last, once the tree is complete; nothing registers a handler
after that.
"""

from __future__ import annotations

from inspect import isclass

from aiogram import Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, TelegramObject

# None: the router may take any update of the event (no scope can be derived).
Scope = frozenset[str | None] | None


class CallbackPrefixScope(Filter):
    """Taps whose callback data starts with one of the prefixes of the router's handlers."""

    __slots__ = ("prefixes",)

    def __init__(self, prefixes: frozenset[str | None]) -> None:
        self.prefixes = prefixes

    async def __call__(self, query: CallbackQuery) -> bool:
        # A tap without data, or with another prefix, cannot unpack into any handler's class.
        return bool(query.data) and query.data.split(":", 1)[0] in self.prefixes

    def __str__(self) -> str:
        return f"CallbackPrefixScope({sorted(map(str, self.prefixes))})"


class StateScope(Filter):
    """Messages in one of the states the router's handlers are registered for."""

    __slots__ = ("states",)

    def __init__(self, states: frozenset[str | None]) -> None:
        self.states = states

    # `obj`, like aiogram's StateFilter: aiogram passes only the values a filter names.
    async def __call__(self, obj: TelegramObject, raw_state: str | None = None) -> bool:
        return raw_state in self.states

    def __str__(self) -> str:
        return f"StateScope({sorted(map(str, self.states))})"


def _prefix(handler: HandlerObject) -> Scope:
    for filter_object in handler.filters or ():
        condition = filter_object.callback
        if isinstance(condition, CallbackQueryFilter):
            data_class = condition.callback_data
            if data_class.__separator__ != ":":
                return None  # CallbackPrefixScope splits on aiogram's default separator
            return frozenset({data_class.__prefix__})
    return None


def _states(handler: HandlerObject) -> Scope:
    for filter_object in handler.filters or ():
        condition = filter_object.callback
        if isinstance(condition, StateFilter):
            names: set[str | None] = set()
            for allowed in condition.states:
                if allowed == "*":
                    return None
                if allowed is None or isinstance(allowed, str):
                    names.add(allowed)
                elif isinstance(allowed, State):
                    if allowed.state == "*":
                        return None
                    names.add(allowed.state)
                elif isclass(allowed) and issubclass(allowed, StatesGroup):
                    names.update(allowed.__all_states_names__)
                else:
                    return None  # a StatesGroup instance or anything new: not derived
            return frozenset(names)
    return None


def _scope(router: Router, event: str) -> Scope:
    """What every handler for `event` in the router's subtree needs, joined; None: anything."""
    of_handler = _prefix if event == "callback_query" else _states
    joined: set[str | None] = set()
    for handler in router.observers[event].handlers:
        needed = of_handler(handler)
        if needed is None:
            return None
        joined |= needed
    for sub_router in router.sub_routers:
        needed = _scope(sub_router, event)
        if needed is None:
            return None
        joined |= needed
    return frozenset(joined)


def _install(router: Router, event: str, outer: Scope) -> None:
    scope = _scope(router, event)
    observer = router.observers[event]
    # Narrower than what the router's parent lets through: worth a check. A leaf router with no
    # handlers for the event costs nothing to pass already.
    if scope is not None and scope != outer and (observer.handlers or router.sub_routers):
        if event == "callback_query":
            observer.filter(CallbackPrefixScope(scope))
        else:
            observer.filter(StateScope(scope))
        outer = scope
    for sub_router in router.sub_routers:
        _install(sub_router, event, outer)


def scope_routers(root: Router) -> Router:
    """Give every router of the tree the scope filters its handlers allow (taps by callback
    prefix, messages by state); returns `root`. Call once the tree is complete."""
    _install(root, "callback_query", None)
    _install(root, "message", None)
    return root
