"""``GET /healthz`` and ``GET /metrics``: what a load balancer, systemd's
watchdog scripts and Prometheus ask. ``web.observability`` answers them ahead
of the page middlewares (sessions, the chapter's name for templates): a probe
must tell the truth about the database even when those would fail on it.
"""
from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from web.context import AppContext

# Longer than any healthy query, shorter than a proxy's health-check timeout.
HEALTH_TIMEOUT_SECONDS = 2.0
NO_STORE = {"Cache-Control": "no-store"}


def _unhealthy(reason: str) -> Response:
    return PlainTextResponse(reason.splitlines()[0] if reason else "unhealthy", status_code=503,
                             headers=NO_STORE)


def _context(request: Request) -> AppContext | None:
    return getattr(request.app.state, "ctx", None)


async def healthz(request: Request) -> Response:
    """200 ``ok`` when the database answers a real query, 503 and why otherwise."""
    ctx = _context(request)
    if ctx is None:
        return _unhealthy("starting: the chapter is not open yet")
    try:
        # A real table, not ``SELECT 1``: a database that lost its schema is not healthy.
        version = await asyncio.wait_for(ctx.schema_version(), HEALTH_TIMEOUT_SECONDS)
    except TimeoutError:
        return _unhealthy(f"database: no answer within {HEALTH_TIMEOUT_SECONDS:g}s")
    except Exception as error:  # any failure is the answer, never a 500
        return _unhealthy(f"database: {type(error).__name__}: {error}")
    if version is None:
        return _unhealthy("database: no schema")
    return PlainTextResponse("ok", headers=NO_STORE)


async def metrics(request: Request) -> Response:
    """The Prometheus text exposition when ``metrics = true``; 404 otherwise."""
    ctx = _context(request)
    export = None if ctx is None else ctx.metrics_export
    if ctx is None or export is None:
        return PlainTextResponse("not found", status_code=404)
    try:
        queues = await ctx.queue_readings()
    except Exception as error:
        return _unhealthy(f"database: {type(error).__name__}: {error}")
    return Response(export.render(queues), media_type=export.content_type, headers=NO_STORE)


PROBES = {"/healthz": healthz, "/metrics": metrics}
