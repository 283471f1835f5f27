"""``/api/v1/followers``: the chapter's followers and, when the chapter
approves each new follower by hand, the pending requests an admin accepts or
rejects (the answer goes to the follower's server)."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.errors import N_, NotFound, ValidationError
from fedchapter.roles import Permission
from fedchapter.queue_states import FollowState
from federation.ports import FollowerRow
from web.auth import require_permission
from web.context import context_of
from web.pagination import list_answer, page_of


def follower_json(row: FollowerRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "ap_id": row.actor_id,
        "url": row.actor_id,
        "actor": row.actor_id,
        "state": row.state,
        "follow": row.follow_activity_id,
        "requested_at": row.created_at,
    }


def request_number(request: Request) -> int:
    raw = request.path_params["id"]
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound(f"there is no follow request {raw}")
    return int(raw)


async def list_followers(request: Request) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    raw = request.query_params.get("state", FollowState.ACCEPTED.value)
    try:
        state = FollowState(raw)
    except ValueError:
        raise ValidationError("state", N_("state is pending or accepted")) from None
    page = page_of(request)
    found = await context_of(request).federation.follows.followers(state, limit=page.fetch, offset=page.offset)
    return list_answer(request, page, *page.trim(found), follower_json)


async def _answer(request: Request, *, accept: bool) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    row = await context_of(request).federation.follows.answer_request(request_number(request), accept=accept)
    state = FollowState.ACCEPTED if accept else FollowState.REJECTED
    return JSONResponse({**follower_json(row), "state": state})


async def accept_follower(request: Request) -> Response:
    return await _answer(request, accept=True)


async def reject_follower(request: Request) -> Response:
    return await _answer(request, accept=False)


routes = [
    Route("/api/v1/followers", list_followers, methods=["GET"]),
    Route("/api/v1/followers/{id}/accept", accept_follower, methods=["POST"]),
    Route("/api/v1/followers/{id}/reject", reject_follower, methods=["POST"]),
]
