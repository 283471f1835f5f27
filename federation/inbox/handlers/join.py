"""Join: someone RSVPs to one of our events from their own server.

Answered with an Accept embedding the Join, or a Reject (full, cancelled,
over, invitation only, members only, no such event): never ignored and never
dropped. A Join for a restricted event waits, stored, for an organiser.
A Join of anything else goes to the handler registered before ours.
"""
from __future__ import annotations

from fedchapter.errors import NotFound
from fedchapter.services.rsvps import RsvpRefused
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.event_access import event_inbox, our_event_id, pass_on
from federation.vocabulary import context


async def answer(ctx: InboxContext, activity: ReceivedActivity, verb: str, reason: str | None = None) -> None:
    chapter = await ctx.chapter_actor()
    embedded = {key: value for key, value in activity.payload.items() if key != "@context"}
    document = {
        "@context": context(),
        "id": ctx.outbound.new_activity_id(),
        "type": verb,
        "actor": ctx.urls.actor(chapter.username),
        "object": embedded,
        "to": [activity.actor],
    }
    if reason:
        document["summary"] = reason
    await ctx.outbound.send(document, chapter, [activity.actor])


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    event_id = our_event_id(ctx, activity.object)
    if event_id is None:
        await pass_on(ctx, activity)
        return
    services = event_inbox(ctx)
    try:
        decision = await services.rsvps.join(
            event_id, activity.actor, activity.id, is_member=await services.is_member(activity.actor)
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
        await pass_on(ctx, activity, undo=True)
        return
    rsvps = event_inbox(ctx).rsvps
    join_id = undone.get("id") if isinstance(undone, dict) else None
    if isinstance(join_id, str) and await rsvps.undo_join(join_id, activity.actor):
        return
    if not await rsvps.leave(event_id, activity.actor):
        raise Ignored("they were not going")
