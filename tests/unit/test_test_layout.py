"""The tests' own layout: helpers shared between test files live in tests/support only."""

from __future__ import annotations

import ast

from tests.support.constants import ROOT

TESTS = ROOT / "tests"


def _imported_modules(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_test_module_or_conftest_is_imported() -> None:
    wrong = {
        f"{path.relative_to(TESTS)}: {module}"
        for path in TESTS.rglob("*.py")
        for module in _imported_modules(path.read_text(encoding="utf-8"))
        if module.startswith("tests.")
        and any(part.startswith(("test_", "conftest")) for part in module.split("."))
    }
    assert not wrong, sorted(wrong)


def test_every_test_file_sits_in_a_family() -> None:
    families = {"unit", "flows", "e2e", "chaos"}
    stray = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("test_*.py")
        if path.relative_to(TESTS).parts[0] not in families
    ]
    assert not stray
