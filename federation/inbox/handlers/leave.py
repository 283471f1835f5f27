"""Leave: someone who RSVPed to one of our events is no longer going."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import event_inbox, our_event_id, pass_on


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        await pass_on(ctx, activity)
        return
    if not await event_inbox(ctx).rsvps.leave(event_id, activity.actor):
        raise Ignored("they were not going")
