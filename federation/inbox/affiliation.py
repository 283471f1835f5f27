"""Affiliation activities in the inbox (docs/networks.md).

- On a network: ``Join{actor: CHAPTER, object: OUR_GROUP}`` is a chapter
  asking to become a member chapter; it waits for the admins (a member asking
  again is answered again). A Join of our Group when we are no network is
  answered with ``Reject`` and recorded as ignored with that reason.
  ``Leave`` of our Group: the chapter leaves.
- On a chapter: the network's ``Accept`` / ``Reject`` of our Join settles the
  affiliation (the follow we sent beside it is settled by follow_answers).
"""
from __future__ import annotations

from fedchapter.networks.model import AffiliationStatus
from fedchapter.services.network_chapters import NotANetwork
from federation.inbox.activity import Ignored, ReceivedActivity, id_of, type_of
from federation.inbox.context import InboxContext
from federation.urls import UrlKind


async def is_our_group(ctx: InboxContext, value: object) -> bool:
    """Whether ``value`` names our chapter's Group actor (not a member's Person)."""
    parsed = ctx.urls.parse(id_of(value))
    if parsed is None or parsed.kind is not UrlKind.ACTOR or not parsed.is_object:
        return False
    return parsed.id == (await ctx.chapter_actor()).username


async def receive_join(ctx: InboxContext, activity: ReceivedActivity) -> None:
    from federation.inbox.handlers.join import answer  # the RSVP's answer shape serves here too

    chapter = await ctx.resolver.get(activity.actor)
    if chapter.type not in ("Group", "Organization"):
        await answer(ctx, activity, "Reject", "only chapters (Group actors) join a network")
        raise Ignored(f"refused the affiliation request of {activity.actor}: a {chapter.type} is not a chapter")
    join = {key: value for key, value in activity.payload.items() if key != "@context"}
    try:
        await ctx.features.network_chapters.receive_join(activity.actor, chapter.display_name, join)
    except NotANetwork as refused:
        await answer(ctx, activity, "Reject", str(refused))
        raise Ignored(f"refused the affiliation request of {activity.actor}: {refused}") from None


async def receive_leave(ctx: InboxContext, activity: ReceivedActivity) -> None:
    if not await ctx.features.network_chapters.receive_leave(activity.actor):
        raise Ignored(f"{activity.actor} is not a member chapter; there is nothing to leave")


async def settle(ctx: InboxContext, activity: ReceivedActivity, status: AffiliationStatus) -> bool:
    """Whether this Accept or Reject answered a Join we sent to a network."""
    answered = activity.object
    if isinstance(answered, dict) and type_of(answered) != "Join":
        return False
    join_id = id_of(answered)
    if isinstance(answered, dict) and id_of(answered.get("object")) not in (None, activity.actor):
        return False
    return await ctx.features.affiliations.settle(activity.actor, join_id, status)
