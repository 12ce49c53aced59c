"""The dashboard in a real Chromium, driven by Playwright, against a server the test starts.

Each test loads a view and checks what a reader sees against the CLI's JSON for the same
selection (the numbers must be the same, since both call the same library functions).
Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import math
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dash_helpers import cli_json

from vcflows.dashboard.figures import TEXT
from vcflows.presentation import formatting as fmt

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def base_url(dash_app: Any) -> Iterator[str]:
    """Serve the app on 127.0.0.1, on a free port, from a background thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (skip when either is missing)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    """One browser context for the module, so plotly.js is fetched and compiled once."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A fresh page; fails the test on any JavaScript error."""
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    pg.close()
    assert not errors, f"JavaScript errors: {errors}"


def _shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.wait_for_timeout(400)  # let plotly finish drawing
    pg.screenshot(path=str(ARTIFACTS / f"dashboard_{name}.png"), full_page=True)


def _value(pg: Any, key: str) -> float:
    """The exact value behind a key figure (its data-value attribute)."""
    raw = pg.get_attribute(f"#kf-{key}", "data-value")
    return float(raw) if raw else math.nan


def _open(pg: Any, url: str, ready: str) -> None:
    pg.goto(url)
    pg.wait_for_selector(ready)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _pick(pg: Any, control: str, option: str) -> None:
    """Choose an option of a dcc.Dropdown (typing into its search box when it has one)."""
    pg.click(f"#{control}")
    search = pg.locator(".dash-dropdown-search")
    if search.count():
        search.first.fill(option.split(" (")[0])
    pg.get_by_role("option", name=option, exact=True).first.click()
    pg.keyboard.press("Escape")


def test_world_view_numbers_equal_cli(page: Any, base_url: str, demo_db: Path) -> None:
    _open(page, f"{base_url}/world?focus=KOR", "#kf-attributed_usd")
    ind = cli_json("indicators", "--db", str(demo_db))
    total = sum(r["invested_in_usd"] for r in ind)
    foreign = sum(r["foreign_in_usd"] for r in ind)
    assert _close(_value(page, "attributed_usd"), total)
    assert _close(_value(page, "cross_border_share"), foreign / total)
    assert _close(_value(page, "top_share"), ind[0]["share_global"])
    # The table shows the CLI's rows in the CLI's order, written as the report writes them.
    page.wait_for_selector("#view-table td")
    first = page.locator("#view-table tbody tr").nth(1).locator("td")  # row 0 is the header
    assert first.nth(0).inner_text().strip() == TEXT.country(ind[0]["country"])
    assert first.nth(1).inner_text().strip() == fmt.usd(ind[0]["invested_in_usd"])
    page.wait_for_selector("#world-map .geo")  # the map drew (TopoJSON served locally)
    _shot(page, "world")


def test_period_and_focus_change_follow_cli(page: Any, base_url: str, demo_db: Path) -> None:
    _open(page, f"{base_url}/country?focus=KOR", "#country-title")
    _pick(page, "ctl-from", "2020")
    page.wait_for_url(re.compile(r"from=2020"))
    _pick(page, "ctl-focus", "Germany (DEU)")
    page.wait_for_url(re.compile(r"focus=DEU"))
    page.wait_for_selector("#country-title:has-text('DEU')")
    page.wait_for_selector("#selection-caption:has-text('2020')")
    ind = {r["country"]: r for r in cli_json("indicators", "--db", str(demo_db), "--from", "2020")}
    deu = ind["DEU"]
    for key in ("invested_in_usd", "share_global", "foreign_share_in", "overseas_share_out"):
        assert _close(_value(page, key), deu[key]), key
    _shot(page, "country_DEU_2020")
    # The URL is the state: reloading it shows the same numbers.
    page.reload()
    page.wait_for_selector("#country-title:has-text('DEU')")
    assert _close(_value(page, "invested_in_usd"), deu["invested_in_usd"])


def test_heatmap_drilldown_lists_the_cell(page: Any, base_url: str, demo_db: Path) -> None:
    _open(page, f"{base_url}/flows", "#flows-heatmap .nsewdrag")
    flows = pd.DataFrame(cli_json("flows", "--db", str(demo_db)))
    top_inv = flows.groupby("investor_country")["amount_usd"].sum().nlargest(15).index
    top_com = flows.groupby("company_country")["amount_usd"].sum().nlargest(15).index
    cross = flows[
        (flows["investor_country"] != flows["company_country"])
        & flows["investor_country"].isin(top_inv)
        & flows["company_country"].isin(top_com)
    ].sort_values("amount_usd", ascending=False)
    cell = cross.iloc[0]
    inv, com = str(cell["investor_country"]), str(cell["company_country"])
    page.locator("#flows-heatmap").scroll_into_view_if_needed()
    xy = page.evaluate(
        """([x, y]) => {
            const gd = document.querySelector('#flows-heatmap .js-plotly-plot');
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const r = gd.getBoundingClientRect();
            return [r.left + xa._offset + xa.l2p(xa.d2l(x)), r.top + ya._offset + ya.l2p(ya.d2l(y))];
        }""",
        [com, inv],
    )
    page.mouse.click(xy[0], xy[1])
    page.wait_for_selector("#drill-table td")
    assert inv in page.inner_text("#drill-title") or "→" in page.inner_text("#drill-title")
    assert _close(_value(page, "cell_usd"), float(cell["amount_usd"]))
    _shot(page, "flows_drilldown")


def test_download_csv_is_the_view_table(page: Any, base_url: str, demo_db: Path) -> None:
    _open(page, f"{base_url}/world?from=2018&to=2023", "#view-table td")
    with page.expect_download() as info:
        page.click("#dl-csv-btn")
    path = info.value.path()
    got = pd.read_csv(path)
    ind = pd.DataFrame(
        cli_json("indicators", "--db", str(demo_db), "--from", "2018", "--to", "2023")
    )
    assert list(got["country"]) == list(ind["country"])
    assert all(
        _close(a, b) for a, b in zip(got["invested_in_usd"], ind["invested_in_usd"], strict=True)
    )


def test_every_view_loads(page: Any, base_url: str) -> None:
    _open(page, f"{base_url}/networks?focus=KOR&from=2015", "#net-graph .main-svg")
    _shot(page, "networks")
    # In-app navigation keeps the selection: the menu links carry the query string.
    page.click("#nav-focus")
    page.wait_for_url(re.compile(r"/focus\?from=2015&focus=KOR$"))
    page.wait_for_selector("#focus-title")
    page.wait_for_selector("#view-table td")
    _shot(page, "focus_KOR")
    page.click("#nav-companies")
    page.wait_for_selector("#company-search")
    page.fill("#company-search", "pay")
    page.press("#company-search", "Enter")
    page.wait_for_selector(".company-link")
    page.locator(".company-link").first.click()
    page.wait_for_url(re.compile(r"company="))
    page.wait_for_selector("#company-title")
    page.wait_for_selector("#view-table td")
    assert "from=2015" in page.url
    _shot(page, "company")
    assert page.locator(".msg-error").count() == 0


def test_bad_link_shows_a_message(page: Any, base_url: str) -> None:
    _open(page, f"{base_url}/country?from=20x0&focus=ATLANTIS", ".msg-error")
    text = page.inner_text(".msg-error")
    assert "from: expected a four-digit year" in text
    assert "focus: expected an ISO 3166-1 alpha-3 code" in text
    assert "Traceback" not in page.content()
    _shot(page, "bad_link")


def test_company_search_runs_as_you_type(page: Any, base_url: str) -> None:
    _open(page, f"{base_url}/companies", "#company-search")
    # Typed, no Enter, focus kept: the hint says typing is enough, so the links appear.
    page.locator("#company-search").press_sequentially("pay", delay=50)
    page.wait_for_selector(".company-link", timeout=10_000)
    assert page.locator("#company-search").evaluate("el => el === document.activeElement")


#: Views whose tables must fit a 1280-px-wide window (nothing cut; wide tables scroll).
NARROW_VIEWS = (
    "/world",
    "/flows",
    "/country?focus=KOR",
    "/networks?focus=KOR",
    "/focus?focus=KOR",
)

_CUT_JS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('.dash-spreadsheet td, .dash-spreadsheet th')) {
        for (const x of [el, ...el.querySelectorAll('div, span')]) {
            if (x.scrollWidth > x.clientWidth + 1 && getComputedStyle(x).overflowX === 'hidden') {
                out.push('cell cut: ' + el.innerText.slice(0, 60));
                break;
            }
        }
    }
    for (const box of document.querySelectorAll('.dash-spreadsheet-container')) {
        const r = box.getBoundingClientRect();
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
        if (r.right > window.innerWidth + 1) out.push('table beyond the window');
        if (box.scrollWidth > box.clientWidth + 1 && !scrolls) out.push('table cut');
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('page too wide');
    return out;
}"""


def test_tables_are_not_cut_at_1280_px(browser: Any, base_url: str, demo_db: Path) -> None:
    from vcflows.store import connect

    con = connect(demo_db, read_only=True)
    try:  # a company with several rounds: its funding path lists long investor names
        (company,) = con.execute(
            "SELECT company_id FROM rounds GROUP BY company_id ORDER BY count(*) DESC, "
            "company_id LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        for view in (*NARROW_VIEWS, f"/companies?company={company}"):
            _open(pg, f"{base_url}{view}", ".dash-spreadsheet td")
            pg.wait_for_timeout(300)  # let the table lay out
            assert pg.locator(".dash-spreadsheet").count() >= 1, view
            assert pg.evaluate(_CUT_JS) == [], view
        pg.close()
    finally:
        ctx.close()
