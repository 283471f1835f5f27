"""Reading the `POST /api/v1/events` body (and PATCH, and the HTML form).

Every refusal is a ValidationError naming the dotted path of the field at
fault, so the API answers 422 with `field` and a form can mark the input;
wrong types are refusals too, never crashes.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fedchapter.errors import N_, Problems, ValidationError
from fedchapter.events import recurrence, zones
from fedchapter.events.model import (
    CATEGORIES,
    DEFAULT_CATEGORY,
    Event,
    EventStatus,
    JoinMode,
    MeetupPoint,
    Place,
)
from fedchapter.visibility import Visibility

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_PLACE_FIELD = 300
MAX_URL = 2_000
MAX_DURATION = timedelta(days=366)
MAX_MEETUP_LEAD = timedelta(days=1)
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200

EDITABLE_FIELDS = frozenset({
    "title", "description", "start", "end", "timezone", "location", "online_url", "capacity",
    "category", "rrule", "visibility", "meetup", "status", "language", "join_mode",
    "external_participation_url",
})
# Fields our own answers carry: a client may send an event back as it got it.
READ_ONLY_FIELDS = frozenset({"id", "ap_id", "url", "ics", "created_at", "updated_at", "chapter",
                              "participant_count", "going_count", "interested_count", "exceptions",
                              "start_utc", "end_utc", "summary", "next_occurrence", "description_html"})
PLACE_FIELDS = ("name", "street", "locality", "postal_code", "country", "lat", "lon")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, kw_only=True)
class EventDraft:
    """Everything a user edits about an event, checked and complete."""

    title: str
    description: str
    start_local: datetime
    end_local: datetime
    timezone: str
    location: Place | None
    online_url: str | None
    capacity: int | None
    category: str
    rrule: str | None
    visibility: Visibility
    meetup: MeetupPoint | None
    status: EventStatus
    language: str
    join_mode: JoinMode
    external_participation_url: str | None

    def to_event(self, *, event_id: str, now: datetime) -> Event:
        """A new event with this content."""
        return Event(id=event_id, created_at=now, updated_at=now, **self._fields())

    def apply_to(self, existing: Event, *, now: datetime) -> Event:
        """`existing` with this content; cancelled or moved occurrences the new
        schedule no longer has are dropped, the others kept."""
        updated = dataclasses.replace(existing, updated_at=now, exceptions=(), **self._fields())
        if updated.rrule is None:
            return updated
        kept = tuple(c for c in existing.exceptions if recurrence.is_occurrence(updated, c.original_start))
        return dataclasses.replace(updated, exceptions=kept)

    def _fields(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it would turn the nested Place into a dict.
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}




def _optional(data: Mapping[str, Any], key: str) -> Any:
    # Forms send "" for an empty input; treat it as absent.
    value = data.get(key)
    return None if value == "" else value


def _string(value: Any, field: str, *, limit: int) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, N_("must be a string"))
    if len(value) > limit:
        raise ValidationError(field, N_("is too long (%(length)s characters, at most %(limit)s)"),
                              length=len(value), limit=limit)
    return value


def _single_line(value: Any, field: str, *, limit: int) -> str:
    return " ".join(_string(value, field, limit=limit).split())


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValidationError(field, N_("must be a number"))
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(field, N_("must be a number")) from None
    if not math.isfinite(number):
        raise ValidationError(field, N_("must be a finite number"))
    return number


def _web_url(value: Any, field: str) -> str:
    url = _string(value, field, limit=MAX_URL).strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise ValidationError(field, N_("must be an http or https address"),
                              plain=N_("enter a web address starting with https://"))
    return url


def _choice(value: Any, field: str, allowed: type[Any]) -> Any:
    choices = [member.value for member in allowed]
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ValidationError(field, N_("must be one of %(options)s"), plain=N_("choose one of the options"),
                              options=', '.join(choices))
    return allowed(value.strip().lower())


def parse_zone(value: Any, field: str = "timezone") -> str:
    if not isinstance(value, str) or not zones.is_known_zone(value.strip()):
        raise ValidationError(field, N_("must be an IANA time zone such as Europe/London"),
                              plain=N_("choose a time zone from the list"))
    return value.strip()


def parse_local_time(value: Any, field: str, zone_name: str) -> datetime:
    """A wall-clock time in `zone_name` from ISO 8601 text.

    A UTC offset, if given, must be the zone's offset at that time; a time
    skipped by a clock change is refused; a repeated one is its first occurrence.
    """
    if not isinstance(value, str):
        raise ValidationError(field, N_("must be a date and time such as 2026-06-24T18:30"),
                              plain=N_("enter a date and a time"))
    text = value.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
        raise ValidationError(field, N_("must be a date and time such as 2026-06-24T18:30"),
                              plain=N_("enter a date and a time"))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, N_("%(text)s is not a valid date and time"), plain=N_("enter a date and a time"),
                              text=repr(text)) from None
    local = parsed.replace(tzinfo=None, microsecond=0)
    if not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
        raise ValidationError(field, N_("the year must be between %(earliest)s and %(latest)s"),
                              earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
    if zones.is_nonexistent(local, zone_name):
        raise ValidationError(
            field, N_("%(time)s does not exist in %(zone)s: the clocks go forward then"),
            time=f"{local:%Y-%m-%d %H:%M}", zone=zone_name,
        )
    given_offset = parsed.utcoffset()
    if given_offset is not None and given_offset != zones.offset_at(local, zone_name):
        expected = zones.offset_at(local, zone_name)
        times = {"time": f"{local:%H:%M}", "zone": zone_name, "expected": _offset_text(expected),
                 "given": _offset_text(given_offset)}
        if zones.is_ambiguous(local, zone_name):
            raise ValidationError(field, N_("%(time)s happens twice that day in %(zone)s; fedchapter uses the "
                                            "first (%(expected)s), not %(given)s"), **times)
        raise ValidationError(field, N_("the offset %(given)s does not match %(zone)s, which is at %(expected)s then"),
                              **times)
    return local


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_place(value: Any, field: str) -> Place:
    """A place from `{name, street, locality, postal_code, country, lat, lon}`
    (or a plain string, read as its name)."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping):
        raise ValidationError(field, N_("must be an object with name, street, locality, ..."))
    unknown = sorted(set(value) - set(PLACE_FIELDS))
    if unknown:
        raise ValidationError(f"{field}.{unknown[0]}", N_("is not a field of a place"))
    texts: dict[str, str | None] = {}
    for key in ("name", "street", "locality", "postal_code", "country"):
        raw = _optional(value, key)
        texts[key] = _single_line(raw, f"{field}.{key}", limit=MAX_PLACE_FIELD) or None if raw is not None else None
    if not (texts["name"] or texts["street"]):
        raise ValidationError(f"{field}.name", N_("give the place a name or a street"))
    lat_raw, lon_raw = _optional(value, "lat"), _optional(value, "lon")
    if (lat_raw is None) != (lon_raw is None):
        missing = "lon" if lon_raw is None else "lat"
        raise ValidationError(f"{field}.{missing}", N_("give both latitude and longitude, or neither"))
    lat = lon = None
    if lat_raw is not None:
        lat, lon = _number(lat_raw, f"{field}.lat"), _number(lon_raw, f"{field}.lon")
        if not -90 <= lat <= 90:
            raise ValidationError(f"{field}.lat", N_("must be between -90 and 90"))
        if not -180 <= lon <= 180:
            raise ValidationError(f"{field}.lon", N_("must be between -180 and 180"))
    return Place(lat=lat, lon=lon, **texts)


def parse_language(value: Any, field: str = "language") -> str:
    if not isinstance(value, str) or len(value) > 35 or not _LANGUAGE_TAG.match(value.strip()):
        raise ValidationError(field, N_("must be a language tag such as en, de-AT or pt-BR"))
    first, *rest = value.strip().split("-")
    # Conventional casing: language lower, script title, region upper.
    cased = [first.lower()] + [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower()
                               for p in rest]
    return "-".join(cased)


def _parse_capacity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValidationError("capacity", N_("must be a whole number"))
    try:
        number = int(value) if not isinstance(value, float) else value
    except ValueError:
        raise ValidationError("capacity", N_("must be a whole number")) from None
    if not math.isfinite(number) or number != int(number):
        raise ValidationError("capacity", N_("must be a whole number"))
    if not 1 <= number <= 1_000_000:
        raise ValidationError("capacity", N_("must be at least 1 (leave it out for no limit)"))
    return int(number)


def _parse_category(value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in CATEGORIES:
        raise ValidationError("category", N_("must be one of %(options)s"), plain=N_("choose one of the options"),
                              options=", ".join(sorted(CATEGORIES)))
    return value.strip().upper()


def _parse_meetup(value: Any, zone_name: str) -> tuple[Place, datetime]:
    if not isinstance(value, Mapping):
        raise ValidationError("meetup", N_("must be an object with a place and a start"))
    if "start" not in value:
        raise ValidationError("meetup.start", N_("is required"), plain=N_("please fill this in"))
    start = parse_local_time(value["start"], "meetup.start", zone_name)
    if "location" in value:
        place = parse_place(value["location"], "meetup.location")
    else:
        place = parse_place({k: v for k, v in value.items() if k != "start"}, "meetup")
    return place, start


def parse_event_input(
    data: Any,
    *,
    default_timezone: str,
    default_language: str = "en",
    partial: bool = False,
    existing: Event | None = None,
) -> EventDraft:
    """The checked content of an event from an API body or form.

    With `partial` (PATCH), fields left out keep their value in `existing`
    and null clears an optional field; the result is always complete.
    """
    if partial and existing is None:
        raise ValueError("a partial update needs the existing event")
    if not isinstance(data, Mapping):
        raise ValidationError(None, N_("the body must be a JSON object"))
    for key in data:
        if key not in EDITABLE_FIELDS and key not in READ_ONLY_FIELDS:
            raise ValidationError(str(key), N_("is not a field of an event"))

    def given(key: str) -> bool:
        return key in data if partial else True

    if existing is not None and partial:
        current: dict[str, Any] = {f.name: getattr(existing, f.name) for f in dataclasses.fields(EventDraft)}
    else:
        current = {}

    values: dict[str, Any] = dict(current)
    # Every field is read even after a refusal, so a form can show every
    # problem at once; the API answers with the first.
    problems = Problems()

    def read(key: str, reading: Callable[[], Any], attribute: str | None = None) -> None:
        try:
            values[attribute or key] = reading()
        except ValidationError as error:
            problems.add(error)

    def read_title() -> str:
        title = _single_line(data.get("title"), "title", limit=10 * MAX_TITLE) if data.get("title") is not None else ""
        if not title:
            raise ValidationError("title", N_("is required"), plain=N_("please fill this in"))
        if len(title) > MAX_TITLE:
            raise ValidationError("title", N_("is too long (%(length)s characters, at most %(limit)s)"),
                                  length=len(title), limit=MAX_TITLE)
        return title

    if given("title"):
        read("title", read_title)
    if given("description"):
        raw_description = data.get("description")
        read("description", lambda: "" if raw_description is None else _string(
            raw_description, "description", limit=MAX_DESCRIPTION).strip())
    if given("timezone"):
        raw_zone = _optional(data, "timezone")
        read("timezone", lambda: parse_zone(raw_zone) if raw_zone is not None else (
            current.get("timezone") or parse_zone(default_timezone, "timezone")))
    zone_name = values.get("timezone") or default_timezone

    # A new zone keeps the wall-clock times ("18:30" stays 18:30 in the new zone),
    # so existing times are re-checked against it below.
    for key, attribute in (("start", "start_local"), ("end", "end_local")):
        if given(key):
            if _optional(data, key) is None:
                problems.add(ValidationError(key, N_("is required"), plain=N_("please fill this in")))
            else:
                read(key, lambda key=key: parse_local_time(data[key], key, zone_name), attribute)
        elif zones.is_nonexistent(values[attribute], zone_name):
            problems.add(ValidationError(key, N_("%(time)s does not exist in %(zone)s"),
                                         time=f"{values[attribute]:%Y-%m-%d %H:%M}", zone=zone_name))
    start_local, end_local = values.get("start_local"), values.get("end_local")
    if start_local is not None and end_local is not None:
        if end_local <= start_local:
            problems.add(ValidationError("end", N_("must be after the start")))
        elif end_local - start_local > MAX_DURATION:
            problems.add(ValidationError("end", N_("an event lasts at most a year")))

    if given("location"):
        raw_location = _optional(data, "location")
        read("location", lambda: parse_place(raw_location, "location") if raw_location is not None else None)
    if given("online_url"):
        raw_url = _optional(data, "online_url")
        read("online_url", lambda: _web_url(raw_url, "online_url") if raw_url is not None else None)
    if given("capacity"):
        raw_capacity = _optional(data, "capacity")
        read("capacity", lambda: _parse_capacity(raw_capacity) if raw_capacity is not None else None)
    if given("category"):
        raw_category = _optional(data, "category")
        read("category", lambda: _parse_category(raw_category) if raw_category is not None else DEFAULT_CATEGORY)
    for key, kind, default in (("visibility", Visibility, Visibility.PUBLIC),
                               ("status", EventStatus, EventStatus.CONFIRMED),
                               ("join_mode", JoinMode, JoinMode.FREE)):
        if given(key):
            raw_choice = _optional(data, key)
            read(key, lambda key=key, kind=kind, default=default, raw_choice=raw_choice: (
                _choice(raw_choice, key, kind) if raw_choice is not None else default))
    if given("external_participation_url"):
        raw_external = _optional(data, "external_participation_url")
        read("external_participation_url",
             lambda: _web_url(raw_external, "external_participation_url") if raw_external is not None else None)
    if given("language"):
        raw_language = _optional(data, "language")
        read("language", lambda: parse_language(raw_language) if raw_language is not None
             else parse_language(default_language))

    if (given("rrule") or "rrule" in current) and start_local is not None and "timezone" in values:
        raw_rule = _optional(data, "rrule") if given("rrule") else values["rrule"]
        read("rrule", lambda: None if raw_rule is None else recurrence.validate_rrule(
            raw_rule, start_local=start_local, timezone=zone_name))

    if given("meetup"):
        raw_meetup = _optional(data, "meetup")

        def read_meetup() -> MeetupPoint | None:
            if raw_meetup is None:
                return None
            place, start = _parse_meetup(raw_meetup, zone_name)
            return MeetupPoint(place=place, start_local=start)

        read("meetup", read_meetup)
    meetup = values.get("meetup")
    if meetup is not None and start_local is not None:
        lead = start_local - meetup.start_local
        if not timedelta(0) <= lead <= MAX_MEETUP_LEAD:
            problems.add(ValidationError("meetup.start", N_("must be on or before the start, at most a day earlier")))

    if values.get("join_mode") is JoinMode.EXTERNAL and not values.get("external_participation_url") \
            and "external_participation_url" in values:
        problems.add(ValidationError("external_participation_url", N_("is required when join_mode is external"),
                                     plain=N_("give the link where people register")))
    problems.raise_any()
    return EventDraft(**values)
