"""What the event handlers of the inbox share: the services they reach
through ``InboxContext.services`` and reading which of our events an
activity is about."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.rsvps import RsvpService
from federation.inbox.activity import Ignored, ReceivedActivity, id_of, type_of
from federation.inbox.context import InboxContext
from federation.inbox.receivers import InboxHandler

EVENTS_SERVICE = "events"


@dataclass(frozen=True)
class EventInbox:
    rsvps: RsvpService
    network: NetworkEventService
    # Is this actor (remote or ours) a member? Members-only events take only members.
    is_member: Callable[[str], Awaitable[bool]]


def event_inbox(ctx: InboxContext) -> EventInbox:
    found = ctx.services.get(EVENTS_SERVICE)
    if not isinstance(found, EventInbox):
        raise RuntimeError("the events services are not registered in the inbox context")
    return found


def our_event_id(ctx: InboxContext, value: Any) -> str | None:
    """The short id when `value` (a URL or an object) is one of our events."""
    url = id_of(value)
    prefix = ctx.urls.event("")
    if not url or not url.startswith(prefix):
        return None
    short_id = url[len(prefix):]
    if not short_id or any(mark in short_id for mark in "/?#."):
        return None
    return short_id


# What handled Join, Leave, Like (and their Undo) before the events feature
# registered its own: activities not about one of our events go there.
PREVIOUS_HANDLERS: dict[str, InboxHandler | None] = {}
PREVIOUS_UNDO_HANDLERS: dict[str, InboxHandler | None] = {}


async def pass_on(ctx: InboxContext, activity: ReceivedActivity, *, undo: bool = False) -> None:
    """Hand an activity that is not about our events to the handler before ours."""
    kind = type_of(activity.object) if undo else activity.type
    handler = (PREVIOUS_UNDO_HANDLERS if undo else PREVIOUS_HANDLERS).get(kind or "")
    if handler is None:
        raise Ignored(f"{'Undo of ' if undo else ''}{kind} of something that is not one of our events")
    await handler(ctx, activity)
