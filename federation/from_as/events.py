"""Reading an `Event` another server sent (Mobilizon, Gancio, another fedchapter).

We accept a superset of what we emit: a plain-string location or address,
arrays where one value is expected, `Link` objects for `url`, a missing
`endTime` (an hour is assumed), a missing or unknown `timezone` (the offset
of `startTime` is kept). What cannot make an event (no name, no startTime,
a recurrence rule outside our subset) raises RemoteEventRejected with the
reason the inbox records; nothing a peer sends makes it crash. HTML is
sanitised here, once, on arrival.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fedchapter.errors import ValidationError
from fedchapter.events import recurrence, zones
from fedchapter.events.codec import change_from_dict
from fedchapter.events.model import (
    Event,
    EventStatus,
    JoinMode,
    MeetupPoint,
    OccurrenceChange,
    Place,
    category_or_default,
)
from fedchapter.events.validation import EARLIEST_YEAR, LATEST_YEAR, MAX_TITLE, parse_language
from fedchapter.links import http_url
from fedchapter.text import html_to_text, sanitize_html, truncate_text
from fedchapter.visibility import Visibility
from federation.inbox.activity import id_of
from federation.vocabulary import is_public

MAX_HTML = 100_000
MAX_FIELD = 300
MAX_URL = 2_000
ASSUMED_DURATION = timedelta(hours=1)
MAX_DURATION = timedelta(days=366)
MAX_CHANGES = 200
MAX_CHANGE_REACH = timedelta(days=366 * 5)


class RemoteEventRejected(ValueError):
    """The object cannot be read as an event; the message says why."""


@dataclass(frozen=True)
class ParsedEvent:
    event: Event  # its id is the ActivityPub id
    url: str
    content_html: str
    attributed_to: str | None
    participant_count: int | None
    # The event's picture (Mobilizon's banner, our poster): an http(s) URL and
    # its description; we show our own copy of it, never this URL.
    image_url: str | None = None
    image_name: str = ""


def first(value: Any) -> Any:
    """One value where some servers send a list."""
    if isinstance(value, list):
        return next((item for item in value if item is not None), None)
    return value


def text(value: Any, limit: int = MAX_FIELD) -> str | None:
    value = first(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return truncate_text(cleaned, limit) if cleaned else None


def web_url(value: Any) -> str | None:
    """An http(s) URL from a string, a Link object or a list of them (text/html first)."""
    if isinstance(value, list):
        links = [item for item in value if isinstance(item, (str, dict))]
        html = [item for item in links if isinstance(item, dict) and item.get("mediaType") == "text/html"]
        for item in html + links:
            found = web_url(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        value = value.get("href") or value.get("url") or value.get("id")
        if isinstance(value, (list, dict)):
            return web_url(value)
    if not isinstance(value, str) or len(value) > MAX_URL:
        return None
    return http_url(value)


def number(value: Any) -> float | None:
    value = first(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
    return None


def whole_number(value: Any, low: int) -> int | None:
    found = number(value)
    if found is None or found != int(found) or found < low or found > 10_000_000:
        return None
    return int(found)


def moment(value: Any, field: str) -> datetime:
    raw = first(value)
    if not isinstance(raw, str) or not raw.strip():
        raise RemoteEventRejected(f"{field} is missing")
    try:
        parsed = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RemoteEventRejected(f"{field} {raw[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise RemoteEventRejected(f"{field} has no UTC offset")
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise RemoteEventRejected(f"{field} is out of range")
    return parsed


def zone_for(declared: Any, start: datetime) -> str:
    """The event's IANA zone: as declared if known, else a fixed zone with
    the offset of startTime (Etc/GMT-2 is UTC+2), else UTC."""
    name = text(declared, 64)
    if name and zones.is_known_zone(name):
        return name
    offset = start.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest == 0 and hours != 0 and zones.is_known_zone(f"Etc/GMT{-hours:+d}"):
        return f"Etc/GMT{-hours:+d}"
    return "UTC"


def place(value: Any) -> Place | None:
    """A Place from a Place object (PostalAddress or string address) or a plain string."""
    if isinstance(value, str):
        name = text(value)
        return Place(name=name) if name else None
    if not isinstance(value, dict):
        return None
    address = first(value.get("address"))
    street = locality = postal_code = country = None
    if isinstance(address, dict):
        street = text(address.get("streetAddress"))
        locality = text(address.get("addressLocality"))
        postal_code = text(address.get("postalCode"), 40)
        country = text(address.get("addressCountry"))
    elif isinstance(address, str):
        street = text(address)
    name = text(value.get("name"))
    if not (name or street):
        return None
    lat, lon = number(value.get("latitude")), number(value.get("longitude"))
    if lat is None or lon is None or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        lat = lon = None
    return Place(name=name, street=street, locality=locality, postal_code=postal_code,
                 country=country, lat=lat, lon=lon)


def _type(value: Any) -> str | None:
    kind = first(value.get("type")) if isinstance(value, dict) else None
    return kind if isinstance(kind, str) else None


def locations(value: Any) -> tuple[Place | None, str | None]:
    """(the physical place, the online link) from a location, a list of them, or a string."""
    items = value if isinstance(value, list) else [value]
    physical: Place | None = None
    online: str | None = None
    for item in items:
        if _type(item) == "VirtualLocation":
            online = online or web_url(item)
            continue
        if isinstance(item, dict) and str(item.get("name") or "").startswith("Meet-up:"):
            continue  # our own meet-up point travels in fc:meetup as well
        found = place(item)
        if physical is None and found is not None:
            physical = found
    return physical, online


def _status(obj: dict[str, Any]) -> EventStatus:
    raw = text(obj.get("ical:status")) or text(obj.get("status")) or ""
    try:
        return EventStatus(raw.lower())
    except ValueError:
        return EventStatus.CONFIRMED


def _join_mode(obj: dict[str, Any], external: str | None) -> JoinMode:
    raw = (text(obj.get("joinMode")) or "").lower()
    try:
        mode = JoinMode(raw)
    except ValueError:
        return JoinMode.FREE
    return JoinMode.FREE if mode is JoinMode.EXTERNAL and external is None else mode


def _language(obj: dict[str, Any], default: str) -> str:
    raw = first(obj.get("inLanguage"))
    if isinstance(raw, dict):
        raw = raw.get("identifier") or raw.get("name")
    content_map = obj.get("contentMap")
    if raw is None and isinstance(content_map, dict) and content_map:
        raw = next(iter(content_map))
    try:
        return parse_language(raw) if isinstance(raw, str) else default
    except ValidationError:
        return default


def _description_html(obj: dict[str, Any]) -> str:
    raw = first(obj.get("content"))
    if not isinstance(raw, str):
        content_map = obj.get("contentMap")
        texts = content_map.values() if isinstance(content_map, dict) else ()
        raw = next((value for value in texts if isinstance(value, str)), None)
    if not isinstance(raw, str):
        return ""
    return sanitize_html(raw[:MAX_HTML])


def _meetup(value: Any, zone_name: str, start_local: datetime) -> MeetupPoint | None:
    if not isinstance(value, dict):
        return None
    found = place(value.get("location"))
    try:
        local = zones.to_local(moment(value.get("startTime"), "fc:meetup.startTime"), zone_name)
    except RemoteEventRejected:
        return None
    if found is None or not timedelta(0) <= start_local - local <= timedelta(days=1):
        return None
    name = found.name.removeprefix("Meet-up: ") if found.name else None
    if name and name.endswith(f" {local:%H:%M}"):
        name = name[: -len(f" {local:%H:%M}")]
    return MeetupPoint(place=Place(name=name or found.street, street=found.street, locality=found.locality,
                                   postal_code=found.postal_code, country=found.country,
                                   lat=found.lat, lon=found.lon), start_local=local)


def _rule(value: Any, start_local: datetime, zone_name: str) -> str | None:
    """The rule of our own `fc:recurrence`, checked as strictly as one typed into our form."""
    if not isinstance(value, dict) or value.get("rrule") is None:
        return None
    try:
        return recurrence.validate_rrule(value["rrule"], start_local=start_local, timezone=zone_name)
    except ValidationError as error:
        raise RemoteEventRejected(f"recurrence refused: {error.message}") from None


def _changes(value: Any, event: Event) -> tuple[OccurrenceChange, ...]:
    """The cancelled and moved dates that are really dates of the series (within
    MAX_CHANGE_REACH of its start, so checking them stays cheap); others are dropped."""
    raw_changes = value.get("exceptions") if isinstance(value, dict) and event.rrule else None
    changes: dict[datetime, OccurrenceChange] = {}
    for raw in raw_changes[:MAX_CHANGES] if isinstance(raw_changes, list) else ():
        try:
            change = change_from_dict(raw)
        except (KeyError, TypeError, ValueError):
            continue
        if (timedelta(0) <= change.original_start - event.start_local <= MAX_CHANGE_REACH
                and recurrence.is_occurrence(event, change.original_start)):
            changes[change.original_start] = change
    return tuple(sorted(changes.values(), key=lambda change: change.original_start))


def parse_event(obj: dict[str, Any], *, default_language: str, received_at: datetime) -> ParsedEvent:
    """The event in `obj`, or RemoteEventRejected saying why not."""
    ap_id = id_of(obj)
    if ap_id is None or web_url(ap_id) is None:
        raise RemoteEventRejected("the Event has no http(s) id")
    title = text(obj.get("name"), MAX_TITLE) or text(obj.get("title"), MAX_TITLE)
    if not title:
        raise RemoteEventRejected("the Event has no name")
    if not (is_public(obj.get("to")) or is_public(obj.get("cc"))
            or (obj.get("to") is None and obj.get("cc") is None)):
        raise RemoteEventRejected("the Event is not public")
    start = moment(obj.get("startTime"), "startTime")
    try:
        end = moment(obj.get("endTime"), "endTime") if first(obj.get("endTime")) else start + ASSUMED_DURATION
    except RemoteEventRejected:
        end = start + ASSUMED_DURATION
    if end <= start or end - start > MAX_DURATION:
        end = start + ASSUMED_DURATION
    zone_name = zone_for(obj.get("timezone"), start)
    start_local, end_local = zones.to_local(start, zone_name), zones.to_local(end, zone_name)
    physical, online = locations(obj.get("location"))
    external = web_url(obj.get("externalParticipationUrl"))
    html = _description_html(obj)
    rrule = _rule(obj.get("fc:recurrence"), start_local, zone_name)
    published = _optional_moment(obj.get("published")) or received_at
    updated = _optional_moment(obj.get("updated")) or published
    event = Event(
        id=ap_id,
        title=title,
        description=truncate_text(html_to_text(html), 20_000),
        start_local=start_local,
        end_local=end_local,
        timezone=zone_name,
        location=physical,
        online_url=online,
        capacity=whole_number(obj.get("maximumAttendeeCapacity"), 1),
        category=category_or_default(first(obj.get("category"))),
        status=_status(obj),
        visibility=Visibility.PUBLIC,
        rrule=rrule,
        meetup=_meetup(obj.get("fc:meetup"), zone_name, start_local),
        join_mode=_join_mode(obj, external),
        external_participation_url=external,
        language=_language(obj, default_language),
        created_at=published,
        updated_at=max(updated, published),
    )
    changes = _changes(obj.get("fc:recurrence"), event)
    if changes:
        event = dataclasses.replace(event, exceptions=changes)
    return ParsedEvent(
        event=event,
        url=web_url(obj.get("url")) or ap_id,
        content_html=html,
        attributed_to=id_of(first(obj.get("attributedTo"))),
        participant_count=whole_number(obj.get("participantCount"), 0),
        **_image_fields(obj),
    )


def _image_fields(obj: dict[str, Any]) -> dict[str, Any]:
    found = event_image(obj)
    return {} if found is None else {"image_url": found[0], "image_name": found[1]}


def event_image(obj: dict[str, Any]) -> tuple[str, str] | None:
    """(url, description) of the event's picture: its `image`, else the first
    picture among its attachments."""
    attachments = obj.get("attachment")
    candidates = [obj.get("image"), *(attachments if isinstance(attachments, list) else [attachments])]
    for item in candidates:
        if isinstance(item, str):
            url = web_url(item)
            if url:
                return url, ""
        elif isinstance(item, dict):
            media_type = item.get("mediaType")
            is_picture = item.get("type") == "Image" or (isinstance(media_type, str) and media_type.startswith("image/"))
            url = web_url(item.get("url"))
            if is_picture and url:
                return url, text(item.get("name"), 1_500) or ""
    return None


def _optional_moment(value: Any) -> datetime | None:
    try:
        return moment(value, "published") if first(value) else None
    except RemoteEventRejected:
        return None
