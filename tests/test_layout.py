"""The package's folders show its architecture, and no module imports its way back to itself.

Every `from gateway... import` in gateway/ (including those under TYPE_CHECKING, which mypy follows)
is an edge; a strongly connected component of more than one module is an import circle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gateway"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gateway"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gateway"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {d for d in _imports(path) if d in modules and d != name} for name, path in modules.items()}


def test_no_import_circles() -> None:
    try:
        order = list(graphlib.TopologicalSorter(_graph()).static_order())
    except graphlib.CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None
    assert "gateway.core.message" in order


def test_fronts_core_actions_stores() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"fronts", "core", "actions", "web", "commands", "store"} <= folders
    assert {"smtp", "replay"} <= {p.name for p in (PACKAGE / "fronts").iterdir() if p.is_dir()}


def test_core_imports_no_front() -> None:
    # The detection core is shared by every front; it must not reach back into one.
    outside = ("gateway.fronts.", "gateway.web.", "gateway.commands.")
    leaks = [
        (a, b)
        for a, deps in _graph().items()
        if a.startswith("gateway.core.")
        for b in deps
        if b.startswith(outside)
    ]
    assert leaks == []
