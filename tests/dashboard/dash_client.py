"""Call a Dash app's callbacks over HTTP, as the browser does (POST /_dash-update-component)."""

from __future__ import annotations

import json
from typing import Any


def _multi(outputs: list[tuple[str, str]]) -> str:
    if len(outputs) == 1:
        return f"{outputs[0][0]}.{outputs[0][1]}"
    return ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".."


def payload(
    outputs: list[tuple[str, str]],
    inputs: list[tuple[str, str, Any]],
    state: list[tuple[str, str, Any]] = (),  # type: ignore[assignment]
    changed: list[str] | None = None,
) -> dict[str, Any]:
    """The JSON body of a callback request."""
    return {
        "output": _multi(outputs),
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": changed if changed is not None else [f"{i}.{p}" for i, p, _ in inputs],
    }


def page_payload(pathname: str, search: str) -> dict[str, Any]:
    """Body of the request that draws a view."""
    return payload(
        [("page", "children"), ("messages", "children")],
        [("url", "pathname", pathname), ("url", "search", search)],
    )


def texts(node: Any) -> list[str]:
    """Every string in a serialized component tree (to search a response for messages)."""
    out: list[str] = []
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list):
        for x in node:
            out.extend(texts(x))
    elif isinstance(node, dict):
        for k, v in node.items():
            if k in ("children", "props") or isinstance(v, list | dict):
                out.extend(texts(v))
    return out


def find_props(node: Any, key: str, value: Any) -> list[dict[str, Any]]:
    """Props of every component whose prop ``key`` equals ``value``."""
    found: list[dict[str, Any]] = []
    if isinstance(node, list):
        for x in node:
            found.extend(find_props(x, key, value))
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if props.get(key) == value:
                found.append(props)
            found.extend(find_props(props.get("children"), key, value))
        else:
            for v in node.values():
                found.extend(find_props(v, key, value))
    return found


def post(client: Any, body: dict[str, Any]) -> tuple[int, Any]:
    """POST a callback request with a Flask test client; (status, parsed JSON or text)."""
    resp = client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    text = resp.get_data(as_text=True)
    try:
        return resp.status_code, json.loads(text)
    except ValueError:
        return resp.status_code, text
