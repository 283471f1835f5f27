"""Like of one of our events: the person is "interested" (Mastodon's star on
an event is the nearest thing it has to an RSVP). Undo(Like) takes it back."""
from __future__ import annotations

from fedchapter.errors import NotFound
from fedchapter.services.rsvps import RsvpRefused
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import event_inbox, our_event_id, pass_on


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        await pass_on(ctx, activity)
        return
    services = event_inbox(ctx)
    try:
        counted = await services.rsvps.like(event_id, activity.actor,
                                            is_member=await services.is_member(activity.actor))
    except NotFound:
        raise Ignored("a Like of an event we do not have (or not for them)") from None
    except RsvpRefused as refused:
        raise Ignored(f"a Like not counted: {refused}") from None
    if not counted:
        raise Ignored("they already answered this event")


async def undo(ctx: InboxContext, activity: ReceivedActivity) -> None:
    undone = activity.object
    event_id = our_event_id(ctx, undone.get("object") if isinstance(undone, dict) else None)
    if event_id is None:
        await pass_on(ctx, activity, undo=True)
        return
    if not await event_inbox(ctx).rsvps.unlike(event_id, activity.actor):
        raise Ignored("no interest of theirs to take back")
