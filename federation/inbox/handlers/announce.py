"""Announce: a followed actor relays an object (a group relaying its members'
posts, FEP-1b12). The object is fetched from its origin and offered to the
feature receiving its type, as a Create would be."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity, id_of, same_host, type_of
from federation.inbox.context import InboxContext
from federation.inbox.objects import fetch_from_origin, trusted_object
from federation.inbox.receivers import offer_created


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    object_id = activity.object_id
    if object_id is None:
        raise Ignored("Announce without an object")
    if ctx.urls.is_local(object_id):
        raise Ignored("a boost of one of our own objects")
    obj = await trusted_object(ctx, activity)
    if type_of(obj) == "Create" and obj.get("object") is not None:
        # Lemmy-style Announce(Create(obj)): the inner object, from its origin too.
        inner_id = id_of(obj.get("object"))
        if inner_id is None:
            raise Ignored("Announce(Create) without an object id")
        inner = obj["object"]
        # The Create came from a host we trust here; it speaks for objects of its own host.
        if isinstance(inner, dict) and same_host(id_of(obj), inner_id):
            obj = inner
        else:
            obj = await fetch_from_origin(ctx, inner_id)
    await offer_created(ctx, activity, obj)

