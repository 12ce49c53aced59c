"""The embedded demo universe: synthetic deals calibrated to published aggregates.

Real deal databases are licensed, so vcflows ships a generator of a SYNTHETIC deal universe
whose AI VC amounts by country and year match public figures (OECD.AI) and whose cross-border
structure reproduces what public reports describe. Everything it writes is labelled
``source = "demo (synthetic)"``.
"""

from vcflows.demo.cache import build_db, cache_dir, cache_path, cached_db, default_db
from vcflows.demo.calibration import Calibration, investor_country_shares, load_calibration
from vcflows.demo.check import calibration_error
from vcflows.demo.generator import (
    DEFAULT_ROUNDS,
    DEMO_SOURCE,
    SYNTHETIC_LABEL,
    DemoSummary,
    generate,
    summarize,
    summary_frame,
)

__all__ = [
    "DEFAULT_ROUNDS",
    "DEMO_SOURCE",
    "SYNTHETIC_LABEL",
    "Calibration",
    "DemoSummary",
    "build_db",
    "cache_dir",
    "cache_path",
    "cached_db",
    "calibration_error",
    "default_db",
    "generate",
    "investor_country_shares",
    "load_calibration",
    "summarize",
    "summary_frame",
]
