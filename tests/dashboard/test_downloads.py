"""Downloads: the view's table as CSV/Excel (formula-safe, same numbers as the CLI), the report."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dash_client import payload, post
from dash_helpers import cli_json
from openpyxl import load_workbook

from vcflows.dashboard.callbacks import _file_bytes

_OUTPUTS = [
    ("dl-csv", "data"),
    ("dl-xlsx", "data"),
    ("dl-report", "data"),
    ("dl-status", "children"),
]


def _click(client: Any, button: str, path: str, search: str) -> dict[str, Any]:
    clicks = [
        (b, "n_clicks", 1 if b == button else None)
        for b in ("dl-csv-btn", "dl-xlsx-btn", "dl-report-btn")
    ]
    body = payload(
        _OUTPUTS,
        clicks,
        [("url", "pathname", path), ("url", "search", search)],
        changed=[f"{button}.n_clicks"],
    )
    status, resp = post(client, body)
    assert status == 200, resp
    return dict(resp["response"])


def _bytes(data: dict[str, Any]) -> bytes:
    return base64.b64decode(data["content"]) if data["base64"] else data["content"].encode()


@pytest.fixture(scope="module")
def client(dash_app: Any) -> Any:
    return dash_app.server.test_client()


def test_csv_and_excel_equal_the_cli(client: Any, demo_db: Path) -> None:
    search = "?from=2016&to=2022&attribution=lead&focus=KOR"
    ref = pd.DataFrame(
        cli_json(
            "flows", "--db", str(demo_db), "--from", "2016", "--to", "2022", "--attribution", "lead"
        )
    )
    ref = ref.sort_values(
        ["amount_usd", "investor_country", "company_country"], ascending=[False, True, True]
    )
    csv = _click(client, "dl-csv-btn", "/flows", search)["dl-csv"]["data"]
    assert csv["filename"] == "vcflows_flow_matrix_KOR_2016-2022_lead.csv"
    got = pd.read_csv(io.BytesIO(_bytes(csv)))
    assert list(got.columns) == list(ref.columns)
    assert list(zip(got["investor_country"], got["company_country"], strict=True)) == list(
        zip(ref["investor_country"], ref["company_country"], strict=True)
    )
    assert got["amount_usd"].to_numpy() == pytest.approx(ref["amount_usd"].to_numpy(), rel=1e-12)
    xlsx = _click(client, "dl-xlsx-btn", "/flows", search)["dl-xlsx"]["data"]
    sheet = load_workbook(io.BytesIO(_bytes(xlsx))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(ref.columns)
    assert len(rows) - 1 == len(ref)


def test_cells_that_look_like_formulas_are_neutralized() -> None:
    df = pd.DataFrame(
        {"name": ['=HYPERLINK("http://x")', "+1", "ok"], "amount_usd": [-5.0, 1.0, 2.0]}
    )
    text = _file_bytes(df, "csv").decode()
    assert "'=HYPERLINK" in text and "'+1" in text and "-5.0" in text
    ws = load_workbook(io.BytesIO(_file_bytes(df, "xlsx"))).active
    assert [c.value for c in ws["A"]][1:] == ['\'=HYPERLINK("http://x")', "'+1", "ok"]


@pytest.mark.slow
def test_report_download_is_the_report_of_the_selection(client: Any) -> None:
    out = _click(client, "dl-report-btn", "/world", "?from=2018&focus=DEU")
    data = out["dl-report"]["data"]
    assert data["filename"] == "vcflows_report_DEU_2018-all_equal.zip"
    names = zipfile.ZipFile(io.BytesIO(_bytes(data))).namelist()
    assert "report.html" in names and "report_tables.xlsx" in names
    html = zipfile.ZipFile(io.BytesIO(_bytes(data))).read("report.html").decode()
    assert "Germany" in html and "2018" in html
