"""The house as built: imports run down the layers, faces are peers, private names stay home.

Read from the source's own import statements (top level and inside functions alike), so a
new upward import, a circle between packages or a reach into another package's private
module fails here, not in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Layers from the ground up; a package imports only from its own layer or those below.
#: The package ``vcflows`` itself (its ``__init__``: the public API) stands on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "errors", "schema", "display", "exports", "files"),
    ("normalize",),
    ("sources",),
    ("store",),
    ("flows", "gravity"),
    ("cases", "network", "demo", "indicators", "talent"),
    ("findings", "policy", "engines"),
    ("presentation",),
    ("report", "dashboard"),
    ("cli",),
)
#: The faces: peers on the presentation layer. One may call another's public entry (the
#: dashboard's "download the report" calls ``vcflows.report.build_report``), never its modules.
FACES = ("report", "dashboard")


def _package(module: str) -> str:
    """``vcflows.store.db`` -> ``store``; the package's ``__init__`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(package: str) -> int:
    if package == "":
        return len(LAYERS)
    for i, names in enumerate(LAYERS):
        if package in names:
            return i
    raise AssertionError(f"package vcflows.{package} is in no layer of tests/test_layers.py")


def _imports() -> list[tuple[str, str, list[str]]]:
    """(importing module, imported module, names taken) for every vcflows import of src/."""
    found = []
    for path in sorted((SRC / "vcflows").rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found += [(module, a.name, []) for a in node.names if a.name.startswith("vcflows")]
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module
                and node.module.startswith("vcflows")
            ):
                found.append((module, node.module, [a.name for a in node.names]))
    return found


IMPORTS = _imports()


def test_every_package_has_a_layer() -> None:
    packages = {_package(m) for m, _, _ in IMPORTS} | {_package(t) for _, t, _ in IMPORTS}
    for package in sorted(packages):
        _layer(package)


def test_no_import_runs_up_a_layer() -> None:
    upward = [
        f"{m} -> {t}"
        for m, t, _ in IMPORTS
        if _layer(_package(t)) > _layer(_package(m))
        # ``from vcflows import schema`` names a ground module, not the package's __init__.
        and t != "vcflows"
    ]
    assert not upward, upward


def test_no_circle_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for m, t, _ in IMPORTS:
        a, b = _package(m), _package(t)
        if a != b and b:
            graph.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = sorted(p for p in graph if reaches(p, p, {p}))
    assert not circles, f"packages in an import circle: {circles}"


@pytest.mark.parametrize("face", FACES)
def test_faces_do_not_import_each_other(face: str) -> None:
    others = [f for f in FACES if f != face]
    crossing = [
        f"{m} -> {t}"
        for m, t, _ in IMPORTS
        if _package(m) == face and _package(t) in others and t != f"vcflows.{_package(t)}"
    ]
    assert not crossing, crossing


def test_private_names_stay_in_their_package() -> None:
    leaks = []
    for m, t, names in IMPORTS:
        if _package(m) == _package(t) or t == "vcflows":
            continue
        private_module = any(p.startswith("_") and p != "_version" for p in t.split(".")[1:])
        private_names = [n for n in names if n.startswith("_") and not n.startswith("__")]
        if private_module or private_names:
            leaks.append(f"{m} -> {t} {private_names or ''}")
    assert not leaks, leaks
