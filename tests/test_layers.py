"""The house keeps its shape: ``app`` and ``sync`` work with no Qt, and imports point one way.

ui -> sync -> app, and ui -> app: the core imports neither Qt, the network library,
nor the layers above it; sync imports no Qt and nothing from the UI.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter, where PySide6 cannot be imported at all.
NO_QT = r"""
import importlib
import importlib.abc
import pkgutil
import sys


class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError(f"{name} is blocked: this check runs with no Qt")
        return None


sys.meta_path.insert(0, NoQt())
names = []
for package in ("app", "sync"):
    module = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
        # Alembic's migration scripts run only inside Alembic, on a connection it hands over.
        if not info.name.startswith("app.migrations"):
            names.append(info.name)
names += ["ui.cli", "ui.main"]
for name in names:
    importlib.import_module(name)
assert not any(m == "PySide6" or m.startswith("PySide6.") for m in sys.modules)
print("\n".join(names))
"""


def test_app_sync_and_cli_import_without_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", NO_QT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    imported = set(proc.stdout.split())
    # The walk really found the packages' modules, not just their __init__.
    assert {"app.store", "app.services.discussions", "sync.bundle", "ui.cli"} <= imported
    expected = {_module_name(p) for p in _sources("app") + _sources("sync")}
    assert expected <= imported


FORBIDDEN = {
    "app": ("requests", "PySide6", "ui", "sync"),
    "sync": ("PySide6", "ui"),
}


def _sources(package: str) -> list[Path]:
    return sorted(
        p for p in (REPO / package).rglob("*.py") if "migrations" not in p.relative_to(REPO).parts
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in the file names, absolute, with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package: str) -> None:
    files = list((REPO / package).rglob("*.py"))  # migrations included
    assert files
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in files
        for line, module in _imports(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert not wrong, "\n".join(wrong)


def _kind_pairs(path: Path, kinds: set[tuple[str, str]]) -> list[str]:
    """Where a file lists kinds of op in a table: a set, list, dict or tuple of pairs."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            for item in items:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    pair = tuple(e.value for e in item.elts if isinstance(e, ast.Constant))
                    if pair in kinds:
                        found.append(f"{path.relative_to(REPO)}:{item.lineno} lists {pair}")
    return found


def test_each_kind_of_op_is_declared_in_its_domain_alone() -> None:
    """Who may write a kind of op, and how it merges, is said once, in ``app.kinds``.

    Outside the domain modules no file lists kinds of op by hand (the way the hub once
    kept its own set of organiser-only kinds); the hub asks the registry instead.
    """
    from app.registry import REGISTRY

    kinds = set(REGISTRY.kinds)
    declared_in = {REPO / "app" / "kinds", REPO / "app" / "registry.py"}
    listed = [
        hit
        for package in ("app", "sync", "ui")
        for path in _sources(package)
        if not any(path.is_relative_to(d) for d in declared_in)
        for hit in _kind_pairs(path, kinds)
    ]
    assert not listed, "\n".join(listed)
    # The kinds live in the domain modules, and the hub's one permission check is theirs.
    assert {k.name for d in REGISTRY.domains for k in d.kinds} == kinds
    hub_source = "".join(p.read_text() for p in _sources("sync") if "hub" in p.parts)
    assert "REGISTRY.refusal(" in hub_source


def test_the_laptop_speaks_to_the_hub_only_through_the_protocol() -> None:
    """Nothing a laptop runs imports the hub: the two share ``sync.protocol`` alone."""
    laptop = [
        p
        for package in ("app", "sync", "ui")
        for p in (REPO / package).rglob("*.py")
        if "hub" not in p.relative_to(REPO).parts
    ]
    assert REPO / "sync" / "client.py" in laptop
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in laptop
        for line, module in _imports(path)
        if module == "sync.hub" or module.startswith("sync.hub.")
    ]
    assert not wrong, "\n".join(wrong)


def test_no_role_rule_is_written_in_the_hub() -> None:
    """The hub compares no role by name: who may do what is the registry's to say."""
    from app.roles import ROLES

    rules = []
    for path in _sources("sync"):
        if "hub" not in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Compare):
                named = [node.left, *node.comparators]
                # A column compared with a kind of op ("member") is no role rule.
                of_kind = any(isinstance(n, ast.Attribute) and n.attr == "kind" for n in named)
                roles = [n for n in named if isinstance(n, ast.Constant) and n.value in ROLES]
                if roles and not of_kind:
                    rules.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not rules, "\n".join(rules)


def test_benchmarks_stand_on_their_own() -> None:
    """What a benchmark measures with is in the product or in ``bench``, not in the tests."""
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in (REPO / "bench").rglob("*.py")
        for line, module in _imports(path)
        if module.split(".")[0] == "tests"
    ]
    assert not wrong, "\n".join(wrong)
