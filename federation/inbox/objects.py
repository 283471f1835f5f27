"""Which embedded objects we believe.

An object is trusted as embedded only when its id lives on the host of the
actor whose signature we verified: a server speaks for its own objects. Any
other object is fetched from its origin (signed, as the instance actor) and
dropped if that fails, so nobody can put words in another server's mouth.
"""
from __future__ import annotations

from typing import Any

from federation.inbox.activity import Ignored, ReceivedActivity, host_of, id_of, same_host
from federation.inbox.context import InboxContext
from federation.safe_http import FetchError


async def fetch_from_origin(ctx: InboxContext, url: str) -> dict[str, Any]:
    try:
        document = await ctx.fetcher.get_json(url)
    except FetchError as error:
        raise Ignored(f"could not fetch {url} from its origin: {error.reason}") from None
    fetched_id = id_of(document)
    if fetched_id is None or host_of(fetched_id) != host_of(url):
        raise Ignored(f"{url} answered with an object of another host")
    return document


async def trusted_object(ctx: InboxContext, activity: ReceivedActivity) -> dict[str, Any]:
    """The activity's object, embedded if its actor's host owns it, else fetched from its origin."""
    value = activity.object
    object_id = id_of(value)
    if object_id is None:
        raise Ignored("the activity has no object id")
    if isinstance(value, dict) and same_host(object_id, activity.actor):
        return value
    if ctx.urls.is_local(object_id):
        raise Ignored("a remote activity cannot carry one of our own objects")
    return await fetch_from_origin(ctx, object_id)
