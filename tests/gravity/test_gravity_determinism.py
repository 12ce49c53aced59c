"""Same flows, same options, separate processes: byte-identical gravity tables.

Each fit runs in its own interpreter, because what varies between runs lives in the process:
Python's string-hash seed (the iteration order of sets of column names, which pyfixest 0.60
uses when it encodes ``| origin + destination``) and the thread counts of numba, rayon and
the BLAS. The two runs get different hash seeds, chosen so that a set of the two fixed-effect
names iterates in a different order in each, and different thread counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import vcflows
from vcflows.gravity.covariates import pair_covariates

SRC = Path(vcflows.__file__).resolve().parents[1]  # the tree under test
N_COUNTRIES = 12
FOCUS = "Q00"
TABLES = ("coefficients", "gaps", "panel")
THREAD_VARS = ("NUMBA_NUM_THREADS", "RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")

# Fit the flows in argv[1] (covariates argv[2]) and write the three tables to argv[3], the way
# the report writes its CSV tables.
_CHILD = """
import sys
from pathlib import Path
import pandas as pd
from vcflows.exports import write_table
from vcflows.gravity import expected_vs_actual, fit_gravity
flows = pd.read_csv(sys.argv[1])
cov = pd.read_csv(sys.argv[2], keep_default_na=False)
res = fit_gravity(flows, covariates=cov)
out = Path(sys.argv[3])
out.mkdir()
write_table(res.coefficients, out / "coefficients.csv", "csv")
write_table(expected_vs_actual(res, sys.argv[4], by="gap"), out / "gaps.csv", "csv")
write_table(res.panel, out / "panel.csv", "csv")
"""


def _synthetic(tmp_path: Path) -> tuple[Path, Path]:
    """Twelve countries with random places, languages and blocs; PPML flows, a fifth of them 0."""
    rng = np.random.default_rng(11)
    iso = [f"Q{i:02d}" for i in range(N_COUNTRIES)]
    cov = pd.DataFrame(
        {
            "iso3": iso,
            "lat": rng.uniform(-50, 60, N_COUNTRIES),
            "lon": rng.uniform(-170, 170, N_COUNTRIES),
            "languages": rng.choice(["en", "es", "fr", "de|fr", "zh"], N_COUNTRIES),
            "blocs": rng.choice(["", "B1", "B2"], N_COUNTRIES),
        }
    )
    pairs = pair_covariates(covariates=cov)
    a = dict(zip(iso, rng.normal(0, 1.0, N_COUNTRIES), strict=True))
    b = dict(zip(iso, rng.normal(0, 1.0, N_COUNTRIES), strict=True))
    xb = -0.8 * pairs["log_dist"] + 0.5 * pairs["common_lang"] + 0.3 * pairs["same_bloc"]
    mu = np.exp(22.0 + pairs["origin"].map(a) + pairs["destination"].map(b) + xb)
    noise = rng.gamma(shape=2.0, scale=0.5, size=len(pairs))
    keep = rng.uniform(size=len(pairs)) > 0.2
    flows = pd.DataFrame(
        {
            "investor_country": pairs["origin"],
            "company_country": pairs["destination"],
            "amount_usd": (mu * noise * keep).round(0),
        }
    )
    flows_csv, cov_csv = tmp_path / "flows.csv", tmp_path / "cov.csv"
    flows.to_csv(flows_csv, index=False)
    cov.to_csv(cov_csv, index=False)
    return flows_csv, cov_csv


def _set_order(seed: int) -> str:
    """How a set of the two fixed-effect names iterates under string-hash seed ``seed``."""
    code = "print(list({'origin', 'destination'}))"
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


def _seeds_with_both_orders() -> tuple[int, int]:
    first = _set_order(0)
    other = next(s for s in range(1, 64) if _set_order(s) != first)
    return 0, other


def _fit_in_subprocess(
    flows: Path, cov: Path, out: Path, *, hash_seed: int, threads: int
) -> dict[str, bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "PYTHONHASHSEED": str(hash_seed),
        **{var: str(threads) for var in THREAD_VARS},
    }
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(flows), str(cov), str(out), FOCUS],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return {name: (out / f"{name}.csv").read_bytes() for name in TABLES}


def test_tables_are_byte_identical_across_processes(tmp_path: Path) -> None:
    flows, cov = _synthetic(tmp_path)
    seed_a, seed_b = _seeds_with_both_orders()
    run_a = _fit_in_subprocess(flows, cov, tmp_path / "a", hash_seed=seed_a, threads=1)
    run_b = _fit_in_subprocess(flows, cov, tmp_path / "b", hash_seed=seed_b, threads=2)
    # The fit is real: all three terms estimated with finite errors, every partner of the focus
    # country in the gaps table.
    coefs = pd.read_csv(tmp_path / "a" / "coefficients.csv")
    assert list(coefs["term"]) == ["log_dist", "common_lang", "same_bloc"]
    assert np.isfinite(coefs["std_error"]).all() and (coefs["std_error"] > 0).all()
    gaps = pd.read_csv(tmp_path / "a" / "gaps.csv")
    assert set(gaps["partner"]) == {f"Q{i:02d}" for i in range(1, N_COUNTRIES)}
    for name in TABLES:
        assert run_a[name] == run_b[name], f"{name}.csv differs between the two processes"
