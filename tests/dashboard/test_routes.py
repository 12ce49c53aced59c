"""Malformed requests to every route: a 4xx with a one-line message and one log line."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows.dashboard.app import MAX_BODY_BYTES, MAX_PATH_CHARS
from vcflows.dashboard.state import MAX_QUERY_CHARS

CALLBACK = "/_dash-update-component"


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def _one_clean_line(resp: Any, caplog: pytest.LogCaptureFixture) -> str:
    """The answer is one line of text; the log has one warning line and no traceback."""
    text = resp.get_data(as_text=True)
    assert resp.mimetype == "text/plain"
    assert len(text.splitlines()) == 1 and text.startswith(str(resp.status_code))
    assert "Traceback" not in text
    refusals = _refusals(caplog)
    assert len(refusals) == 1, [r.getMessage() for r in refusals]
    line = refusals[0].getMessage()
    assert "\n" not in line and refusals[0].exc_info is None
    assert "Traceback" not in caplog.text
    return text


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "reason"),
    [
        ("GET", CALLBACK, None, 405, "POST only"),
        ("PUT", CALLBACK, b"{}", 405, ""),
        ("DELETE", CALLBACK, None, 405, ""),
        ("POST", "/_dash-layout", b"{}", 405, ""),
        ("POST", "/_dash-dependencies", b"{}", 405, ""),
        ("POST", "/_reload-hash", b"{}", 405, ""),
        ("POST", "/_favicon.ico", b"x", 405, ""),
        ("POST", "/world", b"x", 405, ""),
        ("DELETE", "/focus", None, 405, ""),
        ("GET", "/nope", None, 404, "no page '/nope'; pages: /world, /flows"),
        ("GET", "/world/extra", None, 404, "no page"),
        ("GET", "/%ff%fe", None, 404, "no page"),
        ("GET", "/_dash-update-component/x", None, 404, "no page"),
        ("GET", "/_dash-component-suites/dash/nope.js", None, 404, "no such resource"),
        ("GET", "/_dash-component-suites/dash/../../../pyproject.toml", None, 404, ""),
        ("GET", "/assets/app.css", None, 404, ""),
        ("GET", "/_vcflows/geo/nope.json", None, 404, ""),
        ("GET", "/" + "a" * (MAX_PATH_CHARS + 1), None, 414, "path is limited"),
        ("GET", "/world?from=" + "9" * (2 * MAX_QUERY_CHARS + 1), None, 414, "query string"),
        ("POST", CALLBACK, b"[" + b"1," * MAX_BODY_BYTES + b"1]", 413, "limited to 256 kB"),
        ("POST", CALLBACK, b"{not json", 400, "not JSON"),
        ("POST", CALLBACK, b'{"output": "nope.children"}', 400, "no callback has output"),
    ],
)
def test_a_malformed_request_to_any_route_is_a_clean_4xx(
    dash_app: Any,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    body: bytes | None,
    status: int,
    reason: str,
) -> None:
    client = dash_app.server.test_client()
    with caplog.at_level(logging.INFO):
        resp = client.open(path, method=method, data=body, content_type="application/json")
    assert resp.status_code == status
    assert reason in _one_clean_line(resp, caplog)


def test_the_pages_and_their_resources_are_still_served(dash_app: Any) -> None:
    client = dash_app.server.test_client()
    for path in ("/", "/world", "/focus/", "/companies?company=x", "/_dash-layout"):
        assert client.get(path).status_code == 200, path
    assert client.get("/_dash-dependencies").status_code == 200
    assert client.get("/_vcflows/geo/world_110m.json").status_code == 200
    page = client.get("/flows").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts  # the renderer and the component libraries
    for src in scripts:
        assert client.get(src).status_code == 200, src


_paths = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40
).map(lambda p: "/" + p.lstrip("/"))
_methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(method=_methods, path=_paths, body=st.binary(max_size=64))
def test_fuzz_any_method_and_path_is_never_a_server_error(
    dash_app: Any, caplog: pytest.LogCaptureFixture, method: str, path: str, body: bytes
) -> None:
    client = dash_app.server.test_client()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        resp = client.open(path, method=method, data=body, content_type="application/json")
    assert resp.status_code < 500
    assert "Traceback" not in caplog.text
    if resp.status_code >= 400:
        assert len(_refusals(caplog)) == 1
        if method != "HEAD":
            assert len(resp.get_data(as_text=True).splitlines()) == 1
