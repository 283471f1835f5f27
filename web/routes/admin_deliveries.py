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
    repos = context_of(request).repos
    return render(
        request,
        "admin/deliveries.html",
        {
            "counts": await repos.deliveries.count_by_state(),
            "hosts": await repos.deliveries.per_host(),
            "host_states": {state.host: state for state in await repos.delivery_hosts.all()},
            "recent_failures": await repos.deliveries.listing(("failed",), RECENT_LIMIT),
            "pending": await repos.deliveries.listing(("queued", "sending"), RECENT_LIMIT),
        },
    )


routes = [Route("/admin/deliveries", deliveries_page, methods=["GET"])]
