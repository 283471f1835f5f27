"""Who is reading this request: a logged-in account, a signed fetch from an
actor (a member of the chapter or not), or nobody.

Members-only items answer only to members: a logged-in member, or a server
fetching on behalf of a member actor with a valid HTTP signature.
"""
from __future__ import annotations

from starlette.requests import Request

from fedchapter.readers import ANONYMOUS, Reader
from federation.signatures import request_target, verify_request
from web.auth import current_user
from web.context import AppContext, context_of


async def is_member_actor(ctx: AppContext, actor_id: str) -> bool:
    """Is this actor (one of our Persons or a remote account) a member?"""
    return await ctx.members.directory.is_member_actor(actor_id)


async def signed_actor(request: Request) -> str | None:
    """The actor whose valid HTTP signature this request carries, if any.

    A signature we cannot verify (a bad one, or RFC 9421, which we do not
    support) raises SignatureError, answered 401: senders that try RFC 9421
    first fall back to draft-cavage only on a 401, never on a 404.
    """
    if "signature" not in request.headers and "signature-input" not in request.headers:
        return None
    ctx = context_of(request)
    target = request_target(str(request.url))
    verified = await verify_request(
        request.method, target, request.headers, None, ctx.federation.resolver.key_lookup
    )
    return verified.owner


async def reader_for(request: Request) -> Reader:
    if "reader" in request.state._state:  # computed once per request
        return request.state.reader  # type: ignore[no-any-return]
    ctx = context_of(request)
    user = await current_user(request)
    reader = ANONYMOUS
    if user is not None:
        reader = Reader.for_role(user.role, username=user.username, actor_id=ctx.urls.actor(user.username))
    else:
        actor_id = await signed_actor(request)
        if actor_id is not None:
            reader = Reader(is_member=await is_member_actor(ctx, actor_id), actor_id=actor_id)
    request.state.reader = reader
    return reader
