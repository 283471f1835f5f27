"""What the event handlers of the inbox share: reading which of our events
an activity is about, and whether its actor is a member (members-only events
take only members)."""
from __future__ import annotations

from typing import Any

from federation.inbox.activity import ReceivedActivity, id_of
from federation.inbox.context import InboxContext
from federation.urls import UrlKind


def our_event_id(ctx: InboxContext, value: Any) -> str | None:
    """The short id when `value` (a URL or an object) is one of our events."""
    return ctx.urls.id_of(id_of(value), UrlKind.EVENT)


async def sender_is_member(ctx: InboxContext, activity: ReceivedActivity) -> bool:
    return await ctx.features.members.is_member_actor(activity.actor)
