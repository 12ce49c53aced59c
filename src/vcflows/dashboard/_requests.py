"""Check a callback request's shape before Dash dispatches it (a malformed one answers 400).

Dash's ``/_dash-update-component`` trusts its body: an unknown output id, a missing field or a
list where an object belongs raises ``KeyError``/``AttributeError`` inside Dash (a 500 and a
traceback in the log). The browser always sends an object naming a registered output, with
one ``{"id", "property", "value"}`` entry per declared input and state, in declared order;
anything else is refused here with a short reason.
"""

from __future__ import annotations

from typing import Any

#: The endpoint Dash answers callbacks on (relative to the app's URL prefix).
CALLBACK_PATH = "_dash-update-component"


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
