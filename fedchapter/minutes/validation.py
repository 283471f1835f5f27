"""Reading minutes from the `POST /api/v1/minutes` body (and the HTML form,
which is turned into the same shape first).

Every refusal names the dotted path at fault (`attendance`,
`decisions.0.for`), so the API answers 422 with `field` and the form marks
the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fedchapter import input as fields
from fedchapter.errors import N_, Problems, ValidationError
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
T = TypeVar("T")

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
        raise ValidationError(field, N_("must be the id of an existing item"))
    return value


def _agenda_item(data: Mapping[str, Any], field: str) -> AgendaItem:
    fields.refuse_unknown(data, frozenset({"title", "notes"}), f"{field}.")
    problems = Problems()
    title = problems.take(lambda: fields.single_line(data.get("title"), f"{field}.title", limit=MAX_TITLE,
                                                     required=True))
    notes = problems.take(lambda: fields.text(data.get("notes"), f"{field}.notes", limit=MAX_NOTES))
    problems.raise_any()
    return AgendaItem(title=title or "", notes=notes or "")


def _count(data: Mapping[str, Any], key: str, field: str) -> int | None:
    value = fields.optional(data, key)
    return None if value is None else fields.whole_number(value, f"{field}.{key}", maximum=MAX_ATTENDANCE)


def _decision(data: Mapping[str, Any], field: str, attendance: int | None) -> Decision:
    fields.refuse_unknown(
        data, frozenset({"text", "for", "against", "abstain", "outcome", "decided_by", "proposal"}),
        f"{field}.",
    )
    # Every field is read, so a form shows all that is wrong with the row at once.
    problems = Problems()
    text = problems.take(lambda: fields.text(data.get("text"), f"{field}.text", limit=MAX_DECISION_TEXT,
                                             required=True))
    outcome = problems.take(lambda: fields.choice(data.get("outcome"), f"{field}.outcome", Outcome))
    counts = [problems.take(lambda key=key: _count(data, key, field)) for key in ("for", "against", "abstain")]
    counted = any(count is not None for count in counts)
    raw_by = fields.optional(data, "decided_by")
    decided_by = problems.take(
        lambda: fields.choice(raw_by, f"{field}.decided_by", DecidedBy) if raw_by else DecidedBy.VOTE)
    proposal = problems.take(lambda: _short_id(data.get("proposal"), f"{field}.proposal"))
    votes_for, against, abstain = ((count or 0) for count in counts) if counted else (None, None, None)
    if counted and attendance is not None:
        total = (votes_for or 0) + (against or 0) + (abstain or 0)
        if total > attendance:
            problems.add(ValidationError(
                f"{field}.for", N_("for + against + abstain (%(total)s) is more than the %(attendance)s present"),
                total=total, attendance=attendance,
            ))
    if decided_by is DecidedBy.UNANIMOUS and against:
        problems.add(ValidationError(f"{field}.against", N_("a unanimous decision has no votes against")))
    problems.raise_any()
    assert text is not None and outcome is not None and decided_by is not None
    return Decision(
        text=text,
        outcome=outcome,
        decided_by=decided_by,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
        proposal=proposal,
    )


def _action(data: Mapping[str, Any], field: str) -> ActionItem:
    fields.refuse_unknown(data, frozenset({"text", "owner", "due", "status", "carried_from"}), f"{field}.")
    due = fields.optional(data, "due")
    status = fields.optional(data, "status")
    carried_from = fields.optional(data, "carried_from")
    problems = Problems()
    if carried_from is not None and (not isinstance(carried_from, str) or not _ACTION_KEY.match(carried_from)):
        problems.add(ValidationError(f"{field}.carried_from", N_("must be the key of an earlier action item")))
    text = problems.take(lambda: fields.text(data.get("text"), f"{field}.text", limit=MAX_ACTION_TEXT,
                                             required=True))
    owner = problems.take(lambda: fields.single_line(data.get("owner"), f"{field}.owner", limit=100))
    due_date = problems.take(lambda: None if due is None else fields.calendar_date(due, f"{field}.due"))
    state = problems.take(
        lambda: ActionStatus.OPEN if status is None else fields.choice(status, f"{field}.status", ActionStatus))
    problems.raise_any()
    assert text is not None and owner is not None and state is not None
    return ActionItem(
        text=text,
        owner=owner.removeprefix("@"),
        due=due_date,
        status=state,
        carried_from=carried_from,
    )


def _next_meeting(value: Any, field: str = "next_meeting") -> NextMeeting | None:
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(field, N_("must be an object"))
    fields.refuse_unknown(value, frozenset({"date", "time", "place", "event"}), f"{field}.")
    problems = Problems()
    if fields.optional(value, "date") is None:
        problems.add(ValidationError(f"{field}.date", N_("this is required")))
        day = None
    else:
        day = problems.take(lambda: fields.calendar_date(value["date"], f"{field}.date"))
    time = fields.optional(value, "time")
    clock = problems.take(lambda: None if time is None else fields.clock_time(time, f"{field}.time"))
    place = problems.take(lambda: fields.single_line(value.get("place"), f"{field}.place", limit=MAX_LINE))
    event = problems.take(lambda: _short_id(value.get("event"), f"{field}.event"))
    problems.raise_any()
    assert day is not None
    return NextMeeting(date=day, time=clock, place=place or "", event=event)


def _each(problems: Problems, items: list[Mapping[str, Any]], read: Callable[[Mapping[str, Any], str], T],
          list_name: str) -> tuple[T, ...]:
    """Every item read, the problems of all of them collected."""
    read_items = [problems.take(lambda item=item, index=index: read(item, f"{list_name}.{index}"))
                  for index, item in enumerate(items)]
    return tuple(item for item in read_items if item is not None)


def parse_minutes(data: Mapping[str, Any], *, default_language: str = "en") -> MinutesContent:
    """The minutes in `data`, checked and complete, or a ValidationError
    naming every problem (the first is the one the API answers with)."""
    fields.refuse_unknown(data, CONTENT_FIELDS | CONTROL_FIELDS | READ_ONLY_FIELDS)
    problems = Problems()
    date_given = fields.optional(data, "meeting_date") is not None
    if not date_given:
        problems.add(ValidationError("meeting_date", N_("this is required")))
    attendance = None
    if fields.optional(data, "attendance") is None:
        problems.add(ValidationError("attendance", N_("this is required")))
    else:
        attendance = problems.take(lambda: fields.whole_number(data["attendance"], "attendance",
                                                               maximum=MAX_ATTENDANCE))
    present = problems.take(lambda: fields.string_list(data.get("present"), "present", limit=MAX_PRESENT,
                                                       item_limit=60)) or []
    present = [name.removeprefix("@") for name in present]
    if attendance is not None and len(set(present)) > attendance:
        problems.add(ValidationError("present", N_("names %(named)s people but only %(attendance)s were present"),
                                     named=len(set(present)), attendance=attendance))
    agenda = problems.take(lambda: fields.object_list(data.get("agenda"), "agenda", limit=MAX_AGENDA_ITEMS)) or []
    decisions = problems.take(
        lambda: fields.object_list(data.get("decisions"), "decisions", limit=MAX_DECISIONS)) or []
    actions = problems.take(lambda: fields.object_list(data.get("actions"), "actions", limit=MAX_ACTIONS)) or []
    visibility = fields.optional(data, "visibility")
    title = problems.take(lambda: fields.single_line(data.get("title"), "title", limit=MAX_TITLE, required=True))
    meeting_date = problems.take(lambda: fields.calendar_date(data["meeting_date"], "meeting_date")) \
        if date_given else None
    place = problems.take(lambda: fields.single_line(data.get("place"), "place", limit=MAX_LINE))
    event = problems.take(lambda: _short_id(data.get("event"), "event"))
    facilitator = problems.take(lambda: fields.single_line(data.get("facilitator"), "facilitator", limit=100))
    minute_taker = problems.take(lambda: fields.single_line(data.get("minute_taker"), "minute_taker", limit=100))
    agenda_items = _each(problems, agenda, _agenda_item, "agenda")
    decision_items = _each(problems, decisions, lambda item, at: _decision(item, at, attendance), "decisions")
    action_items = _each(problems, actions, _action, "actions")
    next_meeting = problems.take(lambda: _next_meeting(data.get("next_meeting")))
    chosen_visibility = problems.take(
        lambda: Visibility.PUBLIC if visibility is None else fields.choice(visibility, "visibility", Visibility))
    language = problems.take(lambda: fields.language_tag(data.get("language"), default=default_language))
    problems.raise_any()
    assert meeting_date is not None and attendance is not None and title is not None
    assert chosen_visibility is not None and language is not None
    return MinutesContent(
        title=title,
        meeting_date=meeting_date,
        attendance=attendance,
        place=place or "",
        event=event,
        facilitator=facilitator or "",
        minute_taker=minute_taker or "",
        present=tuple(dict.fromkeys(present)),
        agenda=agenda_items,
        decisions=decision_items,
        actions=action_items,
        next_meeting=next_meeting,
        visibility=chosen_visibility,
        language=language,
    )
