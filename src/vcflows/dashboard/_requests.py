"""Check a request before Dash sees it: its route, and a callback request's shape.

Routes: Dash serves its page for *any* GET path (a catch-all route), so a mistyped link or a
probe answered 200; here a path that names no view answers 404 with the list of pages, and
the callback endpoint asked with another method than POST answers 405.

Callback requests: Dash's ``/_dash-update-component`` trusts its body: an unknown output id, a missing field or a
list where an object belongs raises ``KeyError``/``AttributeError`` inside Dash (a 500 and a
traceback in the log). The browser always sends an object naming a registered output, with
one ``{"id", "property", "value"}`` entry per declared input and state, in declared order;
anything else is refused here with a short reason.
"""

from __future__ import annotations

from typing import Any

from vcflows.dashboard.state import VIEW_PATHS, view_of_path

#: The endpoint Dash answers callbacks on (relative to the app's URL prefix).
CALLBACK_PATH = "_dash-update-component"
#: Dash's catch-all route, which serves the page for every other GET path.
CATCH_ALL_RULE = "/<path:path>"


def route_refusal(method: str, path: str, rule: str | None) -> tuple[int, str] | None:
    """The status and reason to refuse a request with, or None to let it through.

    Parameters
    ----------
    method : str
        HTTP method.
    path : str
        URL path (without the query string).
    rule : str or None
        The URL rule the request matched (``request.url_rule.rule``), None when none did.

    Returns
    -------
    tuple of (int, str) or None
        ``(405, reason)`` for the callback endpoint asked without POST, ``(404, reason)`` for
        a page path naming no view; None otherwise (Flask answers unmatched routes itself).
    """
    if path.endswith("/" + CALLBACK_PATH) and method not in ("POST", "OPTIONS"):
        return 405, f"{CALLBACK_PATH} answers POST only"
    if rule == CATCH_ALL_RULE and view_of_path(path) is None:
        shown = repr(path[:60] + ("…" if len(path) > 60 else ""))
        return 404, f"no page {shown}; pages: {', '.join(VIEW_PATHS.values())}"
    return None


class BadCallbackRequest(ValueError):
    """A callback request body that no browser running this app would send."""


def _check_items(given: Any, declared: list[dict[str, Any]], field: str) -> None:
    if not isinstance(given, list):
        raise BadCallbackRequest(f"'{field}' must be a list")
    if len(given) != len(declared):
        raise BadCallbackRequest(f"'{field}' must have {len(declared)} entries, not {len(given)}")
    for i, (item, want) in enumerate(zip(given, declared, strict=True)):
        if not isinstance(item, dict):
            raise BadCallbackRequest(f"'{field}'[{i}] must be an object")
        if item.get("id") != want["id"] or item.get("property") != want["property"]:
            raise BadCallbackRequest(f"'{field}'[{i}] must be {want['id']}.{want['property']}")


def check_callback_body(body: Any, callback_map: dict[str, dict[str, Any]]) -> None:
    """Raise :class:`BadCallbackRequest` unless ``body`` is a well-formed callback request.

    Parameters
    ----------
    body : Any
        The request's decoded JSON.
    callback_map : dict
        The app's registered callbacks (``Dash.callback_map``), keyed by output id.

    Raises
    ------
    BadCallbackRequest
        With a short reason (the field at fault).
    """
    if not isinstance(body, dict):
        raise BadCallbackRequest("the body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadCallbackRequest("'output' must be a string")
    callback = callback_map.get(output)
    if callback is None:
        raise BadCallbackRequest(f"no callback has output {output[:80]!r}")
    if not isinstance(body.get("outputs"), dict | list):
        raise BadCallbackRequest("'outputs' must be an object or a list")
    _check_items(body.get("inputs"), callback["inputs"], "inputs")
    _check_items(body.get("state", []), callback.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("'changedPropIds' must be a list of strings")
