"""Like of one of our events: the person is "interested" (Mastodon's star on
an event is the nearest thing it has to an RSVP). Undo(Like) takes it back."""
from __future__ import annotations

from fedchapter.errors import NotFound
from fedchapter.services.rsvps import RsvpRefused
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import our_event_id, sender_is_member


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        raise Ignored("a Like of something that is not one of our events")
    try:
        counted = await ctx.features.rsvps.like(event_id, activity.actor,
                                                is_member=await sender_is_member(ctx, activity))
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
        raise Ignored("an Undo of a Like of something that is not one of our events")
    if not await ctx.features.rsvps.unlike(event_id, activity.actor):
        raise Ignored("no interest of theirs to take back")
