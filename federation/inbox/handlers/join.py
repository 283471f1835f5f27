"""Join: someone RSVPs to one of our events from their own server.

Answered with an Accept embedding the Join, or a Reject (full, cancelled,
over, invitation only, members only, no such event): never ignored and never
dropped. A Join for a restricted event waits, stored, for an organiser.

A Join of our chapter's Group is a chapter asking to join our network
(federation/inbox/affiliation.py), and a Join of one of our events carrying
``fc:representative`` is a member chapter naming whom it sends
(federation/inbox/representatives.py): both decided here, before the RSVP path.
"""
from __future__ import annotations

from fedchapter.errors import NotFound
from fedchapter.services.rsvps import RsvpRefused
from federation.event_join_answers import send_join_answer
from federation.inbox import affiliation, representatives
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import our_event_id, sender_is_member
from federation.network_representatives import names_representatives


async def answer(ctx: InboxContext, activity: ReceivedActivity, verb: str, reason: str | None = None) -> None:
    await send_join_answer(ctx.outbound, ctx.urls, await ctx.chapter_actor(), activity.payload, activity.actor,
                           verb, reason)


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    if await affiliation.is_our_group(ctx, activity.object):
        await affiliation.receive_join(ctx, activity)
        return
    if names_representatives(activity.payload):
        await representatives.receive(ctx, activity)
        return
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        raise Ignored("a Join of something that is not one of our events")
    try:
        decision = await ctx.features.rsvps.join(
            event_id, activity.actor, activity.id, is_member=await sender_is_member(ctx, activity)
        )
    except NotFound:
        await answer(ctx, activity, "Reject", "no such event")
        return
    except RsvpRefused as refused:
        await answer(ctx, activity, "Reject", str(refused))
        return
    if decision.pending:
        return  # stored; the organiser's approval sends the answer
    await answer(ctx, activity, "Accept")


async def undo(ctx: InboxContext, activity: ReceivedActivity) -> None:
    """Undo(Join): the same as a Leave."""
    undone = activity.object
    joined = undone.get("object") if isinstance(undone, dict) else None
    event_id = our_event_id(ctx, joined)
    if event_id is None:
        raise Ignored("an Undo of a Join of something that is not one of our events")
    rsvps = ctx.features.rsvps
    join_id = undone.get("id") if isinstance(undone, dict) else None
    if isinstance(join_id, str) and await rsvps.undo_join(join_id, activity.actor):
        return
    if not await rsvps.leave(event_id, activity.actor):
        raise Ignored("they were not going")
