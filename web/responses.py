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
