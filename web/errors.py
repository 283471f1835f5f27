"""Turning refusals into answers: JSON ``{"error", "field"}`` for the API and
servers, a friendly page for people. Never a 500 for bad input."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from federation.signatures import SignatureError
from fedchapter.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from web.api_support import PayloadTooLarge, is_api_request
from web.auth import LoginRequired, bearer_token
from web.negotiation import prefers_activity_json
from web.responses import json_error
from web.templating import render


def _wants_json(request: Request) -> bool:
    return (
        is_api_request(request)
        or bearer_token(request) is not None
        or prefers_activity_json(request.headers.get("accept"))
        or request.url.path.startswith("/.well-known/")
    )


def _answer(request: Request, status: int, message: str, field: str | None = None) -> Response:
    if _wants_json(request):
        return json_error(status, message, field)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


async def domain_error(request: Request, error: Exception) -> Response:
    if isinstance(error, ValidationError):
        return _answer(request, 422, error.message, error.field)
    if isinstance(error, NotFound):
        return _answer(request, 404, str(error) or "not found")
    if isinstance(error, Forbidden):
        return _answer(request, 403, str(error) or "forbidden")
    if isinstance(error, Conflict):
        return _answer(request, 409, str(error) or "conflict")
    return _answer(request, 400, str(error) or "bad request")


async def login_required(request: Request, error: Exception) -> Response:
    if _wants_json(request):
        return json_error(401, "log in or send Authorization: Bearer TOKEN")
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def payload_too_large(request: Request, error: Exception) -> Response:
    return _answer(request, 413, str(error))


async def signature_refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, SignatureError)
    return json_error(error.status, error.reason)


async def http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return _answer(request, error.status_code, error.detail or "error")


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    LoginRequired: login_required,
    PayloadTooLarge: payload_too_large,
    HTTPException: http_exception,
    SignatureError: signature_refused,
}
