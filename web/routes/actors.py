"""Our actors and their collections, negotiated: JSON for servers, HTML for people."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.actors import LocalActor, LocalActorKind
from federation.collections import ordered_collection, ordered_collection_page, page_bounds
from federation.networks import network_fields
from federation.to_as.actors import group_to_as, instance_actor_to_as, person_to_as
from web.conditional import conditional
from web.context import context_of
from web.negotiation import prefers_activity_json
from web.responses import activity_json, activity_json_with_stored_items, json_error
from web.templating import render


async def _local_actor(request: Request) -> LocalActor | None:
    actor = await context_of(request).documents.local_actor(request.path_params["username"])
    if actor is None or actor.kind is LocalActorKind.APPLICATION:
        return None
    return actor


async def actor(request: Request) -> Response:
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None:
        return json_error(404, "no such actor")
    if not prefers_activity_json(request.headers.get("accept")):
        if found.kind is LocalActorKind.GROUP:
            return RedirectResponse(ctx.urls.absolute("/"), status_code=303)
        return render(request, "person.html", {"person": found})
    if found.kind is LocalActorKind.GROUP:
        chapter = await ctx.chapter()
        document = group_to_as(
            ctx.urls, found, chapter, member_count=await ctx.members.directory.count(), language=ctx.settings.language
        )
        if await ctx.networks.chapters.is_network():
            document.update(network_fields(ctx.urls, found.username))
    else:
        document = person_to_as(ctx.urls, found)
    # The same for every reader; the tag follows the profile and the counts.
    return conditional(request, activity_json(document))


async def instance_actor(request: Request) -> Response:
    ctx = context_of(request)
    return conditional(request, activity_json(instance_actor_to_as(ctx.urls, await ctx.instance_actor())))


def _page_number(request: Request) -> int | None:
    raw = request.query_params.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValueError("page must be a whole number from 1")
    return int(raw)


async def _collection(
    request: Request,
    collection_id: str,
    total: int,
    fetch_page: Callable[[int, int], Awaitable[list[Any]]],
) -> Response:
    try:
        page = _page_number(request)
    except ValueError as error:
        return json_error(400, str(error), "page")
    if page is None:
        return conditional(request, activity_json(ordered_collection(collection_id, total)))
    limit, offset = page_bounds(page)
    return conditional(request, activity_json(
        ordered_collection_page(collection_id, page, await fetch_page(limit, offset), total)))


async def outbox(request: Request) -> Response:
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None:
        return json_error(404, "no such actor")
    total = await ctx.documents.outbox_total(found)
    collection_id = ctx.urls.outbox(found.username)
    try:
        page = _page_number(request)
    except ValueError as error:
        return json_error(400, str(error), "page")
    if page is None:
        return conditional(request, activity_json(ordered_collection(collection_id, total)))
    limit, offset = page_bounds(page)
    stored = await ctx.documents.outbox_page(found, limit, offset)
    return conditional(request, activity_json_with_stored_items(
        ordered_collection_page(collection_id, page, [], total), stored))


async def followers(request: Request) -> Response:
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None:
        return json_error(404, "no such actor")
    total = await ctx.documents.followers_total(found)

    async def fetch(limit: int, offset: int) -> list[Any]:
        return await ctx.documents.followers_page(found, limit, offset)

    return await _collection(request, ctx.urls.followers(found.username), total, fetch)


async def following(request: Request) -> Response:
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None:
        return json_error(404, "no such actor")
    total = await ctx.documents.following_total(found)

    async def fetch(limit: int, offset: int) -> list[Any]:
        return await ctx.documents.following_page(found, limit, offset)

    return await _collection(request, ctx.urls.following(found.username), total, fetch)


async def members(request: Request) -> Response:
    """Only the count is public: who the members are is members-only."""
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None or found.kind is not LocalActorKind.GROUP:
        return json_error(404, "no such group")
    return conditional(request, activity_json(
        ordered_collection(ctx.urls.members(found.username), await ctx.members.directory.count(), first_page=False)))


async def moderators(request: Request) -> Response:
    """FEP-1b12: the group's moderators, public so peers can trust their actions."""
    ctx = context_of(request)
    found = await _local_actor(request)
    if found is None or found.kind is not LocalActorKind.GROUP:
        return json_error(404, "no such group")
    admins = await ctx.members.directory.admin_actor_ids()
    document = ordered_collection(ctx.urls.moderators(found.username), len(admins), first_page=False)
    document["orderedItems"] = admins
    return conditional(request, activity_json(document))


routes = [
    Route("/actor", instance_actor),
    Route("/actors/{username}", actor),
    Route("/actors/{username}/outbox", outbox),
    Route("/actors/{username}/followers", followers),
    Route("/actors/{username}/following", following),
    Route("/actors/{username}/members", members),
    Route("/actors/{username}/moderators", moderators),
]
