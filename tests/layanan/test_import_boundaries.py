"""The layout of ``layanan`` holds (issue 14): dependencies point one way, and no import hides inside a function.

Packages and their rank (a package may import only packages of a lower rank, and itself):

    calendar (0) < core (1) < ppid, lapor (2) < wbs (3) < social (4) < reports, channels (5) < desk, api (6) < site (7)
    < the app's own top-level modules (apps, models, wagtail_hooks, tasks, demo, management) (8)

The citizen site (``site``) reuses the API's serializers as the rules of its forms, so it sits above ``api``.

``ppid`` and ``lapor`` share a rank and may not import each other. ``wbs`` imports ``lapor`` (a WBS report that
turns out to be a plain complaint is transferred there); the LAPOR → WBS transfer goes through the registry.
Outside ``layanan``, ``home`` (site pages and the organisation) is below it and never imports it (the public
response cache reads the statistics version through ``pesan_cms.versions``).

The walk is static (``ast``): every ``import``/``from … import`` of a ``layanan`` module, at any depth. An
import inside a function is allowed only in ``LayananConfig.ready()`` (Django's documented place) and under
``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RANK = {"calendar": 0, "core": 1, "ppid": 2, "lapor": 2, "wbs": 3, "social": 4, "reports": 5, "channels": 5}
RANK.update({"desk": 6, "api": 6, "site": 7})
TOP = 8
#: Same-rank packages that may import each other: none. Lower-rank imports are always allowed.
ALLOWED_FUNCTION_IMPORTS = {("layanan.apps", "ready")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "layanan":
        return None
    if len(parts) == 1 or parts[1] not in RANK:
        return "top"
    return parts[1]


def _rank(package: str) -> int:
    return TOP if package == "top" else RANK[package]


def _layanan_modules():
    for path in sorted((ROOT / "layanan").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield _module_name(path), path


def _imports(path: Path):
    """``(imported module, line, enclosing function or None, under TYPE_CHECKING)`` for each import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, function, type_checking):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name, type_checking)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit(child, function, True)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [child.module] + [f"{child.module}.{a.name}" for a in child.names]
                for name in names:
                    found.append((name, child.lineno, function, type_checking))
            elif isinstance(child, ast.ImportFrom) and child.level:
                found.append(("<relative>", child.lineno, function, type_checking))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((alias.name, child.lineno, function, type_checking))
            else:
                visit(child, function, type_checking)

    visit(tree, None, False)
    return found


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").exists() or (ROOT / relative / "__init__.py").exists()


def test_no_relative_imports_in_layanan():
    """Absolute imports only: a moved module cannot keep working by accident through ``..``."""
    offenders = [
        f"{module}:{line}"
        for module, path in _layanan_modules()
        for name, line, _function, _tc in _imports(path)
        if name == "<relative>"
    ]
    assert offenders == []


def test_dependencies_point_one_way():
    """Services import core and calendar; desk, site, api and reports import services; core imports no service."""
    offenders = []
    for module, path in _layanan_modules():
        source = _package(module)
        for name, line, _function, type_checking in _imports(path):
            target = _package(name)
            if target is None or target == source or type_checking or not _is_module(name):
                continue
            if _rank(target) >= _rank(source):
                offenders.append(f"{module}:{line} imports {name} ({source} → {target})")
    assert offenders == [], "\n".join(offenders)


def test_home_does_not_import_layanan():
    """``home`` (site pages, settings, the organisation) sits below the desk."""
    offenders = []
    for path in sorted((ROOT / "home").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name, line, _function, _tc in _imports(path):
            if name.split(".")[0] == "layanan":
                offenders.append(f"{_module_name(path)}:{line} imports {name}")
    assert offenders == [], "\n".join(offenders)


def test_no_import_inside_functions():
    """No ``layanan`` or ``home`` import inside a function (the old way of dodging cycles), except in
    ``LayananConfig.ready()``, where Django documents it, and under ``if TYPE_CHECKING:``."""
    offenders = []
    for module, path in _layanan_modules():
        for name, line, function, type_checking in _imports(path):
            if function is None or type_checking or name.split(".")[0] not in ("layanan", "home"):
                continue
            if (module, function) in ALLOWED_FUNCTION_IMPORTS:
                continue
            offenders.append(f"{module}:{line} in {function}() imports {name}")
    assert offenders == [], "\n".join(offenders)


def test_no_cycle_among_modules():
    """No two ``layanan`` modules import each other, directly or through others (module level)."""
    graph: dict[str, set[str]] = {}
    modules = dict(_layanan_modules())
    for module, path in modules.items():
        edges = set()
        for name, _line, function, type_checking in _imports(path):
            if function is not None or type_checking:
                continue
            for candidate in (name, name.rsplit(".", 1)[0]):
                if candidate in modules and candidate != module:
                    edges.add(candidate)
                    break
        graph[module] = edges

    # Parents of an imported module run first; a package __init__ importing its children is not a cycle.
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def walk(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert cycles == [], "\n".join(cycles)


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        ("layanan.core.x", "layanan.wbs.y", False),
        ("layanan.wbs.x", "layanan.lapor.y", True),
        ("layanan.ppid.x", "layanan.lapor.y", False),
    ],
)
def test_the_rule_itself(source, target, allowed):
    """The rank rule says what this module's docstring says (so the check above cannot pass vacuously)."""
    assert (_rank(_package(target)) < _rank(_package(source))) is allowed
