"""PPML gravity model of bilateral AI venture flows, and expected-vs-actual gaps per partner.

The model (Santos Silva & Tenreyro 2006; Yotov et al. 2016, *An Advanced Guide to Trade Policy
Analysis*, WTO/UNCTAD) is

    E[amount_usd_od] = exp(a_o + b_d + beta1 log_dist_od + beta2 common_lang_od + beta3 same_bloc_od)

estimated by Poisson pseudo-maximum likelihood on the full rectangular panel of ordered country
pairs, zero flows included (that is why PPML, not OLS on logs). Origin = investor country,
destination = company country.

Separation, as the literature handles it (Correia, Guimarães & Zylkin 2021): a country whose
outbound (inbound) flows are all zero has an origin (destination) fixed effect at -infinity, so
its pairs carry no information on beta and are dropped before estimation; pyfixest's own
separation check then runs on what is left. Every dropped pair is reported with its reason.

The fit is reproducible to the bit: the same flows give byte-identical tables in every process,
whatever its string-hash seed or thread counts (see ``_fit_pyfixest``).

Flows are fitted in millions of USD. PPML coefficients and their robust standard errors are
invariant to rescaling the outcome; only the fixed effects shift, and expected flows are scaled
back to USD.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from vcflows.errors import OptionError, VcflowsError
from vcflows.exports import to_records
from vcflows.gravity.covariates import load_country_covariates, pair_covariates

Engine = Literal["pyfixest", "statsmodels"]

#: Pair covariates of the default specification, in formula order.
DEFAULT_TERMS: Final = ("log_dist", "common_lang", "same_bloc")
FORMULA: Final = "amount_usd ~ log_dist + common_lang + same_bloc | origin + destination"
_SCALE: Final = 1e6  # fit in USD millions (see module docstring)
#: IWLS stops when the deviance changes by less than this, relatively. pyfixest's default,
#: 1e-8, stops a step short (standard errors 6e-7 off a statsmodels fit iterated to 1e-12);
#: the iteration converges quadratically, so 1e-10 costs about one more step and agrees with
#: that fit to 1e-10 (tests/gravity/test_gravity_model.py).
_IWLS_TOL: Final = 1e-10
_IWLS_MAXITER: Final = 100
_Y: Final = "y_musd"
_IN_COLS: Final = ("investor_country", "company_country", "amount_usd")

REASON_NO_COVARIATES: Final = "no covariates for country"
REASON_ORIGIN_ZERO: Final = "origin has no flows in the panel (all-zero origin fixed effect)"
REASON_DEST_ZERO: Final = (
    "destination has no flows in the panel (all-zero destination fixed effect)"
)
REASON_PYFIXEST: Final = "separated (pyfixest separation check)"


class GravityError(VcflowsError):
    """The gravity model cannot be estimated on the given flows (too few countries, no flows)."""


@dataclass(frozen=True)
class GravityResult:
    """A fitted PPML gravity model.

    Attributes
    ----------
    coefficients : DataFrame
        term, estimate, std_error (heteroskedasticity-robust, HC1), z, p_value, ci_low, ci_high
        (95 %, normal approximation).
    panel : DataFrame
        Every ordered pair considered: origin, destination, dist_km, log_dist, common_lang,
        both_eu, same_bloc, actual_usd, expected_usd (NaN when dropped), status ("kept" or the
        drop reason).
    dropped : DataFrame
        origin, destination, actual_usd, reason; also the observed flows of countries without
        covariates.
    n_obs : int
        Pairs used in the estimation.
    engine : str
        "pyfixest" (``fepois``) or "statsmodels" (GLM Poisson with dummy fixed effects).
    formula : str
        The specification.
    notes : list of str
        Warnings and decisions (dropped terms, estimator messages).
    """

    coefficients: pd.DataFrame
    panel: pd.DataFrame
    dropped: pd.DataFrame
    n_obs: int
    engine: str
    formula: str
    notes: list[str] = field(default_factory=list)

    @property
    def dropped_counts(self) -> dict[str, int]:
        """Number of dropped pairs per reason."""
        counts = self.dropped["reason"].value_counts().sort_index()
        return {str(k): int(v) for k, v in counts.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: coefficients, counts, dropped pairs with reasons, notes."""
        return {
            "engine": self.engine,
            "formula": self.formula,
            "vcov": "hetero (HC1)",
            "n_obs": self.n_obs,
            "n_pairs_panel": len(self.panel),
            "coefficients": to_records(self.coefficients),
            "dropped_counts": self.dropped_counts,
            "dropped": to_records(self.dropped),
            "notes": list(self.notes),
        }


def _aggregate(flows: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _IN_COLS if c not in flows.columns]
    if missing:
        raise OptionError(f"fit_gravity: flows lack columns {', '.join(missing)}")
    df = flows.loc[:, list(_IN_COLS)].dropna(subset=["investor_country", "company_country"])
    df = df.rename(columns={"investor_country": "origin", "company_country": "destination"})
    df["amount_usd"] = pd.to_numeric(df["amount_usd"]).fillna(0.0).astype(float)
    if (df["amount_usd"] < 0).any():
        raise OptionError("fit_gravity: negative amount_usd in flows")
    df["origin"] = df["origin"].astype(str)
    df["destination"] = df["destination"].astype(str)
    agg = df.groupby(["origin", "destination"])["amount_usd"].sum().reset_index()
    return agg.rename(columns={"amount_usd": "actual_usd"})


def _build_panel(
    agg: pd.DataFrame, cov: pd.DataFrame, include_domestic: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rectangular panel over countries with covariates, plus flows lost for lack of covariates."""
    countries = sorted(set(agg["origin"]) | set(agg["destination"]))
    known = set(cov["iso3"])
    unknown = {c for c in countries if c not in known}
    lost = agg[agg["origin"].isin(unknown) | agg["destination"].isin(unknown)]
    lost = lost[lost["actual_usd"] > 0].assign(reason=REASON_NO_COVARIATES)
    pairs = pair_covariates(
        [c for c in countries if c in known], covariates=cov, include_domestic=include_domestic
    )
    panel = pairs.merge(agg, on=["origin", "destination"], how="left")
    panel["actual_usd"] = panel["actual_usd"].fillna(0.0)
    if include_domestic:
        panel["domestic"] = (panel["origin"] == panel["destination"]).astype(int)
    return panel, lost.loc[:, ["origin", "destination", "actual_usd", "reason"]]


def _mark_separated(panel: pd.DataFrame) -> pd.Series:
    """Status per pair: "kept", or why the pair's fixed effect is not identified."""
    out_tot = panel.groupby("origin")["actual_usd"].transform("sum")
    in_tot = panel.groupby("destination")["actual_usd"].transform("sum")
    status = pd.Series("kept", index=panel.index, dtype=object)
    status[in_tot <= 0] = REASON_DEST_ZERO
    status[out_tot <= 0] = REASON_ORIGIN_ZERO  # origin reason wins when both hold
    return status


def _coef_frame(terms: list[str], est: np.ndarray, se: np.ndarray) -> pd.DataFrame:
    from scipy.stats import norm

    z = est / se
    return pd.DataFrame(
        {
            "term": terms,
            "estimate": est,
            "std_error": se,
            "z": z,
            "p_value": 2 * norm.sf(np.abs(z)),
            "ci_low": est - 1.959963984540054 * se,
            "ci_high": est + 1.959963984540054 * se,
        }
    )


def _dummy_and_absorbed(data: pd.DataFrame) -> tuple[str, str]:
    """Which fixed effect enters as dummies (the one with fewer levels) and which is absorbed."""
    if data["origin"].nunique() < data["destination"].nunique():
        return "origin", "destination"
    return "destination", "origin"


def _fit_pyfixest(
    data: pd.DataFrame, terms: list[str], notes: list[str]
) -> tuple[pd.DataFrame, pd.Series]:
    import pyfixest as pf

    # One fixed effect is absorbed, the other enters as dummies: the same model and the same
    # HC1 errors (the small-sample factor counts the dummies as it counts fixed effects) as
    # ``| origin + destination``, but reproducible. With two absorbed effects pyfixest 0.60
    # orders them by iterating a set of their names, an order set by each process's random
    # string-hash seed, and its alternating projections (tolerance 1e-6) end on different
    # roundings for the two orders: standard errors differed in the 7th digit between runs.
    # One absorbed effect is demeaned exactly, in one pass, whatever the seed or thread count.
    dummy, absorbed = _dummy_and_absorbed(data)
    fml = f"{_Y} ~ {' + '.join(terms)} + C({dummy}) | {absorbed}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = pf.fepois(
                fml,
                data=data.reset_index(drop=True),
                vcov="hetero",
                separation_check=["fe", "ir"],
                iwls_tol=_IWLS_TOL,
                iwls_maxiter=_IWLS_MAXITER,
            )
        except ValueError as exc:  # e.g. demeaning did not converge on extreme weights
            raise GravityError(
                f"pyfixest could not fit the model ({exc}); try engine='statsmodels'"
            ) from exc
    notes.extend(sorted({f"pyfixest: {w.message}" for w in caught if w.category is UserWarning}))
    if not fit.convergence:
        notes.append(
            f"pyfixest: IWLS stopped after {_IWLS_MAXITER} iterations without reaching the "
            f"tolerance {_IWLS_TOL:g}; estimates may be imprecise"
        )
    coef = fit.coef()
    used_terms = [t for t in terms if t in coef.index]
    coefs = _coef_frame(used_terms, coef[used_terms].to_numpy(), fit.se()[used_terms].to_numpy())
    # fit._data holds the rows pyfixest kept after its own separation check, indexed by
    # position in ``data`` (pyfixest resets the index); predict() without new data returns
    # the fitted means of the last IWLS step for those rows, in that order.
    used = np.asarray(fit._data.index, dtype=int)
    fitted = np.full(len(data), np.nan)
    fitted[used] = np.asarray(fit.predict(type="response"))
    return coefs, pd.Series(fitted, index=data.index)


def _fit_statsmodels(data: pd.DataFrame, terms: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    import statsmodels.api as sm

    dummies = pd.get_dummies(data[["origin", "destination"]], drop_first=True, dtype=float)
    x = pd.concat([data[terms].astype(float), dummies], axis=1)
    x.insert(0, "const", 1.0)
    res = sm.GLM(data[_Y], x, family=sm.families.Poisson()).fit(
        tol=1e-12, maxiter=200, cov_type="HC0"
    )
    n, k = x.shape
    # pyfixest's "hetero" for fepois is HC0 times n / (n - k), k counting the fixed effects;
    # apply the same small-sample factor so both engines report the same HC1 errors.
    se = res.bse[terms].to_numpy() * math.sqrt(n / (n - k))
    coefs = _coef_frame(terms, res.params[terms].to_numpy(), se)
    return coefs, pd.Series(np.asarray(res.fittedvalues), index=data.index)


def fit_gravity(
    flows: pd.DataFrame,
    *,
    covariates: pd.DataFrame | None = None,
    include_domestic: bool = False,
    engine: Engine = "pyfixest",
) -> GravityResult:
    """Fit a PPML gravity model with origin and destination fixed effects.

    Parameters
    ----------
    flows : DataFrame
        Columns investor_country, company_country, amount_usd (e.g. ``flow_matrix`` output);
        repeated pairs are summed, rows with a missing country ignored.
    covariates : DataFrame, optional
        Country covariate table (see :func:`~vcflows.gravity.covariates.load_country_covariates`);
        default the shipped one.
    include_domestic : bool
        Keep domestic pairs (o == d), with a ``domestic`` dummy absorbing the home effect.
        Default False: the model explains cross-border flows only.
    engine : {"pyfixest", "statsmodels"}
        ``pyfixest.fepois`` (default) or a statsmodels GLM Poisson with dummy fixed effects
        (the second implementation, for agreement checks; slower).

    Returns
    -------
    GravityResult
        Coefficients with robust (HC1) standard errors, the panel with expected flows and the
        dropped pairs with reasons.

    Raises
    ------
    GravityError
        When fewer than three countries with flows and covariates remain.
    """
    if engine not in ("pyfixest", "statsmodels"):
        raise OptionError(f"fit_gravity: unknown engine {engine!r}")
    cov = load_country_covariates() if covariates is None else covariates
    panel, lost = _build_panel(_aggregate(flows), cov, include_domestic)
    panel["status"] = _mark_separated(panel)
    notes: list[str] = []
    data = panel[panel["status"] == "kept"].copy()
    if data["origin"].nunique() < 2 or data["destination"].nunique() < 2 or len(data) < 6:
        raise GravityError(
            f"gravity model needs flows between at least 3 countries with covariates; "
            f"{data['origin'].nunique()} origins and {data['destination'].nunique()} destinations remain"
        )
    data[_Y] = data["actual_usd"] / _SCALE
    terms = list(DEFAULT_TERMS) + (["domestic"] if include_domestic else [])
    constant = [t for t in terms if data[t].nunique() < 2]
    if constant:
        notes.append(f"dropped terms without variation in the sample: {', '.join(constant)}")
        terms = [t for t in terms if t not in constant]
    if engine == "pyfixest":
        coefs, expected = _fit_pyfixest(data, terms, notes)
    else:
        coefs, expected = _fit_statsmodels(data, terms)
    panel["expected_usd"] = np.nan
    panel.loc[data.index, "expected_usd"] = expected.to_numpy() * _SCALE
    sep = data.index[expected.isna().to_numpy()]
    panel.loc[sep, "status"] = REASON_PYFIXEST
    dropped = pd.concat(
        [
            panel.loc[
                panel["status"] != "kept", ["origin", "destination", "actual_usd", "status"]
            ].rename(columns={"status": "reason"}),
            lost,
        ],
        ignore_index=True,
    ).sort_values(["reason", "origin", "destination"], ignore_index=True)
    formula = f"amount_usd ~ {' + '.join(terms)} | origin + destination"
    return GravityResult(
        coefficients=coefs.reset_index(drop=True),
        panel=panel.reset_index(drop=True),
        dropped=dropped,
        n_obs=int((panel["status"] == "kept").sum()),
        engine=engine,
        formula=formula,
        notes=notes,
    )


def expected_vs_actual(
    result: GravityResult, focus: str, *, by: Literal["ratio", "gap"] = "ratio"
) -> pd.DataFrame:
    """Expected versus actual flows between ``focus`` and each partner, most under-invested first.

    Parameters
    ----------
    result : GravityResult
        A fitted model.
    focus : str
        ISO3 code of the focus country.
    by : {"ratio", "gap"}
        Order: by actual/expected ascending (then gap descending), or by the dollar gap
        (expected - actual) descending.

    Returns
    -------
    DataFrame
        partner, direction ("inbound": partner invests in focus; "outbound": focus invests in
        partner), actual_usd, expected_usd, ratio (actual / expected), gap_usd
        (expected - actual). Only estimated pairs appear; see ``result.dropped`` for the rest.
    """
    panel = result.panel
    focus = focus.upper()
    if focus not in set(panel["origin"]) | set(panel["destination"]):
        raise OptionError(f"focus country {focus!r} is not in the gravity panel")
    kept = panel[(panel["status"] == "kept") & (panel["origin"] != panel["destination"])]
    inbound = kept[kept["destination"] == focus].assign(
        partner=lambda d: d["origin"], direction="inbound"
    )
    outbound = kept[kept["origin"] == focus].assign(
        partner=lambda d: d["destination"], direction="outbound"
    )
    out = pd.concat([inbound, outbound], ignore_index=True)
    out = out.loc[:, ["partner", "direction", "actual_usd", "expected_usd"]]
    out["ratio"] = out["actual_usd"] / out["expected_usd"]
    out["gap_usd"] = out["expected_usd"] - out["actual_usd"]
    if by == "gap":
        keys, asc = ["gap_usd", "direction", "partner"], [False, True, True]
    elif by == "ratio":
        keys, asc = ["ratio", "gap_usd", "direction", "partner"], [True, False, True, True]
    else:
        raise OptionError(f"expected_vs_actual: unknown order {by!r}")
    return out.sort_values(keys, ascending=asc, ignore_index=True)
