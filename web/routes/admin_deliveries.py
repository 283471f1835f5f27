"""/admin/deliveries: the health of outgoing federation, read from the
durable delivery queue (the same data as ``fedchapter deliveries``)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.templating import render

RECENT_LIMIT = 50


async def deliveries_page(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    report = await context_of(request).federation.delivery_health.report(limit=RECENT_LIMIT)
    return render(
        request,
        "admin/deliveries.html",
        {
            "counts": report.counts,
            "hosts": report.hosts,
            "host_states": report.host_states,
            "recent_failures": report.failed,
            "pending": report.pending,
        },
    )


routes = [Route("/admin/deliveries", deliveries_page, methods=["GET"])]
