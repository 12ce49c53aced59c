"""Make the small-store builder of tests/cases importable here as ``dealbook``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "dealbook" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "dealbook", Path(__file__).resolve().parents[1] / "cases" / "dealbook.py"
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["dealbook"] = _module
    _spec.loader.exec_module(_module)
