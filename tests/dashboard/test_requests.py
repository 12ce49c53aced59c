"""Malformed requests to the callback endpoint: a 400 with a short reason, one log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from dash_client import page_payload
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "/_dash-update-component"


def _post(app: Any, data: bytes | str, content_type: str = "application/json") -> Any:
    return app.server.test_client().post(URL, data=data, content_type=content_type)


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert all(r.exc_info is None for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert "Traceback" not in caplog.text


def _unknown_output() -> dict[str, Any]:
    body = page_payload("/world", "")
    body["output"] = "nope.children"
    return body


def _missing(field: str) -> dict[str, Any]:
    body = page_payload("/world", "")
    del body[field]
    return body


def _retyped(field: str, value: Any) -> dict[str, Any]:
    body = page_payload("/world", "")
    body[field] = value
    return body


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"null", "JSON object"),
        (b"[1, 2]", "JSON object"),
        (json.dumps(_unknown_output()), "no callback has output"),
        (json.dumps(_missing("output")), "'output'"),
        (json.dumps(_missing("inputs")), "'inputs'"),
        (json.dumps(_missing("outputs")), "'outputs'"),
        (json.dumps(_retyped("output", 5)), "'output'"),
        (json.dumps(_retyped("inputs", 3)), "'inputs'"),
        (json.dumps(_retyped("inputs", [1, 2])), "'inputs'[0]"),
        (json.dumps(_retyped("inputs", [])), "'inputs'"),
        (json.dumps(_retyped("changedPropIds", "url.search")), "'changedPropIds'"),
    ],
)
def test_a_malformed_callback_request_is_a_400_with_its_reason(
    dash_app: Any, caplog: pytest.LogCaptureFixture, data: bytes | str, reason: str
) -> None:
    with caplog.at_level(logging.INFO):
        resp = _post(dash_app, data)
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert reason in text and len(text.splitlines()) == 1
    _no_traceback(caplog)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_huge_body_is_refused_before_it_is_read(dash_app: Any) -> None:
    resp = _post(dash_app, b"[" + b"1," * 300_000 + b"1]")
    assert resp.status_code == 413


def test_a_well_formed_request_still_works(dash_app: Any) -> None:
    resp = _post(dash_app, json.dumps(page_payload("/world", "")))
    assert resp.status_code == 200


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4)
    ),
    max_leaves=20,
)
_fuzz = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_fuzz
@given(body=_json)
def test_fuzz_any_json_body_is_never_a_server_error(dash_app: Any, body: Any) -> None:
    assert _post(dash_app, json.dumps(body)).status_code < 500


@_fuzz
@given(data=st.data())
def test_fuzz_real_callbacks_with_any_values_are_never_a_server_error(
    dash_app: Any, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    output = data.draw(st.sampled_from(sorted(dash_app.callback_map)))
    cb = dash_app.callback_map[output]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in output.strip(".").split("...")
    ]

    def items(declared: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**d, "value": data.draw(_json)} for d in declared]

    inputs = items(cb["inputs"])
    body = {
        "output": output,
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "state": items(cb.get("state", [])),
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs[:1]],
    }
    caplog.clear()
    assert _post(dash_app, json.dumps(body)).status_code < 500
    _no_traceback(caplog)
