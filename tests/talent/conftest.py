"""Make the small-database builder of tests/flows importable here as ``deals`` (the
founders builder, ``talent_people``, lies beside the tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "deals" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "deals", Path(__file__).resolve().parents[1] / "flows" / "deals.py"
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["deals"] = _module
    _spec.loader.exec_module(_module)
