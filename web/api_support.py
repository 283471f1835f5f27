"""What every JSON API route shares: reading a bounded JSON body, answering
errors as ``{"error", "field"}``, and the resource envelope ``{id, ap_id, url}``."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request

from fedchapter.errors import N_, ValidationError
from web.json_body import parse_json

MAX_JSON_BYTES = 1_000_000


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


async def read_json(request: Request, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The body, bounded and parsed by the one JSON reader (web.json_body)."""
    return parse_json(await read_body(request, max_bytes))


async def json_object(request: Request, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    body = await read_json(request, max_bytes)
    if not isinstance(body, dict):
        raise ValidationError(None, N_("the body must be a JSON object"))
    return body


def is_api_request(request: Request) -> bool:
    return request.url.path.startswith("/api/")
