"""The shapes of the minutes API's request bodies, described once
(``fedchapter.body_schema``): checked at the API and shown in its OpenAPI
document. ``validation.parse_minutes`` then reads their meaning."""
from __future__ import annotations

from fedchapter.body_schema import Integer, ListOf, Obj, Text
from fedchapter.minutes.model import ActionStatus, DecidedBy, MinutesState, Outcome
from fedchapter.minutes.validation import READ_ONLY_FIELDS
from fedchapter.visibility import Visibility

DATE = "YYYY-MM-DD"

MINUTES_BODY = Obj(
    {
        "title": Text(),
        "meeting_date": Text(description=DATE),
        "event": Text(description="the id of the meeting's event"),
        "place": Text(),
        "facilitator": Text(),
        "minute_taker": Text(),
        "attendance": Integer(minimum=0, description="how many attended"),
        "present": ListOf(Text(), description="usernames"),
        "agenda": ListOf(Obj({"title": Text(), "notes": Text(description="Markdown")}, required=("title",))),
        "decisions": ListOf(Obj(
            {"text": Text(), "for": Integer(minimum=0), "against": Integer(minimum=0),
             "abstain": Integer(minimum=0), "outcome": Text.of(Outcome), "decided_by": Text.of(DecidedBy),
             "proposal": Text(description="the id of the proposal decided")},
            required=("text", "outcome"),
        )),
        "actions": ListOf(Obj(
            {"text": Text(), "owner": Text(), "due": Text(description=DATE), "status": Text.of(ActionStatus),
             "carried_from": Text(description="the key of the action carried over")},
            required=("text",),
        )),
        "next_meeting": Obj({"date": Text(description=DATE), "time": Text(description="HH:MM"),
                             "place": Text(), "event": Text()}, required=("date",)),
        "visibility": Text.of(Visibility),
        "language": Text(description="BCP 47 tag"),
        # Beside the content: the state to publish in, and a note on a correction.
        "state": Text.of(MinutesState),
        "note": Text(description="why a correction was made"),
    },
    required=("title", "meeting_date", "attendance"),
    echoed=READ_ONLY_FIELDS,
    closed=True,
)
STATE_BODY = Obj({"state": Text.of(MinutesState)}, required=("state",), closed=True)
