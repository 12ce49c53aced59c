"""The cached embedded demo database: built once per version, size and seed, atomically.

The cache lives in ``$VCFLOWS_CACHE_DIR``, else ``$XDG_CACHE_HOME/vcflows``, else
``~/.cache/vcflows``. A build writes a private temporary file and renames it into place, so
concurrent builders never lock each other out and readers never see a half-built file: the
last rename wins, and every builder writes identical content (the generator is deterministic).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from vcflows.demo.generator import DEFAULT_ROUNDS, DemoSummary, generate
from vcflows.flows.base import refresh as refresh_flow_base
from vcflows.store import connect

#: Bump when the generator's output changes without a package version change.
GENERATOR_VERSION = 2
#: DuckDB memory cap while building a file: with the chunked generator this bounds the whole
#: process (about this plus one chunk of numpy arrays), whatever the size.
BUILD_MEMORY_LIMIT = "512MB"
_DEFAULT_SEED = 42


def cache_dir() -> Path:
    """Return the vcflows cache directory (not created)."""
    override = os.environ.get("VCFLOWS_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "vcflows"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Package version, generator version and a hash of the calibration and generator files.

    Hashing the generator's own source means a changed generator never reuses a database
    built by an older one (during development the package version does not move).
    """
    try:
        version = metadata.version("vcflows")
    except metadata.PackageNotFoundError:  # running from a source tree
        version = "dev"
    digest = hashlib.sha256()
    folder = resources.files("vcflows").joinpath("data", "calibration")
    for name in ("ai_vc_targets.csv", "cross_border_structure.csv"):
        digest.update(folder.joinpath(name).read_bytes())
    code = resources.files("vcflows").joinpath("demo")
    for entry in sorted(code.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.read_bytes())
    return f"{version}-g{GENERATOR_VERSION}-{digest.hexdigest()[:10]}"


def cache_path(rounds: int = DEFAULT_ROUNDS, seed: int = _DEFAULT_SEED) -> Path:
    """Where the cached demo database of this size and seed lives (built or not).

    Parameters
    ----------
    rounds : int
        Rounds of the demo universe.
    seed : int
        Seed of the generator.

    Returns
    -------
    Path
        The file in :func:`cache_dir`, named after the generator's fingerprint, size and seed.
    """
    return cache_dir() / f"demo-{_fingerprint()}-r{rounds}-s{seed}.duckdb"


def cached_db(rounds: int = DEFAULT_ROUNDS, seed: int = _DEFAULT_SEED) -> Path:
    """Return the cached demo database of this size and seed, building it if absent.

    Parameters
    ----------
    rounds : int
        Rounds of the demo universe.
    seed : int
        Seed of the generator.

    Returns
    -------
    Path
        A complete DuckDB file (never a partial one).
    """
    target = cache_path(rounds, seed)
    if target.is_file():
        return target
    build_db(target, rounds=rounds, seed=seed)
    return target


def build_db(
    path: Path,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = _DEFAULT_SEED,
    on_chunk: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Generate a demo database into ``path`` atomically (temporary file, then rename).

    An existing ``path`` is replaced only once the new database is complete; on any error it
    is left as it was and the temporary file is removed. DuckDB's memory is capped at
    :data:`BUILD_MEMORY_LIMIT` during the build (it spills to disk beyond).

    Parameters
    ----------
    path : Path
        DuckDB file to (re)create.
    rounds, seed : int
        Passed to :func:`vcflows.demo.generate`.
    on_chunk : callable, optional
        Progress callback, see :func:`vcflows.demo.generate`.

    Returns
    -------
    DemoSummary
        What was generated.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        con = connect(tmp)
        try:
            con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
            summary = generate(con, rounds=rounds, seed=seed, on_chunk=on_chunk)
            refresh_flow_base(con)  # ready for fast flow queries
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return summary


def default_db() -> Path:
    """Return the embedded default demo database (built and cached on first use).

    Returns
    -------
    Path
        The cached DuckDB file of the default demo (``DEFAULT_ROUNDS`` rounds, seed 42).
    """
    return cached_db(DEFAULT_ROUNDS, _DEFAULT_SEED)
