"""The cached embedded demo: location, reuse, atomic build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vcflows.demo import build_db, cache_dir, cached_db
from vcflows.demo import cache as cache_mod
from vcflows.store import connect


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VCFLOWS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "vcflows"
    monkeypatch.setenv("VCFLOWS_CACHE_DIR", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"
    monkeypatch.delenv("VCFLOWS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "vcflows"


def test_cached_db_is_built_once_and_keyed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VCFLOWS_CACHE_DIR", str(tmp_path))
    first = cached_db(1_000, seed=3)
    stamp = first.stat().st_mtime_ns
    assert cached_db(1_000, seed=3) == first
    assert first.stat().st_mtime_ns == stamp  # reused, not rebuilt
    other = cached_db(1_000, seed=4)
    assert other != first and "r1000" in first.name and "s3" in first.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, other.name])
    con = connect(first, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM rounds").fetchall() == [(1_000,)]
    finally:
        con.close()


def test_failed_build_leaves_the_target_untouched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "demo.duckdb"
    target.write_bytes(b"previous")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(cache_mod, "generate", boom)
    with pytest.raises(RuntimeError):
        build_db(target, rounds=1_000)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["demo.duckdb"]


def test_concurrent_builders_do_not_clash(tmp_path: Path) -> None:
    # Two processes build the same cache entry at once: no lock, both succeed, one file stays.
    code = "from vcflows.demo import cached_db; print(cached_db(1_000, seed=9))"
    env = {**os.environ, "VCFLOWS_CACHE_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert outs[0] == outs[1]
    assert [p.name for p in tmp_path.iterdir()] == [Path(outs[0]).name]
