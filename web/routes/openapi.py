"""``GET /api/v1/openapi.json``: the API described as OpenAPI 3.1.

Paths and methods are read from the app's own routing table, so the schema
never drifts from what is served; request bodies of the main writes are
described here, following docs/interfaces.md (the contract).
"""
from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

API_PREFIX = "/api/v1/"

_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}
_NUMBER = {"type": "number"}
_BOOLEAN = {"type": "boolean"}
_VISIBILITY = {"type": "string", "enum": ["public", "members"]}
_STRINGS = {"type": "array", "items": _STRING}

_PLACE = {
    "type": "object",
    "properties": {name: _STRING for name in ("name", "street", "locality", "postal_code", "country")}
    | {"lat": _NUMBER, "lon": _NUMBER},
}

REQUEST_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/events"): {
        "type": "object",
        "required": ["title", "start", "end", "timezone"],
        "properties": {
            "title": _STRING, "description": {"type": "string", "description": "Markdown"},
            "start": {"type": "string", "description": "local wall-clock time in `timezone`"},
            "end": _STRING, "timezone": {"type": "string", "description": "IANA zone"},
            "location": _PLACE, "online_url": _STRING, "capacity": _INTEGER, "category": _STRING,
            "rrule": {"type": "string", "description": "RFC 5545 RRULE value without the RRULE: prefix"},
            "visibility": _VISIBILITY,
        },
    },
    ("post", "/api/v1/events/{id}/rsvp"): {
        "type": "object", "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["going", "interested", "not-going"]}},
    },
    ("post", "/api/v1/minutes"): {
        "type": "object",
        "required": ["title", "meeting_date", "attendance"],
        "properties": {
            "title": _STRING, "meeting_date": _STRING, "event": _STRING, "attendance": _INTEGER,
            "present": _STRINGS,
            "agenda": {"type": "array", "items": {"type": "object", "properties": {"title": _STRING, "notes": _STRING}}},
            "decisions": {"type": "array", "items": {"type": "object", "properties": {
                "text": _STRING, "for": _INTEGER, "against": _INTEGER, "abstain": _INTEGER,
                "outcome": {"type": "string", "enum": ["carried", "rejected", "deferred", "noted"]}}}},
            "actions": {"type": "array", "items": {"type": "object", "properties": {
                "text": _STRING, "owner": _STRING, "due": _STRING}}},
            "next_meeting": {"type": "object"}, "visibility": _VISIBILITY,
        },
    },
    ("post", "/api/v1/proposals"): {
        "type": "object",
        "required": ["title", "body", "method", "closes_at"],
        "properties": {
            "title": _STRING, "body": _STRING,
            "method": {"type": "string", "enum": ["consent", "yes-no", "single", "multiple", "irv", "stv"]},
            "options": _STRINGS, "seats": _INTEGER,
            "stv_rule": {"type": "string", "enum": ["scottish", "meek"]},
            "closes_at": _STRING,
            "quorum": {"oneOf": [_INTEGER, {"type": "string", "pattern": "^[0-9]+%$"}]},
            "threshold": {"type": "string", "enum": ["simple-majority", "two-thirds", "unanimity"]},
            "hide_results": _BOOLEAN, "share_with": _STRINGS,
        },
    },
    ("post", "/api/v1/proposals/{id}/vote"): {
        "type": "object",
        "properties": {"choice": _STRING, "choices": _STRINGS, "ranking": _STRINGS, "reason": _STRING},
    },
    ("post", "/api/v1/members"): {
        "type": "object", "required": ["actor"],
        "properties": {"actor": {"type": "string", "description": "@name@host or an actor URL"}, "role": _STRING},
    },
    ("post", "/api/v1/comments"): {
        "type": "object", "required": ["object", "content"],
        "properties": {"object": _STRING, "content": _STRING, "in_reply_to": _STRING},
    },
}

_ERROR = {
    "description": "refused",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"],
        "properties": {"error": _STRING, "field": {"type": "string", "description": "dotted path into the body"}},
    }}},
}


def _openapi_path(path: str) -> str:
    # Starlette writes {id:str}; OpenAPI wants {id}.
    return re.sub(r"\{(\w+)(:\w+)?\}", r"{\1}", path)


def describe(routes: list[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith(API_PREFIX):
            continue
        path = _openapi_path(route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            verb = method.lower()
            operation: dict[str, Any] = {
                "operationId": f"{verb}_{route.name}",
                "responses": {
                    "200": {"description": "OK"},
                    **{str(code): _ERROR for code in (401, 403, 404, 409, 413, 422)},
                },
            }
            if verb != "get":
                operation["security"] = [{"bearer": []}]
            parameters = [
                {"name": name, "in": "path", "required": True, "schema": _STRING}
                for name in re.findall(r"\{(\w+)\}", path)
            ]
            if parameters:
                operation["parameters"] = parameters
            body = REQUEST_BODIES.get((verb, path))
            if body is not None:
                operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
            paths.setdefault(path, {})[verb] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "fedchapter API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": dict(sorted(paths.items())),
    }


async def openapi(request: Request) -> Response:
    return JSONResponse(describe(request.app.routes))


routes = [Route("/api/v1/openapi.json", openapi)]
