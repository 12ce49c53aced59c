"""The README's Python example runs as written (on a small demo store, not the cached one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vcflows

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.slow
def test_the_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = _python_blocks()
    assert len(blocks) == 1, "one Python example in the README"
    db = tmp_path / "demo.duckdb"
    vcflows.build_db(db, rounds=3000, seed=42)
    monkeypatch.setattr(vcflows, "default_db", lambda: db)  # the example's store, small
    exec(compile(blocks[0], "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    rank, n_countries = (int(x) for x in out[0].split()[:2])
    assert 1 <= rank <= n_countries
    assert any(line.startswith("1 ") for line in out)  # the first implication, ranked 1
