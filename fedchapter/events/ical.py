"""iCalendar feeds (`/calendar.ics`, an event's `.ics` file).

Times go out in the event's own zone (DTSTART;TZID=Europe/London) with the
VTIMEZONE definitions attached, so a recurring 18:30 meeting stays at 18:30
in every calendar app across clock changes, and an international call lands
at the right hour wherever the subscriber lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from fedchapter.events import zones
from fedchapter.events.model import Event, EventStatus
from fedchapter.events.recurrence import series_end_utc
from fedchapter.text import markdown_to_text

if TYPE_CHECKING:
    from icalendar import Event as VEvent

PRODID = "-//fedchapter//fedchapter//EN"
_STATUS = {
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.TENTATIVE: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def _aware(local: datetime, zone_name: str) -> datetime:
    # fold=0: an ambiguous time is its first occurrence, as everywhere else.
    return local.replace(tzinfo=zones.zone(zone_name), fold=0)


def _description(event: Event) -> str:
    parts = [markdown_to_text(event.description)] if event.description.strip() else []
    if event.meetup is not None:
        parts.append(f"Meeting point: {event.meetup.place.full_address}, {event.meetup.start_local:%H:%M}")
    if event.online_url:
        parts.append(f"Online: {event.online_url}")
    if event.external_participation_url:
        parts.append(f"Register: {event.external_participation_url}")
    return "\n\n".join(parts)


def _fill_common(component: VEvent, event: Event, url: str, now: datetime) -> None:
    component.add("uid", url)
    component.add("dtstamp", now.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("summary", event.title)
    description = _description(event)
    if description:
        component.add("description", description)
    component.add("url", url)
    if event.location is not None:
        component.add("location", event.location.full_address)
        if event.location.has_coordinates:
            component.add("geo", (event.location.lat, event.location.lon))
    elif event.online_url:
        component.add("location", event.online_url)
    component.add("status", _STATUS[event.status])
    component.add("categories", [event.category_label])


def _vevents(event: Event, url: str, now: datetime) -> list[VEvent]:
    from icalendar import Event as VEvent, vRecur  # loaded with calendar_for (see there)

    master = VEvent()
    _fill_common(master, event, url, now)
    master.add("dtstart", _aware(event.start_local, event.timezone))
    master.add("dtend", _aware(event.end_local, event.timezone))
    components = [master]
    if event.rrule is None:
        return components
    master.add("rrule", vRecur.from_ical(event.rrule))
    cancelled = [_aware(c.original_start, event.timezone) for c in event.exceptions if c.cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    for change in event.exceptions:
        if change.start_local is None or change.end_local is None:
            continue
        moved = VEvent()
        _fill_common(moved, event, url, now)
        moved.add("recurrence-id", _aware(change.original_start, event.timezone))
        moved.add("dtstart", _aware(change.start_local, event.timezone))
        moved.add("dtend", _aware(change.end_local, event.timezone))
        components.append(moved)
    return components


def _zone_range(events: list[Event], now: datetime) -> tuple[date, date]:
    # VTIMEZONE rules only for the years the events use, which keeps the file
    # small; open-ended series get ten years ahead of today (calendar apps
    # re-fetch subscribed feeds, so the horizon moves with them).
    first = min((e.start_local.date() for e in events), default=now.date())
    last = now.date()
    for event in events:
        end = series_end_utc(event)
        last = max(last, end.date() if end else now.date() + timedelta(days=3660))
    return first - timedelta(days=366), last + timedelta(days=366)


def calendar_for(
    events: Iterable[Event],
    *,
    name: str,
    url_for: Callable[[Event], str],
    now: datetime,
    timezone: str | None = None,
    description: str | None = None,
) -> bytes:
    """A VCALENDAR holding `events` (the caller has already left out what the
    reader may not see). `url_for` gives each event's page URL, which is also
    its stable UID; `timezone` is the calendar's own zone (X-WR-TIMEZONE)."""
    # icalendar (~3 MB resident) is imported on the first feed asked for, not
    # when the server starts: most processes never serve one.
    from icalendar import Calendar

    chosen = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    if timezone:
        calendar.add("x-wr-timezone", timezone)
    for event in chosen:
        for component in _vevents(event, url_for(event), now):
            calendar.add_component(component)
    first, last = _zone_range(chosen, now)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def event_ics(event: Event, *, url: str, now: datetime, name: str | None = None) -> bytes:
    """The `.ics` file of one event."""
    return calendar_for([event], name=name or event.title, url_for=lambda _: url, now=now,
                        timezone=event.timezone)
