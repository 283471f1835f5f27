"""Our events as ActivityStreams `Event` objects (FEP-8a8e, Mobilizon's fields).

Mastodon drops an Event's content and shows its name, summary and link, so
the summary carries the date, time with zone and place ("Tue 24 Jun 18:30
BST – Birkbeck, London"), for a recurring event its next date. A hybrid
event's location is an array (the Place and a VirtualLocation); a meet-up
point is one more Place named "Meet-up: … 13:00", and also `fc:meetup`.
"""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.events import zones
from fedchapter.events.codec import change_to_dict
from fedchapter.events.model import Event, EventStatus, Place
from fedchapter.events.recurrence import next_occurrence
from fedchapter.events.records import PublishedEvent
from fedchapter.events.rsvp import places_left
from fedchapter.events.timefmt import event_summary_line
from fedchapter.text import render_markdown
from fedchapter.media.model import MediaRole
from federation.to_as.media import attachments_to_as, image_to_as
from federation.to_as.record import replies_collection, thread_fields
from federation.to_as.registry import ConversionContext
from federation.vocabulary import context

STATUS = {EventStatus.CONFIRMED: "CONFIRMED", EventStatus.TENTATIVE: "TENTATIVE",
          EventStatus.CANCELLED: "CANCELLED"}


def place_to_as(place: Place, *, name: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"type": "Place", "name": name or place.name or place.street}
    address = {
        "type": "PostalAddress",
        "streetAddress": place.street,
        "addressLocality": place.locality,
        "postalCode": place.postal_code,
        "addressCountry": place.country,
    }
    if any(value for key, value in address.items() if key != "type"):
        document["address"] = {key: value for key, value in address.items() if value}
    if place.has_coordinates:
        document["latitude"] = place.lat
        document["longitude"] = place.lon
    return document


def meetup_place(event: Event) -> dict[str, Any] | None:
    meetup = event.meetup
    if meetup is None:
        return None
    start = zones.to_utc(meetup.start_local, event.timezone).astimezone(zones.zone(event.timezone))
    document = place_to_as(meetup.place, name=f"Meet-up: {meetup.place.label} {meetup.start_local:%H:%M}")
    document["fc:meetupStart"] = start.isoformat()
    return document


def locations(event: Event) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if event.location is not None:
        found.append(place_to_as(event.location))
    if event.online_url:
        found.append({"type": "VirtualLocation", "name": "Online", "url": event.online_url})
    meetup = meetup_place(event)
    if meetup is not None:
        found.append(meetup)
    return found


def content_html(event: Event) -> str:
    return render_markdown(event.description) if event.description.strip() else ""


def event_to_as(published: PublishedEvent, ctx: ConversionContext) -> dict[str, Any]:
    event, counts = published.event, published.counts
    url = ctx.urls.event(event.id)
    occurrence = next_occurrence(event, published.as_of) if event.is_recurring else None
    html = content_html(event)
    status = STATUS[event.status]
    document: dict[str, Any] = {
        "@context": context(),
        "id": url,
        "type": "Event",
        "name": event.title,
        "summary": event_summary_line(event, occurrence, locale=event.language),
        "content": html,
        "contentMap": {event.language: html},
        "mediaType": "text/html",
        "url": url,
        "attributedTo": ctx.actor_url,
        "audience": ctx.actor_url,
        "startTime": event.start_aware.isoformat(),
        "endTime": event.end_aware.isoformat(),
        "timezone": event.timezone,
        "joinMode": event.join_mode.value,
        "participantCount": counts.going,
        "category": event.category,
        "status": status,
        "ical:status": status,
        "repliesModerationOption": "allow_all",
        "commentsEnabled": True,
        "anonymousParticipationEnabled": False,
        "isOnline": event.is_online,
        "inLanguage": event.language,
        "published": to_iso(event.created_at),
        "updated": to_iso(event.updated_at),
        "replies": replies_collection(ctx, url),
        **thread_fields(ctx, url),
        # Always present, even empty: an event server reads `attachment.length`
        # on every Update and failed on ours without it. The poster goes here
        # too (Mastodon shows attachments) and in `image` (Mobilizon's banner).
        "attachment": attachments_to_as(ctx.media, ctx.urls),
        "fc:interestedCount": counts.interested,
        "fc:ics": ctx.urls.event_ics(event.id),
    }
    poster = image_to_as(ctx.media, ctx.urls, MediaRole.POSTER)
    if poster is not None:
        document["image"] = poster
    places = locations(event)
    if len(places) == 1:
        document["location"] = places[0]
    elif places:
        document["location"] = places
    if event.external_participation_url:
        document["externalParticipationUrl"] = event.external_participation_url
    if event.capacity is not None:
        document["maximumAttendeeCapacity"] = event.capacity
        document["remainingAttendeeCapacity"] = places_left(event, counts.going)
    if event.meetup is not None:
        meetup = meetup_place(event)
        assert meetup is not None
        document["fc:meetup"] = {"startTime": meetup.pop("fc:meetupStart"), "location": meetup}
    if event.rrule is not None:
        document["fc:recurrence"] = {
            "rrule": event.rrule,
            "exceptions": [change_to_dict(change) for change in event.exceptions],
        }
    return document
