"""Bodies that arrive too slowly, too big, or not at all: a 408 or 413 with a
reason, and a client that leaves mid-body leaves no traceback."""
from __future__ import annotations

import asyncio
import logging

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message

from web.request_limits import RequestLimitsMiddleware

stored: list[bytes] = []


async def store_body(request: Request) -> Response:
    body = b""
    async for chunk in request.stream():  # reads the stream itself, as the inbox does
        body += chunk
    stored.append(body)
    return PlainTextResponse("stored")


def app(**limits: float) -> Starlette:
    # Among the app's middleware, as web.app places it (inside Starlette's error handling).
    return Starlette(routes=[Route("/", store_body, methods=["POST"])],
                     middleware=[Middleware(RequestLimitsMiddleware, **limits)])


async def call(asgi: object, messages: list[Message | float]) -> list[Message]:
    """Run one request; a float in ``messages`` is a pause before the next part."""
    sent: list[Message] = []
    queue = list(messages)

    async def receive() -> Message:
        while queue and isinstance(queue[0], float):
            await asyncio.sleep(queue.pop(0))  # type: ignore[arg-type]
        if queue:
            return queue.pop(0)  # type: ignore[return-value]
        await asyncio.sleep(3600)  # the client says nothing more
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "raw_path": b"/", "query_string": b"",
             "headers": [], "http_version": "1.1", "scheme": "http", "server": ("test", 80), "client": ("t", 1),
             "root_path": ""}
    await asyncio.wait_for(asyncio.ensure_future(asgi(scope, receive, send)), 5)  # type: ignore[operator]
    return sent


@pytest.fixture(autouse=True)
def nothing_stored() -> None:
    stored.clear()


async def test_a_body_trickling_in_past_the_time_limit_gets_408() -> None:
    sent = await call(app(body_seconds=0.2), [{"type": "http.request", "body": b"a", "more_body": True}, 0.5,
                                              {"type": "http.request", "body": b"b", "more_body": False}])
    assert sent[0]["status"] == 408
    assert b"did not arrive within" in sent[1]["body"]
    assert stored == []


async def test_a_body_over_the_size_limit_gets_413() -> None:
    chunk = {"type": "http.request", "body": b"x" * 600, "more_body": True}
    sent = await call(app(max_body_bytes=1_000), [chunk, chunk, {"type": "http.request", "body": b""}])
    assert sent[0]["status"] == 413
    assert stored == []


async def test_a_client_leaving_mid_body_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sent = await call(app(), [{"type": "http.request", "body": b"half", "more_body": True},
                              {"type": "http.disconnect"}])
    assert sent == [] and stored == []
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING or record.exc_info]


async def test_a_body_in_time_and_in_size_is_served() -> None:
    sent = await call(app(body_seconds=2), [{"type": "http.request", "body": b"ab", "more_body": True}, 0.05,
                                            {"type": "http.request", "body": b"cd", "more_body": False}])
    assert sent[0]["status"] == 200 and stored == [b"abcd"]
