"""The PDF (headless Chromium) and the HTML opened offline in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_helpers import OPTS

from vcflows.report import ReportResult, build_report
from vcflows.store import connect

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("needs /usr/bin/chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def pdf_report(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    con = connect(small_db, read_only=True)
    try:
        return build_report(
            con,
            focus="KOR",
            opts=OPTS,
            out=tmp_path_factory.mktemp("pdf") / "report.html",
            pdf=True,
        )
    finally:
        con.close()


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_pdf_has_pages_and_a_true_table_of_contents(pdf_report: ReportResult) -> None:
    assert pdf_report.pdf is not None and pdf_report.pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) needed to read the PDF back")
    info = subprocess.run(
        ["pdfinfo", str(pdf_report.pdf)], check=True, capture_output=True, text=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages > 8
    toc = _page_text(pdf_report.pdf, 2)
    assert "Contents" in toc
    entries = re.findall(r"(\d+)\. (.+?)\s*[_.\s]*\s(\d+)\s*$", toc, flags=re.M)
    titles = {title.strip(): int(page) for _, title, page in entries}
    assert {"Executive summary", "Methods appendix", "Data-quality appendix"} <= set(titles)
    # Each listed page really starts that chapter, and carries its footer page number.
    for title, page in titles.items():
        text = _page_text(pdf_report.pdf, page)
        assert title.split(":")[0] in text, (title, page)
        assert f"Page {page} of {pages}" in text


def test_html_renders_offline_in_chromium(small_db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    con = connect(small_db, read_only=True)
    try:
        res = build_report(con, focus="KOR", opts=OPTS, out=tmp_path / "report.html")
    finally:
        con.close()
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page()

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                requested.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(res.html.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('#plot-map .geo path').length > 0", timeout=20000
        )
        countries = page.evaluate(
            "document.querySelectorAll('#plot-map .choroplethlocation').length"
        )
        sankey = page.evaluate("document.querySelectorAll('#plot-sankey .sankey-link').length")
        browser.close()
    assert requested == [] and errors == []
    # The five countries that received money are drawn on the map, and the focus country's
    # outline over its polygon.
    assert countries == 5 + 1
    assert sankey == 5  # five cross-border pairs


# Per cell: its words and the line boxes its text takes; per table: its width and the page's.
_LAYOUT_JS = """() => {
  const out = {tables: [], cells: []};
  for (const t of document.querySelectorAll('table.data')) {
    out.tables.push([t.getBoundingClientRect().width, document.body.clientWidth]);
    for (const c of t.querySelectorAll('th, td.txt')) {
      const words = c.textContent.trim().split(/\\s+/).filter(w => w.length > 0);
      if (!words.length) continue;
      const r = document.createRange();
      r.selectNodeContents(c);
      const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
      out.cells.push([c.textContent.trim(), words.length, tops.size]);
    }
  }
  return out;
}"""


def test_print_tables_fit_the_page_and_never_break_a_word(small_parts: dict) -> None:
    # The print edition's tables fit the A4 text width (180 mm) and wrap names between words
    # only: a squeezed column once printed "United States" one letter per line.
    from playwright.sync_api import sync_playwright

    from vcflows.report._html import render

    blank = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
    html = render(
        small_parts["data"],
        small_parts["text"],
        small_parts["charts"],
        small_parts["chapters"],
        static_images={cid: blank for cid in small_parts["charts"]},
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        page = browser.new_page(viewport={"width": 680, "height": 1000})  # 180 mm at 96 dpi
        page.emulate_media(media="print")
        page.set_content(html, wait_until="load")
        layout = page.evaluate(_LAYOUT_JS)
        browser.close()
    assert len(layout["tables"]) > 20 and len(layout["cells"]) > 200
    assert [w for w, page_w in layout["tables"] if w > page_w + 1] == []
    broken = [(text, words, lines) for text, words, lines in layout["cells"] if lines > words]
    assert broken == []
