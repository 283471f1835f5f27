"""The event form (new and edit) without JavaScript: datetime-local inputs
with a zone select, the place as separate fields, and a "repeats" choice
turned into an RRULE ("monthly on the last Tuesday" from the start date)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.errors import ValidationError
from fedchapter.events.codec import local_text
from fedchapter.events import zones
from fedchapter.events.model import Event
from fedchapter.events.recurrence import parse_rrule
from web.forms import Form

PLACE_KEYS = ("name", "street", "locality", "postal_code", "country", "lat", "lon")
TEXT_KEYS = ("title", "description", "start", "end", "timezone", "online_url", "capacity", "category",
             "visibility", "status", "join_mode", "external_participation_url", "language")
REPEATS = ("none", "weekly", "fortnightly", "monthly-nth", "monthly-last", "custom")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def values_for(event: Event | None, *, timezone: str, language: str) -> dict[str, str]:
    """The form's fields as strings: empty for a new event, else the event's."""
    values = {key: "" for key in TEXT_KEYS}
    values.update({f"location_{key}": "" for key in PLACE_KEYS})
    values.update({f"meetup_{key}": "" for key in ("name", "street", "locality", "start")})
    values.update(timezone=timezone, language=language, category="MEETING", visibility="public",
                  status="confirmed", join_mode="free", repeat="none", repeat_count="",
                  repeat_until="", rrule="")
    if event is None:
        return values
    values.update(
        title=event.title, description=event.description, start=local_text(event.start_local)[:16],
        end=local_text(event.end_local)[:16], timezone=event.timezone, online_url=event.online_url or "",
        capacity=str(event.capacity or ""), category=event.category, visibility=event.visibility.value,
        status=event.status.value, join_mode=event.join_mode.value,
        external_participation_url=event.external_participation_url or "", language=event.language,
    )
    if event.location is not None:
        for key in PLACE_KEYS:
            raw = getattr(event.location, key)
            values[f"location_{key}"] = _number_text(raw) if key in ("lat", "lon") else raw or ""
    if event.meetup is not None:
        place = event.meetup.place
        values.update(meetup_name=place.name or "", meetup_street=place.street or "",
                      meetup_locality=place.locality or "", meetup_start=local_text(event.meetup.start_local)[:16])
    if event.rrule:
        values.update(repeat_choice(event.rrule, event.start_local, event.timezone))
    return values


def repeat_choice(rrule: str, start: datetime, timezone: str) -> dict[str, str]:
    """The form's "repeats" fields that give back `rrule` for an event starting
    at `start`: the option chosen when it was written ("every month on the last
    Tuesday", 6 times), else the custom rule."""
    try:
        rule = parse_rrule(rrule, timezone=timezone)
    except ValidationError:
        return {"repeat": "custom", "rrule": rrule}
    ending = {"repeat_count": str(rule.count) if rule.count is not None else "", "repeat_until": ""}
    if rule.until_utc is not None:
        ending["repeat_until"] = zones.to_local(rule.until_utc, timezone).date().isoformat()
    for repeat in REPEATS[1:-1]:
        candidate = _rule({"repeat": repeat, "start": start.isoformat(), **ending})
        if candidate is not None and parse_rrule(candidate, timezone=timezone) == rule:
            return {"repeat": repeat, "rrule": "", **ending}
    return {"repeat": "custom", "rrule": rrule}


def values_from(form: Form) -> dict[str, str]:
    """What was posted, to show the form again with the error."""
    return {key: (form.get(key) or "").strip() if key != "description" else (form.get(key) or "")
            for key in values_for(None, timezone="", language="")}


def _rule(values: dict[str, str]) -> str | None:
    repeat = values.get("repeat") or "none"
    if repeat not in REPEATS:
        raise ValidationError("repeat", "choose how the event repeats")
    if repeat == "none":
        return None
    if repeat == "custom":
        return values.get("rrule") or None
    try:
        start = datetime.fromisoformat(values.get("start", ""))
    except ValueError:
        return None  # the start's own error is reported first
    day = _DAYS[start.weekday()]
    rule = {
        "weekly": "FREQ=WEEKLY",
        "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
        "monthly-nth": f"FREQ=MONTHLY;BYDAY={(start.day - 1) // 7 + 1}{day}",
        "monthly-last": f"FREQ=MONTHLY;BYDAY=-1{day}",
    }[repeat]
    count, until = values.get("repeat_count"), values.get("repeat_until")
    if count:
        rule += f";COUNT={count}"
    elif until:
        rule += f";UNTIL={until.replace('-', '')}"
    return rule


def input_from(values: dict[str, str]) -> dict[str, Any]:
    """The body parse_event_input reads, from the form's values."""
    data: dict[str, Any] = {key: values.get(key, "") for key in TEXT_KEYS}
    location = {key: values.get(f"location_{key}", "") for key in PLACE_KEYS}
    data["location"] = {k: v for k, v in location.items() if v} or None
    meetup_place = {key: values.get(f"meetup_{key}", "") for key in ("name", "street", "locality")}
    if values.get("meetup_start") or any(meetup_place.values()):
        data["meetup"] = {"start": values.get("meetup_start", ""),
                          "location": {k: v for k, v in meetup_place.items() if v}}
    else:
        data["meetup"] = None
    data["rrule"] = _rule(values)
    return data
