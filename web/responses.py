"""Response helpers shared by the routes: ActivityStreams JSON and JSON errors."""
from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response

from federation.vocabulary import ACTIVITY_JSON


def activity_json(document: dict[str, Any], status_code: int = 200) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        status_code=status_code,
        media_type=ACTIVITY_JSON,
        headers={"Vary": "Accept"},
    )


def json_error(status_code: int, message: str, field: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status_code)


def activity_json_with_stored_items(document: dict[str, Any], items_json: list[str]) -> Response:
    """A collection page whose ``orderedItems`` are JSON texts as stored: they
    are spliced in unparsed (parsing and re-serialising 20 activities was most
    of an outbox page's CPU). ``document`` must carry ``orderedItems: []``."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    empty = '"orderedItems":[]'
    assert empty in text
    text = text.replace(empty, '"orderedItems":[' + ",".join(items_json) + "]", 1)
    return Response(text, media_type=ACTIVITY_JSON, headers={"Vary": "Accept"})
