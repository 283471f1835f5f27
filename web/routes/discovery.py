"""Discovery: WebFinger (RFC 7033), host-meta (RFC 6415) and NodeInfo 2.1."""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.actors import LocalActorKind
from fedchapter.services.setup import INSTANCE_ACTOR_USERNAME
from federation.urls import UrlKind
from federation.vocabulary import ACTIVITY_JSON
from web.context import context_of
from web.responses import json_error

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"
INSTANCE_ACTOR_REL = "https://www.w3.org/ns/activitystreams#Application"


async def _username_for_resource(request: Request, resource: str) -> str | None:
    """The local username a WebFinger resource names, or None."""
    ctx = context_of(request)
    host = ctx.settings.host
    if resource.startswith("acct:"):
        account = resource[len("acct:"):]
        name, at, account_host = account.rpartition("@")
        if not at or account_host.lower() != host.lower():
            return None
        return name.lstrip("@")
    if resource.startswith(("https://", "http://")):
        if urlsplit(resource).netloc.lower() != host.lower():
            return None
        if resource.rstrip("/") == ctx.settings.base_url:
            return ctx.settings.handle  # the home page stands for the chapter
        parsed = ctx.urls.parse(resource.rstrip("/"))
        if parsed is None or not parsed.is_object:
            return None
        if parsed.kind is UrlKind.INSTANCE_ACTOR:
            return INSTANCE_ACTOR_USERNAME
        return parsed.id if parsed.kind is UrlKind.ACTOR else None
    return None


async def webfinger(request: Request) -> Response:
    resource = request.query_params.get("resource")
    if not resource or len(resource) > 500:
        return json_error(400, "the resource parameter is required (acct:name@host or an actor URL)")
    if not resource.startswith(("acct:", "https://", "http://")):
        return json_error(400, "resource must be acct:name@host or an http(s) URL")
    ctx = context_of(request)
    username = await _username_for_resource(request, resource)
    actor = await ctx.documents.local_actor(username) if username else None
    if actor is None:
        return json_error(404, f"no actor here for {resource}")
    actor_url = (
        ctx.urls.instance_actor() if actor.kind is LocalActorKind.APPLICATION else ctx.urls.actor(actor.username)
    )
    profile_page = ctx.urls.absolute("/") if actor.kind is LocalActorKind.GROUP else actor_url
    document = {
        "subject": f"acct:{actor.username}@{ctx.settings.host}",
        "aliases": [actor_url],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": actor_url},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile_page},
        ],
    }
    return JSONResponse(
        document,
        media_type="application/jrd+json",
        headers={"Access-Control-Allow-Origin": "*"},
    )


async def host_meta(request: Request) -> Response:
    template = context_of(request).urls.absolute("/.well-known/webfinger?resource={uri}")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )
    return Response(xml, media_type="application/xrd+xml")


async def nodeinfo_links(request: Request) -> Response:
    ctx = context_of(request)
    return JSONResponse(
        {
            "links": [
                {"rel": NODEINFO_SCHEMA, "href": ctx.urls.absolute("/nodeinfo/2.1")},
                # FEP-2677: where to find the instance actor.
                {"rel": INSTANCE_ACTOR_REL, "href": ctx.urls.instance_actor()},
            ]
        }
    )


async def nodeinfo(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    users, posts = await ctx.documents.usage(await ctx.chapter_actor())
    document = {
        "version": "2.1",
        "software": {
            "name": "fedchapter",
            "version": "0.1.0",
            "repository": "https://fedchapter.org/source",
            "homepage": ctx.urls.absolute("/"),
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0"]},
        "openRegistrations": chapter.openness == "open",
        "usage": {"users": {"total": users}, "localPosts": posts},
        "metadata": {"nodeName": chapter.name, "chapterHandle": ctx.settings.chapter_handle},
    }
    return JSONResponse(
        document,
        media_type=f'application/json; profile="{NODEINFO_SCHEMA}#"',
    )


routes = [
    Route("/.well-known/webfinger", webfinger),
    Route("/.well-known/host-meta", host_meta),
    Route("/.well-known/nodeinfo", nodeinfo_links),
    Route("/nodeinfo/2.1", nodeinfo),
]
