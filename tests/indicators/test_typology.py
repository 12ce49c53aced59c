"""Typology: each rule on hand-made indicators, and the k-means cross-check."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from vcflows.indicators import TypologyThresholds, cluster_features, typology

COLS = [
    "country", "share_global", "domestic_share_in", "foreign_share_in", "overseas_share_out",
    "foreign_in_usd", "overseas_out_usd", "deals_in", "deals_out",
]  # fmt: skip
NAN = float("nan")
ROWS = [
    ("USA", 0.60, 0.90, 0.10, 0.10, 10.0, 20.0, 100.0, 100.0),  # big, home-funded
    ("CAN", 0.04, 0.30, 0.70, 0.20, 70.0, 5.0, 30.0, 30.0),  # draws foreign money only
    ("FRA", 0.03, 0.50, 0.50, 0.60, 30.0, 25.0, 20.0, 20.0),  # open both ways
    ("JPN", 0.01, 0.90, 0.10, 0.50, 2.0, 10.0, 20.0, 20.0),  # invests abroad, funded at home
    ("LUX", 0.001, NAN, NAN, 0.90, 0.0, 30.0, 0.0, 10.0),  # invests abroad only
    ("KOR", 0.01, 0.90, 0.10, 0.20, 2.0, 3.0, 20.0, 10.0),  # mostly domestic both ways
    ("ISL", 0.0001, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),  # too few deals
]


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS)


def test_each_rule_gives_its_label_with_the_numbers() -> None:
    res = typology(_frame(ROWS))
    got = dict(zip(res.labels["country"], res.labels["label"], strict=True))
    assert got == {
        "USA": "domestic powerhouse",
        "CAN": "foreign-capital hub",
        "FRA": "mutual cooperator",
        "JPN": "outward investor",
        "LUX": "outward investor",
        "KOR": "weakly integrated",
        "ISL": "insufficient data",
    }
    rules = res.labels.set_index("country")["rule"]
    assert "share_global 0.600 >= 0.05" in rules["USA"]
    assert rules["CAN"] == "foreign_share_in 0.700 >= 0.25, overseas_share_out 0.200 < 0.4"
    assert res.labels.set_index("country").loc["KOR", "foreign_share_in"] == 0.10


def test_thresholds_are_parameters() -> None:
    strict = TypologyThresholds(powerhouse_share_global=0.7)
    res = typology(_frame(ROWS), strict)
    assert res.labels.set_index("country").loc["USA", "label"] != "domestic powerhouse"


def test_kmeans_recovers_well_separated_groups() -> None:
    rows = []
    for j in range(3):
        d = 0.01 * j
        rows.append((f"P{j}", 0.30 + d, 0.90, 0.10 + d, 0.10, 10.0, 20.0, 100.0, 100.0))
        rows.append((f"H{j}", 0.01 + d, 0.20, 0.80 - d, 0.50, 80.0, 10.0, 30.0, 30.0))
        rows.append((f"W{j}", 0.002, 0.95, 0.05 + d, 0.05, 1.0, 1.0, 30.0, 30.0))
    res = typology(_frame(rows))
    assert res.n_clusters == 3
    assert res.adjusted_rand == pytest.approx(1.0)
    assert res.match_share == 1.0
    assert (
        res.clusters.set_index("country")["cluster_label"]
        == res.labels.set_index("country")["label"]
    ).all()
    json.dumps(res.to_dict(), allow_nan=False)  # serializable
    again = typology(_frame(rows))
    assert again.clusters["cluster"].tolist() == res.clusters["cluster"].tolist()  # fixed seed


def test_too_few_countries_skips_kmeans_with_a_note() -> None:
    res = typology(_frame(ROWS[:1]))
    assert math.isnan(res.adjusted_rand) and res.notes


def test_cluster_features_definitions() -> None:
    f = cluster_features(_frame(ROWS)).set_index(_frame(ROWS)["country"])
    assert f.loc["CAN", "net_foreign_balance"] == pytest.approx((70 - 5) / 75)
    assert f.loc["LUX", "foreign_share_in"] == 0.0  # undefined -> nothing flows in
    assert f.loc["USA", "log_share_global"] == pytest.approx(math.log10(0.6001))
