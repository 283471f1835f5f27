"""On a network: a member chapter's Join of one of our events naming its
representatives (``fc:representative``, federation/network_representatives.py).

The intake has checked that the chapter itself signed it (the signing key
belongs to the activity's actor), and that signature is the chapter's word
for whom it sends. Anything else is refused and recorded as ignored with
why: a Join of something that is not our event, people without names, a
sender that is no member chapter, an event that is over. Nothing is
answered: the chapter keeps no state to settle, it simply says again when
the office changes hands.
"""
from __future__ import annotations

from fedchapter.networks.representatives import RepresentativesRefused
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import our_event_id
from federation.network_representatives import representatives_from_as, said_at


async def receive(ctx: InboxContext, activity: ReceivedActivity) -> None:
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        raise Ignored(f"{activity.actor} named representatives for something that is not one of our events")
    named = representatives_from_as(activity.payload)
    if named is None:
        raise Ignored("fc:representative names people, each with a name (and an id when they have an actor)")
    try:
        await ctx.features.network_representatives.receive(
            event_id, activity.actor, named, said_at(activity.payload)
        )
    except RepresentativesRefused as refused:
        raise Ignored(f"refused the representatives {activity.actor} named: {refused}") from None
