"""What every JSON API route shares: reading a bounded JSON body, answering
errors as ``{"error", "field"}``, and the resource envelope ``{id, ap_id, url}``."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from fedchapter.errors import ValidationError

MAX_JSON_BYTES = 1_000_000
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PayloadTooLarge(Exception):
    """A body over the limit: 413."""


async def read_body(request: Request, max_bytes: int = MAX_JSON_BYTES) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"the body is larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"the body is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def json_object(request: Request, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    raw = await read_body(request, max_bytes)
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationError(None, "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ValidationError(None, "the body must be a JSON object")
    return body


def limit_param(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def is_api_request(request: Request) -> bool:
    return request.url.path.startswith("/api/")
