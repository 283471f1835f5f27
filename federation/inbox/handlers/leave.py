"""Leave: someone who RSVPed to one of our events is no longer going, or a
member chapter leaves our network (a Leave of our Group)."""
from __future__ import annotations

from federation.inbox import affiliation
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import our_event_id


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    if await affiliation.is_our_group(ctx, activity.object):
        # A member chapter leaves our network.
        await affiliation.receive_leave(ctx, activity)
        return
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        raise Ignored("a Leave of something that is not one of our events")
    if not await ctx.features.rsvps.leave(event_id, activity.actor):
        raise Ignored("they were not going")
