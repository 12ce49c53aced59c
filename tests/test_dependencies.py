"""Dependencies exactly as imported: every third-party import of src/ is declared, and every
declared runtime dependency is imported (or named below with the reason it is needed)."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Declared and needed, though no module of src/ imports them by name.
_USED_INDIRECTLY = {
    "openpyxl": "pandas' Excel engine for the .xlsx exports",
}


def _distribution(requirement: str) -> str:
    name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
    return name.lower().replace("_", "-")


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = {_distribution(r) for r in project["dependencies"]}
    extras = {
        _distribution(r)
        for group in project["optional-dependencies"].values()
        for r in group
        if not r.startswith("vcflows")
    }
    return runtime, extras


def _imported(folder: Path) -> dict[str, str]:
    """Distribution name -> one module that imports it."""
    dists = md.packages_distributions()
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("vcflows", "__future__"):
                    continue
                for dist in dists.get(top, [top]):
                    found.setdefault(dist.lower().replace("_", "-"), str(path.relative_to(REPO)))
    return found


def test_every_import_of_src_is_declared() -> None:
    runtime, extras = _declared()
    undeclared = {d: m for d, m in _imported(REPO / "src").items() if d not in runtime | extras}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_every_runtime_dependency_is_used() -> None:
    runtime, _ = _declared()
    imported = set(_imported(REPO / "src"))
    unused = runtime - imported - set(_USED_INDIRECTLY)
    assert not unused, f"declared but never imported by src/: {sorted(unused)}"
