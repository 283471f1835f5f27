"""The event form (new and edit) without JavaScript: datetime-local inputs
with a zone select, the place as separate fields, and a "repeats" choice
turned into an RRULE ("monthly on the last Tuesday" from the start date)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from fedchapter.errors import N_, Problems, ValidationError
from fedchapter.events.codec import local_text
from fedchapter.events import zones
from fedchapter.events.model import Event
from fedchapter.events.recurrence import MAX_COUNT as MAX_REPEATS
from fedchapter.events.recurrence import parse_rrule
from fedchapter.events.validation import EventDraft, parse_event_input
from web.form_errors import Place, Translate, fields_at
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


def _repeat_ending(values: dict[str, str]) -> str:
    """";COUNT=n" or ";UNTIL=date" for a chosen pattern, checked here so a
    person is told about the field they typed in, not about RRULE parts."""
    count, until = values.get("repeat_count"), values.get("repeat_until")
    if count:
        if not count.isdigit() or not 1 <= int(count) <= MAX_REPEATS:
            raise ValidationError("repeat_count", N_("enter a number of times from 1 to %(most)s"), most=MAX_REPEATS)
        return f";COUNT={int(count)}"
    if until:
        try:
            date.fromisoformat(until)
        except ValueError:
            raise ValidationError("repeat_until", N_("enter a date")) from None
        return f";UNTIL={until.replace('-', '')}"
    return ""


def _rule(values: dict[str, str]) -> str | None:
    repeat = values.get("repeat") or "none"
    if repeat not in REPEATS:
        raise ValidationError("repeat", N_("choose how the event repeats"))
    if repeat == "none":
        return None
    if repeat == "custom":
        return values.get("rrule") or None
    ending = _repeat_ending(values)
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
    return rule + ending


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


def draft_from(values: dict[str, str], *, default_timezone: str, default_language: str) -> EventDraft:
    """The event the form describes, or a ValidationError with every problem on it."""
    problems = Problems()
    try:
        data = input_from(values)
    except ValidationError as error:  # the repeat fields are wrong: check the rest without a rule
        problems.add(error)
        data = input_from({**values, "repeat": "none"})
    draft = problems.take(lambda: parse_event_input(data, default_timezone=default_timezone,
                                                    default_language=default_language))
    problems.raise_any()
    assert draft is not None
    return draft


def on_form(error: ValidationError, values: dict[str, str]) -> ValidationError:
    """A refused rule belongs to the "repeats" choice the person made, unless
    they wrote the rule themselves."""
    if values.get("repeat") == "custom":
        return error
    return ValidationError.of([replace(problem, field="repeat") if problem.field == "rrule" else problem
                               for problem in error.problems])


_LABELS = {
    "title": ("e-title", N_("Title")), "description": ("e-description", N_("Description (Markdown)")),
    "start": ("e-start", N_("Starts (local time)")), "end": ("e-end", N_("Ends (local time)")),
    "timezone": ("e-timezone", N_("Time zone")), "repeat": ("e-repeat", N_("Repeats")),
    "repeat_count": ("e-repeat-count", N_("Number of times (optional)")),
    "repeat_until": ("e-repeat-until", N_("Or until (optional)")),
    "rrule": ("e-rrule", N_("Custom rule")),
    "online_url": ("e-online", N_("Online link (for an online or hybrid event)")),
    "meetup.start": ("e-meetup-start", N_("Meet at (local time)")),
    "meetup": ("e-meetup-name", N_("Meet-up point (optional, e.g. before a march)")),
    "category": ("e-category", N_("Category")), "capacity": ("e-capacity", N_("Places (leave empty for no limit)")),
    "join_mode": ("e-join-mode", N_("Who may join")),
    "external_participation_url": ("e-external", N_("Registration or tickets link")),
    "visibility": ("e-visibility", N_("Who may see it")), "status": ("e-status", N_("Status")),
    "language": ("e-language", N_("Language (a tag such as en or de)")),
}
_PLACE_LABELS = {"name": N_("Place name"), "street": N_("Street"), "locality": N_("Town or city"),
                 "postal_code": N_("Postcode"), "country": N_("Country"), "lat": N_("Latitude (optional)"),
                 "lon": N_("Longitude (optional)")}
_by_table = fields_at(_LABELS)


def locate(path: str, translate: Translate) -> Place | None:
    """The event form's input for a body path (`location.lat` → the latitude)."""
    parts = path.split(".")
    if parts[0] == "location" and len(parts) == 2 and parts[1] in _PLACE_LABELS:
        return Place(f"e-location-{parts[1]}", translate(_PLACE_LABELS[parts[1]]))
    if parts[0] == "location":
        return Place("e-location-name", translate(_PLACE_LABELS["name"]))
    return _by_table(path, translate)

