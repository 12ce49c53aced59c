"""Print the report to PDF through headless Chromium, with static charts and a paged contents.

Charts become SVG images (plotly + kaleido, on the system Chromium). Chromium has no CSS
``target-counter``, so the table of contents gets its page numbers from a first pass: every
chapter starts on a new page, so printing the front matter and each chapter alone gives each
chapter's page count, hence its first page. The final document is then printed once, with
page numbers in the footer. Nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import os
import re
import warnings
from pathlib import Path
from typing import Any

import plotly.io as pio

from vcflows.errors import VcflowsError
from vcflows.files import StagedOutputs
from vcflows.presentation.chart_style import Chart, topojson_data_url
from vcflows.report._html import render

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
#: Static charts are drawn this wide (CSS px), about the printable width of A4 at 96 dpi.
STATIC_WIDTH = 900
_MARGIN = {"top": "18mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


class PdfError(VcflowsError):
    """The PDF cannot be produced (no Chromium, or printing failed)."""


def browser_path() -> str:
    """The Chromium executable: ``$BROWSER_PATH`` or Debian's /usr/bin/chromium."""
    path = os.environ.get("BROWSER_PATH") or CHROMIUM
    if not Path(path).exists():
        raise PdfError(
            f"--pdf needs Chromium at {path} (install Debian's chromium package, or set BROWSER_PATH)"
        )
    return path


def static_images(charts: dict[str, Chart]) -> dict[str, str]:
    """Render every chart to an SVG data URL (kaleido on the system Chromium, offline map)."""
    import kaleido

    os.environ.setdefault("BROWSER_PATH", browser_path())
    pio.defaults.topojson = topojson_data_url()
    out: dict[str, str] = {}
    kaleido.start_sync_server(silence_warnings=True)
    try:
        with warnings.catch_warnings():
            # plotly passes kaleido options that a running sync server ignores, and says so
            # once per chart; the images are the same.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            images = {
                cid: pio.to_image(
                    chart.figure, format="svg", width=STATIC_WIDTH, height=chart.height
                )
                for cid, chart in charts.items()
            }
        for cid, svg in images.items():
            out[cid] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return out


def count_pages(pdf: bytes) -> int:
    """Number of pages of a PDF printed by Chromium (its page objects are not compressed)."""
    return len(_PAGE_RE.findall(pdf))


def _templates(title: str, page_word: str, of_word: str) -> tuple[str, str]:
    style = "font-family:'Liberation Sans',Arial,'Noto Sans CJK KR',sans-serif;font-size:8px;color:#666;"
    header = f'<div style="{style}width:100%;padding:0 15mm;text-align:right;">{title}</div>'
    footer = (
        f'<div style="{style}width:100%;text-align:center;">{page_word} '
        f'<span class="pageNumber"></span> {of_word} <span class="totalPages"></span></div>'
    )
    return header, footer


def write_pdf(parts: dict[str, Any], path: Path, staged: StagedOutputs) -> Path:
    """Print the report in ``parts`` (see :func:`vcflows.report.prepare`) to ``path``.

    Parameters
    ----------
    parts : dict
        The report's content, from :func:`vcflows.report.prepare`.
    path : Path
        The PDF file.
    staged : StagedOutputs
        The report's set of files; the PDF is renamed into place with the others.

    Returns
    -------
    Path
        The written PDF.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    data, text, charts, chapters = parts["data"], parts["text"], parts["charts"], parts["chapters"]
    images = static_images(charts)
    focus_name = text.country(data["meta"]["focus"])
    header, footer = _templates(
        f"{text.get('text.report_title')} — {focus_name}",
        text.get("text.page"),
        text.get("text.page_of"),
    )
    pdf_opts: dict[str, Any] = {
        "format": "A4",
        "margin": _MARGIN,
        "print_background": True,
        "display_header_footer": True,
        "header_template": header,
        "footer_template": footer,
    }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=browser_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            # Block every request that is not the document itself: the PDF must need no network.
            page.route(
                "**/*",
                lambda r: (
                    r.abort() if r.request.url.startswith(("http:", "https:")) else r.continue_()
                ),
            )

            def pdf_of(html: str) -> bytes:
                page.set_content(html, wait_until="load")
                return page.pdf(**pdf_opts)

            placeholder = {c["id"]: 999 for c in chapters}
            front = count_pages(
                pdf_of(render(data, text, charts, [], static_images=images, toc_pages=placeholder))
            )
            pages: dict[str, int] = {}
            nxt = front + 1
            for ch in chapters:
                pages[ch["id"]] = nxt
                nxt += count_pages(
                    pdf_of(render(data, text, charts, [ch], static_images=images, show_front=False))
                )
            final = pdf_of(
                render(data, text, charts, chapters, static_images=images, toc_pages=pages)
            )
            browser.close()
    except PlaywrightError as exc:
        raise PdfError(f"printing the PDF with Chromium failed: {exc}") from exc
    staged.path(path).write_bytes(final)
    return path
