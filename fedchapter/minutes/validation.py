"""Reading minutes from the `POST /api/v1/minutes` body (and the HTML form,
which is turned into the same shape first).

Every refusal names the dotted path at fault (`attendance`,
`decisions.0.for`), so the API answers 422 with `field` and the form marks
the input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fedchapter import input as fields
from fedchapter.errors import ValidationError
from fedchapter.minutes.model import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    DecidedBy,
    Decision,
    MinutesContent,
    NextMeeting,
    Outcome,
)
from fedchapter.visibility import Visibility

MAX_TITLE = 200
MAX_LINE = 300
MAX_NOTES = 20_000
MAX_DECISION_TEXT = 2_000
MAX_ACTION_TEXT = 1_000
MAX_AGENDA_ITEMS = 100
MAX_DECISIONS = 100
MAX_ACTIONS = 200
MAX_PRESENT = 2_000
MAX_ATTENDANCE = 100_000
_SHORT_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_ACTION_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}:\d{1,4}$")

CONTENT_FIELDS = frozenset({
    "title", "meeting_date", "event", "place", "facilitator", "minute_taker", "attendance",
    "present", "agenda", "decisions", "actions", "next_meeting", "visibility", "language",
})
# Fields the API reads beside the content, and fields our answers carry (a
# client may send minutes back as it got them).
CONTROL_FIELDS = frozenset({"state", "note"})
READ_ONLY_FIELDS = frozenset({"id", "ap_id", "url", "revision", "created_at", "updated_at",
                              "published_at", "history", "summary"})


def _short_id(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _SHORT_ID.match(value):
        raise ValidationError(field, "must be the id of an existing item")
    return value


def _agenda_item(data: Mapping[str, Any], field: str) -> AgendaItem:
    fields.refuse_unknown(data, frozenset({"title", "notes"}), f"{field}.")
    return AgendaItem(
        title=fields.single_line(data.get("title"), f"{field}.title", limit=MAX_TITLE, required=True),
        notes=fields.text(data.get("notes"), f"{field}.notes", limit=MAX_NOTES),
    )


def _count(data: Mapping[str, Any], key: str, field: str) -> int | None:
    value = fields.optional(data, key)
    return None if value is None else fields.whole_number(value, f"{field}.{key}", maximum=MAX_ATTENDANCE)


def _decision(data: Mapping[str, Any], field: str, attendance: int) -> Decision:
    fields.refuse_unknown(
        data, frozenset({"text", "for", "against", "abstain", "outcome", "decided_by", "proposal"}),
        f"{field}.",
    )
    text = fields.text(data.get("text"), f"{field}.text", limit=MAX_DECISION_TEXT, required=True)
    outcome = fields.choice(data.get("outcome"), f"{field}.outcome", Outcome)
    counts = [_count(data, key, field) for key in ("for", "against", "abstain")]
    counted = any(count is not None for count in counts)
    raw_by = fields.optional(data, "decided_by")
    decided_by = fields.choice(raw_by, f"{field}.decided_by", DecidedBy) if raw_by else DecidedBy.VOTE
    votes_for, against, abstain = ((count or 0) for count in counts) if counted else (None, None, None)
    if counted:
        total = (votes_for or 0) + (against or 0) + (abstain or 0)
        if total > attendance:
            raise ValidationError(
                f"{field}.for",
                f"for + against + abstain ({total}) is more than the {attendance} present",
            )
    if decided_by is DecidedBy.UNANIMOUS and against:
        raise ValidationError(f"{field}.against", "a unanimous decision has no votes against")
    return Decision(
        text=text,
        outcome=outcome,
        decided_by=decided_by,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
        proposal=_short_id(data.get("proposal"), f"{field}.proposal"),
    )


def _action(data: Mapping[str, Any], field: str) -> ActionItem:
    fields.refuse_unknown(data, frozenset({"text", "owner", "due", "status", "carried_from"}), f"{field}.")
    due = fields.optional(data, "due")
    status = fields.optional(data, "status")
    carried_from = fields.optional(data, "carried_from")
    if carried_from is not None and (not isinstance(carried_from, str) or not _ACTION_KEY.match(carried_from)):
        raise ValidationError(f"{field}.carried_from", "must be the key of an earlier action item")
    owner = fields.single_line(data.get("owner"), f"{field}.owner", limit=100)
    return ActionItem(
        text=fields.text(data.get("text"), f"{field}.text", limit=MAX_ACTION_TEXT, required=True),
        owner=owner.removeprefix("@"),
        due=None if due is None else fields.calendar_date(due, f"{field}.due"),
        status=ActionStatus.OPEN if status is None else fields.choice(status, f"{field}.status", ActionStatus),
        carried_from=carried_from,
    )


def _next_meeting(value: Any, field: str = "next_meeting") -> NextMeeting | None:
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(field, "must be an object")
    fields.refuse_unknown(value, frozenset({"date", "time", "place", "event"}), f"{field}.")
    if fields.optional(value, "date") is None:
        raise ValidationError(f"{field}.date", "this is required")
    time = fields.optional(value, "time")
    return NextMeeting(
        date=fields.calendar_date(value["date"], f"{field}.date"),
        time=None if time is None else fields.clock_time(time, f"{field}.time"),
        place=fields.single_line(value.get("place"), f"{field}.place", limit=MAX_LINE),
        event=_short_id(value.get("event"), f"{field}.event"),
    )


def parse_minutes(data: Mapping[str, Any], *, default_language: str = "en") -> MinutesContent:
    """The minutes in `data`, checked and complete, or a ValidationError."""
    fields.refuse_unknown(data, CONTENT_FIELDS | CONTROL_FIELDS | READ_ONLY_FIELDS)
    if fields.optional(data, "meeting_date") is None:
        raise ValidationError("meeting_date", "this is required")
    if fields.optional(data, "attendance") is None:
        raise ValidationError("attendance", "this is required")
    attendance = fields.whole_number(data["attendance"], "attendance", maximum=MAX_ATTENDANCE)
    present = fields.string_list(data.get("present"), "present", limit=MAX_PRESENT, item_limit=60)
    present = [name.removeprefix("@") for name in present]
    if len(set(present)) > attendance:
        raise ValidationError("present", f"names {len(set(present))} people but only {attendance} were present")
    agenda = fields.object_list(data.get("agenda"), "agenda", limit=MAX_AGENDA_ITEMS)
    decisions = fields.object_list(data.get("decisions"), "decisions", limit=MAX_DECISIONS)
    actions = fields.object_list(data.get("actions"), "actions", limit=MAX_ACTIONS)
    visibility = fields.optional(data, "visibility")
    return MinutesContent(
        title=fields.single_line(data.get("title"), "title", limit=MAX_TITLE, required=True),
        meeting_date=fields.calendar_date(data["meeting_date"], "meeting_date"),
        attendance=attendance,
        place=fields.single_line(data.get("place"), "place", limit=MAX_LINE),
        event=_short_id(data.get("event"), "event"),
        facilitator=fields.single_line(data.get("facilitator"), "facilitator", limit=100),
        minute_taker=fields.single_line(data.get("minute_taker"), "minute_taker", limit=100),
        present=tuple(dict.fromkeys(present)),
        agenda=tuple(_agenda_item(item, f"agenda.{index}") for index, item in enumerate(agenda)),
        decisions=tuple(_decision(item, f"decisions.{index}", attendance) for index, item in enumerate(decisions)),
        actions=tuple(_action(item, f"actions.{index}") for index, item in enumerate(actions)),
        next_meeting=_next_meeting(data.get("next_meeting")),
        visibility=Visibility.PUBLIC if visibility is None else fields.choice(visibility, "visibility", Visibility),
        language=fields.language_tag(data.get("language"), default=default_language),
    )
