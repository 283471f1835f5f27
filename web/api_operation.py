"""What one ``/api/v1`` route declares about itself: its request body (a
``fedchapter.body_schema`` description), its success status, whether it is a
paged list, and the refusals it may answer. ``web.api_contract`` holds the
declarations of every route; a route reads its body with
:func:`checked_body`, which checks it against its own declaration, and
``web.routes.openapi`` documents the very same declarations. One description
serves both, so the document cannot drift from what is accepted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from fedchapter.body_schema import Obj
from web.api_support import json_object

READ_ERRORS = (404, 422)
WRITE_ERRORS = (401, 403, 404, 409, 413, 422)


@dataclass(frozen=True)
class Operation:
    summary: str
    body: Obj | None = None
    status: int = 200
    paged: bool = False
    errors: tuple[int, ...] = READ_ERRORS
    query: tuple[dict[str, Any], ...] = ()


def read(summary: str, *, paged: bool = False, errors: tuple[int, ...] = READ_ERRORS,
         query: tuple[dict[str, Any], ...] = ()) -> Operation:
    return Operation(summary, paged=paged, errors=errors, query=query)


def write(summary: str, body: Obj | None = None, *, status: int = 200,
          query: tuple[dict[str, Any], ...] = ()) -> Operation:
    return Operation(summary, body=body, status=status, errors=WRITE_ERRORS, query=query)


def query_parameter(name: str, description: str, *, required: bool = False,
                    choices: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if choices:
        schema["enum"] = list(choices)
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


# (endpoint, method) → its declared body, found once per route.
_bodies: dict[tuple[object, str], Obj] = {}


def _declared_body(request: Request) -> Obj:
    # Imported here, not at the top: the contract itself imports this module.
    from web.api_contract import CONTRACT

    endpoint = request.scope.get("endpoint")
    key = (endpoint, request.method)
    if key in _bodies:
        return _bodies[key]
    # The contract is keyed by method and path template: find this request's template.
    for route in request.app.routes:
        if isinstance(route, Route) and route.endpoint is endpoint and request.method in (route.methods or ()):
            declared = CONTRACT.get((request.method, route.path))
            if declared is not None and declared.body is not None:
                _bodies[key] = declared.body
                return declared.body
    raise RuntimeError(f"{request.method} {request.url.path} reads a body its contract does not declare")


async def checked_body(request: Request) -> dict[str, Any]:
    """The JSON body, checked against the body its route declares in ``web.api_contract``."""
    body = await json_object(request)
    _declared_body(request).check(body)
    return body
