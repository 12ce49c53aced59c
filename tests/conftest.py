"""Shared fixtures: paths to the real sample data under ../shared/data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def _shared(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_dir():
        pytest.skip(f"shared sample {path} absent")
    return path


@pytest.fixture
def bulk_sample() -> Path:
    """The real Crunchbase bulk-export sample (skip when absent)."""
    return _shared("crunchbase-bulk-sample")


@pytest.fixture
def open2014_sample() -> Path:
    """The real 10% sample of the Crunchbase 2014 open export (skip when absent)."""
    return _shared("crunchbase-2014-sample")
