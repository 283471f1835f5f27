"""``GET /api/v1/openapi.json``: the API described as OpenAPI 3.1.

Generated, never written by hand: the paths and methods from the app's own
routing table, and for each the declaration in ``web.api_contract``, whose
request bodies are the very descriptions that check the requests
(``web.api_operation.checked_body``). A route without a declaration is a
RuntimeError here and a failing test, so nothing served goes undocumented.
"""
from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from web.api_contract import CONTRACT
from web.api_operation import Operation
from web.pagination import LIST_PARAMETERS

API_PREFIX = "/api/v1/"

_STRING = {"type": "string"}
# What a resource answers: its fields vary, these it always has.
_RESOURCE = {"type": "object", "properties": {"id": _STRING, "ap_id": _STRING, "url": _STRING}}

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


def _list_answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "type": "object", "required": ["items", "next"],
        "properties": {"items": {"type": "array", "items": {"type": "object"}},
                       "next": {"type": ["string", "null"], "description": "the URL of the next page"}},
    }}}}


def _operation(verb: str, path: str, name: str, declared: Operation) -> dict[str, Any]:
    success: dict[str, Any]
    if declared.status == 204:
        success = {"description": "done; no content"}
    elif declared.paged:
        success = _list_answer(declared.summary)
    else:
        success = {"description": declared.summary, "content": {"application/json": {"schema": _RESOURCE}}}
    operation: dict[str, Any] = {
        "operationId": f"{verb}_{name}",
        "summary": declared.summary,
        "responses": {str(declared.status): success, **{str(code): _ERROR for code in declared.errors}},
    }
    if verb != "get":
        operation["security"] = [{"bearer": []}]
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": _STRING}
        for name in re.findall(r"\{(\w+)\}", path)
    ]
    parameters += list(declared.query)
    if declared.paged:
        parameters += LIST_PARAMETERS
    if parameters:
        operation["parameters"] = parameters
    if declared.body is not None:
        operation["requestBody"] = {
            "required": True, "content": {"application/json": {"schema": declared.body.json_schema()}},
        }
    return operation


def describe(routes: list[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith(API_PREFIX):
            continue
        path = _openapi_path(route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            declared = CONTRACT.get((method, route.path))
            if declared is None:
                raise RuntimeError(f"{method} {route.path} has no entry in web.api_contract")
            paths.setdefault(path, {})[method.lower()] = _operation(method.lower(), path, route.name, declared)
    return {
        "openapi": "3.1.0",
        "info": {"title": "fedchapter API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": dict(sorted(paths.items())),
    }


async def openapi(request: Request) -> Response:
    return JSONResponse(describe(request.app.routes))


routes = [Route("/api/v1/openapi.json", openapi)]
