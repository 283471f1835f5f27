"""Announce: a followed actor relays an object (a group relaying its members'
posts, FEP-1b12). The object is fetched from its origin (or, signed by its
author with an FEP-8b32 proof that holds, taken as relayed) and offered to the
feature receiving its type, as a Create would be."""
from __future__ import annotations

from federation.inbox.activity import (
    Ignored,
    ReceivedActivity,
    id_of,
    same_host,
    type_of,
)
from federation.inbox.context import InboxContext
from federation.inbox.objects import fetch_from_origin, trusted_object
from federation.inbox.proofs import check_proof, has_checkable_proof


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    object_id = activity.object_id
    if object_id is None:
        raise Ignored("Announce without an object")
    if ctx.urls.is_local(object_id):
        raise Ignored("a boost of one of our own objects")
    embedded = activity.object
    author = id_of(embedded.get("attributedTo")) if isinstance(embedded, dict) else None
    if has_checkable_proof(embedded) and author is not None and same_host(object_id, author):
        # FEP-8b32: an object signed by its author is believed as relayed,
        # from whoever relays it, once the proof holds (a network relaying a
        # chapter's report); a proof that fails is a forgery and refused. A
        # proof of another cryptosuite we do not check: fetched from its origin.
        await check_proof(ctx, embedded, author, f"the {type_of(embedded)} {object_id} relayed by {activity.actor}")
        obj = embedded
    else:
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
    await ctx.dispatch.offer_created(ctx, activity, obj)

