"""The inboxes: each actor's, the shared one and the instance actor's. They
verify and store (``federation.inbox.intake``) and answer 202; the inbox
worker processes later."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.actors import LocalActorKind
from federation.inbox.intake import MAX_BODY_BYTES, IntakeAnswer
from web.context import context_of
from web.responses import json_error


class _TooLarge(Exception):
    pass


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _request_target(request: Request) -> str:
    """The path and query exactly as the client sent them: what it signed."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


async def _receive(request: Request, local_actor_id: int | None) -> Response:
    federation = context_of(request).federation
    try:
        body = await _read_body(request)
    except _TooLarge:
        context_of(request).metrics.inbox_refused("too_large")
        return json_error(413, f"activities are limited to {MAX_BODY_BYTES} bytes")
    answer: IntakeAnswer = await context_of(request).inbox.intake.receive(
        target=_request_target(request), headers=request.headers, body=body, local_actor_id=local_actor_id,
        base_url=federation.settings.base_url,
    )
    if answer.status == 202:
        return Response(status_code=202)
    return JSONResponse({"error": answer.message}, status_code=answer.status, headers=answer.headers)


async def actor_inbox(request: Request) -> Response:
    actor = await context_of(request).documents.local_actor(request.path_params["username"])
    if actor is None or actor.kind is LocalActorKind.APPLICATION:
        return json_error(404, "no such actor")
    return await _receive(request, actor.id)


async def shared_inbox(request: Request) -> Response:
    return await _receive(request, None)


async def instance_inbox(request: Request) -> Response:
    instance = await context_of(request).instance_actor()
    return await _receive(request, instance.id)


routes = [
    Route("/inbox", shared_inbox, methods=["POST"]),
    Route("/actor/inbox", instance_inbox, methods=["POST"]),
    Route("/actors/{username}/inbox", actor_inbox, methods=["POST"]),
]
