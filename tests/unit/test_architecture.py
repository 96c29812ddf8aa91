"""The layout's promises (README, "Architecture"), checked on the code as it is.

A newcomer finds a thing where the tree says it lives only while these hold: few top-level
modules in bot/, handlers that ask for at most five things, no hidden channel for the unit of
work, no import cycle, no private aiogram attribute, no test leaning on another test module.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

from aiogram import Dispatcher, Router
from aiogram.dispatcher.event.handler import CallableObject, FilterObject

from bot.app import Resources, create_dispatcher
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "storage")


def _sources(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any level (TYPE_CHECKING and function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path)  # a package's own name; a module's, less its last part
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _routers(router: Router) -> Iterator[Router]:
    yield router
    for child in router.sub_routers:
        yield from _routers(child)


def test_bot_has_at_most_ten_top_level_modules() -> None:
    modules = sorted(path.name for path in (ROOT / "bot").glob("*.py"))
    assert len(modules) <= 10, modules


async def test_no_handler_takes_more_than_five_parameters(
    settings: Settings, resources: Resources
) -> None:
    dispatcher: Dispatcher = create_dispatcher(settings, resources)
    counted = 0
    for router in _routers(dispatcher):
        for observer in router.observers.values():
            for handler in observer.handlers:
                parameters = inspect.signature(handler.callback).parameters
                assert len(parameters) <= 5, (handler.callback, list(parameters))
                counted += 1
    assert counted > 50  # the walk really reached the flows' handlers


def _callables(dispatcher: Dispatcher) -> Iterator[tuple[str, CallableObject]]:
    """Every callable the dispatcher may run for an update or at start and stop, with a name."""
    for router in _routers(dispatcher):
        for kind, observer in router.observers.items():
            where = f"{router.name}.{kind}"
            # A router's own `.filter(...)` calls: aiogram keeps them on the observer's root
            # handler and offers no public reader (the root handler's callback is never called).
            for root_filter in observer._handler.filters or []:
                yield f"{where} router filter", root_filter
            for handler in observer.handlers:
                name = getattr(handler.callback, "__qualname__", repr(handler.callback))
                yield f"{where} {name}", handler
                for handler_filter in handler.filters or []:
                    yield f"{where} {name} filter", handler_filter
        for kind, event in (("startup", router.startup), ("shutdown", router.shutdown)):
            for handler in event.handlers:
                yield f"{router.name}.{kind}", handler


def _describe(item: CallableObject) -> str:
    if isinstance(item, FilterObject) and item.magic is not None:
        return "a bare magic filter (F...)"
    return repr(item.callback)


async def test_every_filter_and_handler_is_awaited_not_sent_to_a_thread(
    settings: Settings, resources: Resources
) -> None:
    # aiogram runs a callable that is not a coroutine function through asyncio.to_thread: a
    # bare State or magic filter costs each update a worker-thread hop (issue 16).
    dispatcher: Dispatcher = create_dispatcher(settings, resources)
    found = list(_callables(dispatcher))
    threaded = [f"{where}: {_describe(item)}" for where, item in found if not item.awaitable]
    assert not threaded, "run in a worker thread:\n" + "\n".join(threaded)
    assert len(found) > 150  # the walk reached the flows' handlers and their filters


def test_no_context_variable_carries_state() -> None:
    users = [
        path.relative_to(ROOT)
        for path in _sources(*PACKAGES)
        if "ContextVar" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def test_no_private_aiogram_attribute_is_touched() -> None:
    private = ("_parent_router", "_sub_routers", "_handlers", "_middlewares", "_storage")
    touched = []
    for path in _sources(*PACKAGES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                touched.append((str(path.relative_to(ROOT)), node.lineno, node.attr))
    assert touched == []


def test_the_project_has_no_import_cycle() -> None:
    names = {_module_name(path): path for path in _sources(*PACKAGES)}
    graph = {
        name: {imported for imported in _imports(path) if imported in names and imported != name}
        for name, path in names.items()
    }
    # A package's __init__ importing its own modules is how a package is made, not a cycle.
    for name in graph:
        graph[name] = {other for other in graph[name] if not other.startswith(f"{name}.")}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, " -> ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert len(done) == len(graph) > 100


def test_no_test_module_imports_another() -> None:
    leaning = []
    for path in _sources("tests"):
        for imported in _imports(path):
            last = imported.rpartition(".")[2]
            if imported.startswith("tests.") and (last.startswith("test_") or "conftest" in last):
                leaning.append((str(path.relative_to(ROOT)), imported))
    assert leaning == []
