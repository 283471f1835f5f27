"""The event services, wired from the app context once per app and kept in
``ctx.extras``; the inbox reaches RSVPs and the network calendar through
``InboxContext.services``. Importing this module registers the Event
converter, the Event receiver and the Join/Leave/Like handlers with the
federation core.
"""
from __future__ import annotations

from dataclasses import dataclass

import federation.inbox.events  # noqa: F401  (registers the Event receiver and the RSVP handlers)
import federation.to_as.events  # noqa: F401  (registers the Event converter)
from fedchapter.services.events import EventService
from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.rsvps import RsvpService
from federation.inbox.event_access import EVENTS_SERVICE, EventInbox
from web.context import AppContext
from web.readers import is_member_actor

_KEY = "event_services"


@dataclass(frozen=True)
class EventServices:
    events: EventService
    rsvps: RsvpService
    network: NetworkEventService


def _build(ctx: AppContext) -> EventServices:
    repos = ctx.repos
    events = EventService(repos.events, repos.rsvps, ctx.federation.publisher, repos.database)

    async def followed() -> set[str]:
        chapter = await ctx.chapter()
        return {row.actor_id for row in await repos.following.all(chapter.actor_id) if row.state == "accepted"}

    return EventServices(
        events=events,
        rsvps=RsvpService(events, repos.rsvps, repos.database),
        network=NetworkEventService(repos.network_events, events, followed=followed),
    )


def install_event_services(ctx: AppContext) -> EventServices:
    """Build the services and hand the inbox what it needs (called in the lifespan)."""
    services = _build(ctx)
    ctx.extras[_KEY] = services

    async def is_member(actor_id: str) -> bool:
        return await is_member_actor(ctx, actor_id)

    ctx.federation.inbox_context.services[EVENTS_SERVICE] = EventInbox(
        rsvps=services.rsvps, network=services.network, is_member=is_member
    )
    return services


def event_services(ctx: AppContext) -> EventServices:
    found = ctx.extras.get(_KEY)
    return found if isinstance(found, EventServices) else install_event_services(ctx)
