"""The shapes of the events API's request bodies, described once
(``fedchapter.body_schema``): checked at the API and shown in its OpenAPI
document. ``validation.parse_event_input`` then reads their meaning."""
from __future__ import annotations

from dataclasses import replace

from fedchapter.body_schema import Boolean, Integer, Number, Obj, Text
from fedchapter.events.model import EventStatus, JoinMode
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import PLACE_FIELDS, READ_ONLY_FIELDS
from fedchapter.visibility import Visibility

PLACE = Obj({name: (Number() if name in ("lat", "lon") else Text()) for name in PLACE_FIELDS})
LOCAL_TIME = "local wall-clock time in `timezone` (2026-06-13T14:00); an offset, if given, must agree"

EVENT_BODY = Obj(
    {
        "title": Text(),
        "description": Text(description="Markdown"),
        "start": Text(description=LOCAL_TIME),
        "end": Text(description=LOCAL_TIME),
        "timezone": Text(description="IANA zone (Europe/London); the chapter's zone if left out"),
        "location": PLACE,
        "online_url": Text(),
        "capacity": Integer(minimum=1),
        "category": Text(description="a Mobilizon category, MEETING by default"),
        "rrule": Text(description="RFC 5545 RRULE value without the RRULE: prefix (FREQ=WEEKLY;COUNT=6)"),
        "visibility": Text.of(Visibility),
        "meetup": Obj({"start": Text(description=LOCAL_TIME), "location": PLACE}, required=("start",)),
        "status": Text.of(EventStatus),
        "language": Text(description="BCP 47 tag"),
        "join_mode": Text.of(JoinMode, "free: anyone; restricted: an organiser approves each person;"
                                       " invite: invited people only; external: register elsewhere"),
        "external_participation_url": Text(description="required when join_mode is external"),
    },
    required=("title", "start", "end"),
    echoed=READ_ONLY_FIELDS,
    closed=True,
)
# PATCH: fields left out keep their value.
EVENT_CHANGES = replace(EVENT_BODY, required=())

RSVP_BODY = Obj({"status": Text.of(RsvpStatus)}, required=("status",), closed=True)
OCCURRENCE_BODY = Obj(
    {"occurrence": Text(description="the date's original local start; alone, it cancels that date"),
     "start": Text(description="with end: moves the date (" + LOCAL_TIME + ")"),
     "end": Text(description=LOCAL_TIME),
     "restore": Boolean(description="true puts the date back as the rule has it")},
    required=("occurrence",),
    closed=True,
)
PARTICIPANT_BODY = Obj({"participant": Text(description="the participant's actor id")}, required=("participant",))
INVITATION_BODY = Obj(
    {"actor": Text(description="a member's username, @name@host or an actor URL")}, required=("actor",)
)
