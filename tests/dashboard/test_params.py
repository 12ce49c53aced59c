"""Hostile and malformed requests to the dashboard: clean messages, no traceback, no file access.

Two layers are tested: :func:`vcflows.dashboard.state.parse` (the one place query parameters
are validated; expected messages written out by hand), and the running app through Flask's
test client (HTTP status codes, messages in the page, what a forged request can reach).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dash_client import find_props, page_payload, payload, post, texts
from hypothesis import given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.dashboard.state import (
    MAX_QUERY_CHARS,
    MAX_VALUE_CHARS,
    VIEW_PATHS,
    Catalog,
    Selection,
    parse,
    to_search,
)
from vcflows.flows import ATTRIBUTIONS, FlowOptions

CAT = Catalog(
    countries=frozenset({"KOR", "USA", "DEU", "GBR"}),
    year_min=2013,
    year_max=2025,
    categories=frozenset({"software", "fintech"}),
    default_focus="KOR",
)


# --- parse: the validated place -----------------------------------------------------------
def test_defaults_when_nothing_is_given() -> None:
    got = parse("/", "", CAT)
    assert got.errors == () and got.warnings == ()
    assert got.selection == Selection(view="world", opts=FlowOptions(), focus="KOR")


def test_a_full_link_is_read() -> None:
    got = parse(
        "/country/",
        "?from=2019&to=2022&attribution=lead&sector=Software,fintech&stage=seed,series_a&focus=deu",
        CAT,
    )
    assert got.errors == ()
    sel = got.selection
    assert sel.view == "country" and sel.focus == "DEU"
    assert sel.opts == FlowOptions(
        year_from=2019,
        year_to=2022,
        attribution="lead",
        sector="fintech,software",
        stages=("seed", "series_a"),
    )


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("?from=abc", "from: expected a four-digit year, got 'abc'"),
        ("?to=1999", "to: 1999 is outside the years in this database (2013–2025)"),
        ("?from=2024&to=2020", "year range: from 2024 is after to 2020"),
        (
            "?attribution=bogus",
            "attribution: unknown method 'bogus'; choose one of equal, full, lead",
        ),
        ("?focus=XXX", "focus: unknown country 'XXX' (not in this database)"),
        ("?focus=Korea", "focus: expected an ISO 3166-1 alpha-3 code such as KOR, got 'Korea'"),
        ("?stage=seed,mezzanine", "stage: unknown stage(s) 'mezzanine'"),
        ("?sector=knitting", "sector: expected 'ai', 'all' or category tags of this database"),
        ("?company=../../etc/passwd%00", "company: not a company id"),
        ("?from=2019&from=2020", "from: given more than once"),
    ],
)
def test_bad_values_give_a_message(search: str, message: str) -> None:
    got = parse("/world", search, CAT)
    assert any(e.startswith(message) for e in got.errors), got.errors


def test_unknown_page_and_unknown_keys() -> None:
    got = parse("/../../etc/passwd", "?utm_source=x", CAT)
    assert got.errors == (
        "unknown page '/../../etc/passwd'; pages: /world, /flows, /country, /networks, /companies, /focus",
    )
    assert got.warnings and "ignored unknown parameter(s) 'utm_source'" in got.warnings[0]


def test_oversized_query_and_values_are_refused() -> None:
    long_value = parse("/world", "?focus=" + "A" * (MAX_VALUE_CHARS + 1), CAT)
    assert long_value.errors == (
        f"focus: value too long ({MAX_VALUE_CHARS + 1} characters, at most {MAX_VALUE_CHARS})",
    )
    huge = parse("/world", "?x=" + "y" * MAX_QUERY_CHARS, CAT)
    assert huge.errors[0].startswith("the link's query is too long")
    many = parse("/world", "&".join(f"k{i}=1" for i in range(50)), CAT)
    assert many.errors == ("the link has too many parameters",)


_selections = st.builds(
    Selection,
    view=st.sampled_from(list(VIEW_PATHS)),
    opts=st.builds(
        lambda y0, span, a, sec, stg: FlowOptions(
            year_from=y0,
            year_to=None if y0 is None or span is None else min(2025, y0 + span),
            attribution=a,
            sector=sec,
            stages=stg,
        ),
        st.one_of(st.none(), st.integers(2013, 2025)),
        st.one_of(st.none(), st.integers(0, 5)),
        st.sampled_from(ATTRIBUTIONS),
        st.sampled_from(["ai", "all", "software", "fintech,software"]),
        st.one_of(
            st.none(), st.lists(st.sampled_from(s.STAGES), min_size=1, max_size=3).map(tuple)
        ),
    ),
    focus=st.sampled_from(sorted(CAT.countries)),
    company=st.one_of(st.none(), st.just("demo:c00000001"), st.just("cbo:/organization/x-y")),
)


@given(_selections)
@settings(max_examples=200, deadline=None)
def test_serialize_then_parse_is_identity(sel: Selection) -> None:
    got = parse(VIEW_PATHS[sel.view], to_search(sel), CAT)
    assert got.errors == () and got.warnings == ()
    assert got.selection == sel


@given(st.text(max_size=300), st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_parse_never_raises(path: str, search: str) -> None:
    got = parse(path, search, CAT)
    assert isinstance(got.selection, Selection)


# --- the app over HTTP --------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(dash_app: Any) -> Any:
    return dash_app.server.test_client()


def _page(client: Any, path: str, search: str) -> tuple[int, list[str]]:
    status, body = post(client, page_payload(path, search))
    assert status == 200, body
    resp = body["response"]
    return status, texts(resp["page"]) + texts(resp["messages"])


def test_bad_link_is_a_message_in_the_page(client: Any) -> None:
    _, words = _page(client, "/country", "?from=20x0&attribution=nope&focus=ZZZ")
    joined = " | ".join(words)
    assert "This link cannot be shown" in joined
    assert "from: expected a four-digit year, got '20x0'" in joined
    assert "attribution: unknown method 'nope'" in joined
    assert "focus: unknown country 'ZZZ' (not in this database)" in joined
    assert "Traceback" not in joined


def test_country_without_flows_in_the_period_is_explained(client: Any) -> None:
    # A stage filter that leaves KOR with no rounds: the page says so instead of failing.
    _, words = _page(client, "/focus", "?stage=grant&focus=KOR")
    joined = " | ".join(words)
    assert "Traceback" not in joined
    assert "KOR" in joined


def test_oversized_url_is_refused_with_414(client: Any) -> None:
    resp = client.get("/world?focus=" + "A" * (3 * MAX_QUERY_CHARS))
    assert resp.status_code == 414
    assert resp.mimetype == "text/plain"
    assert resp.get_data(as_text=True).startswith("414 URI Too Long")


def test_oversized_body_is_refused_with_413(client: Any) -> None:
    body = page_payload("/world", "?x=" + "y" * 300_000)
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 413
    assert "Traceback" not in resp.get_data(as_text=True)


def test_malformed_callback_request_is_a_clean_400(client: Any) -> None:
    resp = client.post("/_dash-update-component", data="{not json", content_type="application/json")
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert text.startswith("400 Bad Request") and "Traceback" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/assets/../../pyproject.toml",
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/_dash-component-suites/dash/../../../../pyproject.toml",
        "/_dash-component-suites/vcflows/data/country_aliases.csv",
        "/_vcflows/geo/../../pyproject.toml",
        "/_vcflows/geo/world_110m.json/../../../schema.py",
        "/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_no_url_reads_a_file(client: Any, url: str) -> None:
    resp = client.get(url)
    text = resp.get_data(as_text=True)
    # Either refused, or the app's own page (the catch-all route serves the Dash index).
    assert resp.status_code in (200, 400, 404, 405)
    assert "[project]" not in text and "root:x:0:0" not in text and "iso3" not in text
    assert "COMPANIES: Final" not in text


def test_the_world_map_is_served_from_package_data(client: Any) -> None:
    resp = client.get("/_vcflows/geo/world_110m.json")
    assert resp.status_code == 200
    assert resp.get_json()["type"] == "Topology"


def test_forged_drilldown_click_is_rejected(client: Any) -> None:
    forged = {"points": [{"x": "../../etc", "y": "USA"}]}
    body = payload(
        [("drill", "children")],
        [("flows-heatmap", "clickData", forged)],
        [("url", "pathname", "/flows"), ("url", "search", "")],
    )
    status, resp = post(client, body)
    assert status == 200
    assert "drill-down: unknown country in the clicked cell" in texts(resp["response"])
    garbage = payload(
        [("drill", "children")],
        [("flows-heatmap", "clickData", "not a dict")],
        [("url", "pathname", "/flows"), ("url", "search", "")],
    )
    status, resp = post(client, garbage)
    assert status == 200
    assert "drill-down: the click did not name a cell" in texts(resp["response"])


def test_drilldown_rounds_add_up_to_the_cell(client: Any, demo_db: Path, dash_app: Any) -> None:
    from dash_helpers import cli_json

    flows = cli_json("flows", "--db", str(demo_db), "--from", "2020")
    cell = max(
        (r for r in flows if r["investor_country"] != r["company_country"]),
        key=lambda r: r["amount_usd"],
    )
    click = {"points": [{"x": cell["company_country"], "y": cell["investor_country"]}]}
    body = payload(
        [("drill", "children")],
        [("flows-heatmap", "clickData", click)],
        [("url", "pathname", "/flows"), ("url", "search", "?from=2020")],
    )
    status, resp = post(client, body)
    assert status == 200
    (fig,) = find_props(resp["response"], "id", "kf-cell_usd")
    assert float(fig["data-value"]) == pytest.approx(cell["amount_usd"], rel=1e-9)
    (tbl,) = find_props(resp["response"], "id", "drill-table")
    # Every listed round is in the period, and their shares add up to the cell (all are
    # listed: fewer than the cap); rounds of unknown amount count as deals, not dollars.
    # The table shows the library's rows (formatted as in the report); their raw shares add up.
    from vcflows.dashboard import explorer_of
    from vcflows.dashboard.figures import TEXT
    from vcflows.presentation.tables import cell as cell_text

    rows = explorer_of(dash_app).cell_rounds(
        FlowOptions(year_from=2020), cell["investor_country"], cell["company_country"]
    )
    assert len(tbl["data"]) == len(rows) < 500
    assert all(r["announced_on"] >= "2020" for r in tbl["data"])
    assert [r["attributed_usd"] for r in tbl["data"]] == [
        cell_text(v, "usd", TEXT) for v in rows["attributed_usd"]
    ]
    assert rows["attributed_usd"].fillna(0.0).sum() == pytest.approx(cell["amount_usd"], rel=1e-9)


def test_company_search_is_literal_not_a_pattern(client: Any) -> None:
    body = payload(
        [("company-results", "children")],
        [("company-search", "value", "%_%")],
        [("url", "pathname", "/companies"), ("url", "search", "")],
    )
    status, resp = post(client, body)
    assert status == 200
    # '%' and '_' are matched literally: no demo company name contains "%_%".
    assert "No company matches '%_%'." in texts(resp["response"])


def test_download_of_a_bad_link_is_refused(client: Any) -> None:
    body = payload(
        [("dl-csv", "data"), ("dl-xlsx", "data"), ("dl-report", "data"), ("dl-status", "children")],
        [
            ("dl-csv-btn", "n_clicks", 1),
            ("dl-xlsx-btn", "n_clicks", None),
            ("dl-report-btn", "n_clicks", None),
        ],
        [("url", "pathname", "/world"), ("url", "search", "?from=../../x")],
        changed=["dl-csv-btn.n_clicks"],
    )
    status, resp = post(client, body)
    assert status == 200
    assert resp["response"]["dl-status"]["children"] == "Nothing to download: fix the link first."


@pytest.mark.parametrize("path", ["/world", "/country", "/focus"])
def test_labels_follow_the_sector(client: Any, path: str) -> None:
    # Beyond the AI sector the pages speak of venture capital, not "AI VC" (as the report does).
    _, ai_words = _page(client, path, "?focus=KOR")
    _, all_words = _page(client, path, "?focus=KOR&sector=all")
    assert any("AI VC" in w for w in ai_words)
    assert not any("AI VC" in w for w in all_words)
    assert any("VC received" in w or "VC attributed" in w for w in all_words)


def test_sector_with_a_comma_stays_a_tag_list() -> None:
    # "ai," is the category tag "ai" (as on the command line), not the AI taxonomy.
    cat = Catalog(
        countries=CAT.countries,
        year_min=CAT.year_min,
        year_max=CAT.year_max,
        categories=frozenset({"ai", "software"}),
        default_focus="KOR",
    )
    got = parse("/world", "?sector=ai,", cat)
    assert got.errors == ()
    assert got.selection.opts.sector == "ai," and got.selection.opts.categories == ("ai",)
    again = parse("/world", to_search(got.selection), cat)
    assert again.selection == got.selection
    assert parse("/world", "?sector=ai", cat).selection.opts.sector == "ai"
