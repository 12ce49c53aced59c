"""Build the Dash app: the page shell, callbacks, and a hardened Flask server under it.

Hardening (the server is meant for an analyst's machine, bound to loopback by default):

- The database path is fixed when the app is built; no request names a file. Downloads are
  written to private temporary files whose names the server chooses.
- The world map is served from the package's own TopoJSON (no CDN, no network).
- Asset folders are off: the page's CSS is inline, so no URL maps onto a directory.
- Oversized requests are refused before Dash sees them (long URLs: 414; large bodies: 413),
  and HTTP errors answer with a one-line text message, never a traceback.
- Routes are checked before Dash sees them (:mod:`._requests`): a path naming no view answers
  404 (Dash itself would serve its page for any path), the callback endpoint without POST 405.
- A callback request is checked before Dash dispatches it (:mod:`._requests`): a malformed one
  (not JSON, unknown output, missing or mistyped field) answers 400 with the reason, and a
  callback that cannot use a request's values answers 400 too.
- Every refusal (4xx) logs one warning line (method, path, status, reason), no traceback;
  only a failure of the server itself (5xx) logs its traceback.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request
from werkzeug.exceptions import HTTPException

from vcflows.dashboard import callbacks
from vcflows.dashboard._requests import (
    CALLBACK_PATH,
    BadCallbackRequest,
    check_callback_body,
    route_refusal,
)
from vcflows.dashboard.components import TOPOJSON_ROUTE
from vcflows.dashboard.data import COMPUTE_SLOTS, Explorer
from vcflows.dashboard.layout import shell
from vcflows.dashboard.state import MAX_QUERY_CHARS, Selection
from vcflows.dashboard.style import CSS
from vcflows.presentation.chart_style import world_topojson

log = logging.getLogger("vcflows.dashboard")

#: Largest request body (a callback request is a few kB) and URL path accepted.
MAX_BODY_BYTES = 256 * 1024
MAX_PATH_CHARS = 300

_INDEX = (
    """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <style>"""
    + CSS
    + """</style>
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""
)


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


_REASONS = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 414: "URI Too Long"}


def _refuse(
    status: int, reason: str, *, name: str | None = None, detail: str | None = None
) -> Response:
    """A one-line text answer for a client error, and one warning line in the log.

    The path is logged as a quoted, shortened literal, so no request can write a line break
    (or anything else) into the log; ``detail`` is logged after the reason, not answered.
    """
    shown = request.path if len(request.path) <= 80 else request.path[:80] + "…"
    logged = reason if detail is None else f"{reason} ({detail})"
    log.warning("%s %r refused (%d): %s", request.method[:10], shown, status, logged)
    return _plain(status, f"{status} {name or _REASONS.get(status, 'Client Error')}: {reason}")


def _harden(app: Dash) -> None:
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @server.before_request
    def _limits() -> Response | None:
        if len(request.query_string) > 2 * MAX_QUERY_CHARS:
            return _refuse(414, f"the query string is limited to {2 * MAX_QUERY_CHARS} bytes")
        if len(request.path) > MAX_PATH_CHARS:
            return _refuse(414, f"the path is limited to {MAX_PATH_CHARS} characters")
        rule = request.url_rule.rule if request.url_rule is not None else None
        refusal = route_refusal(request.method, request.path, rule)
        return None if refusal is None else _refuse(*refusal)

    @server.before_request
    def _callback_shape() -> Response | None:
        if request.method != "POST" or not request.path.endswith("/" + CALLBACK_PATH):
            return None
        body = request.get_json(silent=True)
        if body is None and request.get_data(cache=True).strip() != b"null":
            return _refuse(400, "the body is not JSON")
        try:
            check_callback_body(body, app.callback_map)
        except BadCallbackRequest as exc:
            return _refuse(400, str(exc))
        return None

    @server.errorhandler(Exception)
    def _callback_failed(exc: Exception) -> Response:
        # A well-formed callback request whose values a callback cannot use (e.g. a number
        # where a list belongs): one log line, no traceback, a 400. Anything else stays a 500.
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        if request.path.endswith("/" + CALLBACK_PATH):
            output = str((request.get_json(silent=True) or {}).get("output", "?"))[:80]
            detail = f"callback {output!r}: {type(exc).__name__}: {str(exc)[:200]!r}"
            return _refuse(400, "the callback cannot use these values", detail=detail)
        # not a client's fault: keep the traceback for whoever fixes it
        log.error("%s %s failed", request.method, request.path[:80], exc_info=exc)
        return _plain(500, "500 Internal Server Error")

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        if code == 413:
            return _refuse(
                413, f"the body is limited to {MAX_BODY_BYTES // 1024} kB", name=exc.name
            )
        if 400 <= code < 500:
            return _refuse(code, str(exc.description), name=exc.name)
        return _plain(code, f"{code} {exc.name}: {exc.description}")

    @server.errorhandler(DependencyException)
    def _no_such_resource(exc: DependencyException) -> Response:
        # Dash raises this for a component-suite path it did not register (e.g. "../x").
        return _refuse(404, "no such resource")

    def _topojson() -> Response:
        resp = Response(world_topojson(), mimetype="application/json")
        resp.cache_control.max_age = 86400
        return resp

    server.add_url_rule(TOPOJSON_ROUTE + "world_110m.json", "vcflows_topojson", _topojson)


def create_app(
    db_path: str | Path | None = None,
    *,
    is_demo: bool | None = None,
    cache_size: int = 32,
    compute_slots: int = COMPUTE_SLOTS,
    warm: bool = False,
) -> Dash:
    """Build the dashboard on a vcflows database.

    Parameters
    ----------
    db_path : str or Path, optional
        The DuckDB database, opened read-only. Default: the embedded demo universe.
    is_demo : bool, optional
        Label the data as the synthetic demo (default: when ``db_path`` is None).
    cache_size : int
        Selections remembered per analysis (results are cached per validated selection;
        least recently used first out).
    compute_slots : int
        Analyses computed at once; further cache misses wait (bounds memory under load).
    warm : bool
        Compute the default world view in a background thread at start, so the first page
        opens fast.

    Returns
    -------
    dash.Dash
        The app; ``app.server`` is its Flask server (WSGI), and
        ``app.server.extensions["vcflows"]`` its :class:`~vcflows.dashboard.data.Explorer`.

    Raises
    ------
    StoreError
        The database is missing or not a vcflows database.
    """
    if db_path is None:
        from vcflows.demo import default_db

        db_path, is_demo = default_db(), True if is_demo is None else is_demo
    ex = Explorer(
        Path(db_path), is_demo=bool(is_demo), cache_size=cache_size, compute_slots=compute_slots
    )
    app = Dash(
        __name__,
        title="vcflows dashboard",
        update_title=None,  # type: ignore[arg-type]  # None keeps the title while updating
        suppress_callback_exceptions=True,  # views add components after the first layout
        include_assets_files=False,
        assets_folder=str(Path(__file__).with_name("_no_assets")),
        serve_locally=True,
        index_string=_INDEX,
    )
    app.layout = shell(ex)
    app.server.extensions["vcflows"] = ex
    callbacks.register(app, ex)
    _harden(app)
    if warm:
        threading.Thread(target=_warm, args=(ex,), name="vcflows-warm", daemon=True).start()
    return app


def _warm(ex: Explorer) -> None:
    """Fill the caches of the default selection (errors are logged, the app still serves)."""
    sel = Selection(focus=ex.catalog.default_focus)
    try:
        ex.indicators(sel.opts)
        ex.totals(sel.opts)
        ex.matrix_by_year(sel.opts)
        ex.matrix(sel.opts)
    except Exception:  # a warm-up failure must not stop the server; the view will report it
        log.exception("warm-up failed")


def explorer_of(app: Dash) -> Explorer:
    """The data service behind an app built by :func:`create_app`."""
    ex: Any = app.server.extensions["vcflows"]
    return ex
