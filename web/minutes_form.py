"""The minutes form: repeated fieldsets (agenda items, decisions, action
items) that work without JavaScript.

The page shows the rows there are plus a few blank ones, and an "add rows"
button that posts the form back to itself with more. Blank rows are dropped
before the body is checked by the same validation as the API, and an error
in a row is reported under that row's number on the form.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request

from fedchapter.errors import N_, Problem, ValidationError
from fedchapter.minutes.validation import MAX_ACTIONS, MAX_AGENDA_ITEMS, MAX_DECISIONS
from web.api_support import read_body
from web.auth import check_csrf
from web.form_errors import Place, Translate

MAX_MINUTES_FORM_BYTES = 1_000_000
MAX_FIELDS = 4_000
BLANK_ROWS = 3

# Repeated fieldsets: list name in the body → (form prefix, its fields, most rows).
ROWS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "agenda": ("agenda", ("title", "notes"), MAX_AGENDA_ITEMS),
    "decisions": ("decision", ("text", "for", "against", "abstain", "decided_by", "outcome", "proposal"),
                  MAX_DECISIONS),
    "actions": ("action", ("text", "owner", "due", "status", "carried_from"), MAX_ACTIONS),
}
SINGLE_FIELDS = ("title", "meeting_date", "place", "event", "facilitator", "minute_taker", "attendance",
                 "visibility", "language")
NEXT_MEETING_FIELDS = ("date", "time", "place", "event")


async def read_minutes_form(request: Request) -> ImmutableMultiDict[str, str]:
    """Like web.forms.read_form, with room for long minutes and many rows."""
    body = await read_body(request, MAX_MINUTES_FORM_BYTES)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(None, N_("the form could not be read; reload the page and try again")) from None
    form = ImmutableMultiDict(pairs)
    check_csrf(request, form)
    return form


def _row_count(form: ImmutableMultiDict[str, str], prefix: str, most: int) -> int:
    raw = form.get(f"{prefix}_rows", "0")
    return min(int(raw), most) if raw.isdigit() else 0


def form_values(form: ImmutableMultiDict[str, str]) -> dict[str, Any]:
    """Everything on the form in the API's shape, blank rows included (to show it again)."""
    values: dict[str, Any] = {name: form.get(name, "").strip() for name in SINGLE_FIELDS}
    values["present"] = [name for name in re.split(r"[\s,]+", form.get("present", "")) if name]
    for list_name, (prefix, names, most) in ROWS.items():
        values[list_name] = [
            {name: form.get(f"{prefix}-{index}-{name}", "").strip() for name in names}
            for index in range(_row_count(form, prefix, most))
        ]
    values["next_meeting"] = {name: form.get(f"next-{name}", "").strip() for name in NEXT_MEETING_FIELDS}
    values["note"] = form.get("note", "").strip()
    return values


def _filled(row: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in row.items() if value != ""}


def body_for_validation(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The body without blank rows or empty fields, and for each list the form
    row each kept entry came from."""
    body: dict[str, Any] = {name: values[name] for name in SINGLE_FIELDS if values.get(name)}
    body["present"] = values["present"]
    positions: dict[str, list[int]] = {}
    for list_name in ROWS:
        kept = [(index, _filled(row)) for index, row in enumerate(values[list_name])]
        kept = [(index, row) for index, row in kept if row]
        if list_name == "actions":
            # Clearing a carried-in item's text drops it (its hidden key stays filled).
            kept = [(index, row) for index, row in kept if row.get("text")]
        body[list_name] = [row for _, row in kept]
        positions[list_name] = [index for index, _ in kept]
    next_meeting = _filled(values["next_meeting"])
    if next_meeting:
        body["next_meeting"] = next_meeting
    return body, positions


def on_form(error: ValidationError, positions: dict[str, list[int]]) -> ValidationError:
    """The error with the row numbers of the form rather than of the body."""
    def moved(problem: Problem) -> Problem:
        if problem.field is None:
            return problem
        parts = problem.field.split(".")
        if parts[0] in positions and len(parts) > 1 and parts[1].isdigit():
            kept = positions[parts[0]]
            index = int(parts[1])
            if index < len(kept):
                parts[1] = str(kept[index])
        return replace(problem, field=".".join(parts))

    return ValidationError.of([moved(problem) for problem in error.problems])


# Where each body path is on the form: the input's id and label (the labels
# the template shows, so the summary names a field as the page does).
_SINGLE_LABELS = {
    "title": N_("Title"), "meeting_date": N_("Date"), "attendance": N_("Number present"), "place": N_("Place"),
    "event": N_("Event id (optional)"), "facilitator": N_("Facilitator"), "minute_taker": N_("Minutes taken by"),
    "present": N_("Members present (usernames, separated by commas)"), "visibility": N_("Who may read them"),
    "language": N_("Language"), "note": N_("What was corrected"),
}
_ROW_LABELS = {
    "agenda": (N_("Item %(number)s"), {"title": N_("Title"), "notes": N_("Notes")}),
    "decisions": (N_("Decision %(number)s"), {
        "text": N_("What was decided"), "for": N_("For"), "against": N_("Against"), "abstain": N_("Abstaining"),
        "decided_by": N_("Decided by"), "outcome": N_("Outcome"), "proposal": N_("Proposal id (optional)")}),
    "actions": (N_("Action %(number)s"), {
        "text": N_("What"), "owner": N_("Who (username)"), "due": N_("By when"), "status": N_("Status")}),
}
_NEXT_LABELS = {"date": N_("Date"), "time": N_("Time"), "place": N_("Place"), "event": N_("Event id (optional)")}


def locate(path: str, translate: Translate) -> Place | None:
    """The minutes form's input for a body path (`decisions.2.outcome` → the
    third decision's outcome), or None for a path the form has no input for."""
    parts = path.split(".")
    if len(parts) == 1 and parts[0] in _SINGLE_LABELS:
        return Place(f"f-{parts[0]}", translate(_SINGLE_LABELS[parts[0]]))
    if parts[0] == "present":
        return Place("f-present", translate(_SINGLE_LABELS["present"]))
    if parts[0] == "next_meeting" and len(parts) == 2 and parts[1] in _NEXT_LABELS:
        return Place(f"f-next-{parts[1]}", f"{translate(N_('Next meeting'))}: {translate(_NEXT_LABELS[parts[1]])}")
    if parts[0] in _ROW_LABELS and len(parts) == 3 and parts[1].isdigit():
        row_label, labels = _ROW_LABELS[parts[0]]
        if parts[2] in labels:
            prefix = ROWS[parts[0]][0]
            row = translate(row_label) % {"number": int(parts[1]) + 1}
            return Place(f"f-{prefix}-{parts[1]}-{parts[2]}", f"{row}: {translate(labels[parts[2]])}")
    return None


def rows_to_show(values: dict[str, Any], *, extra: int = BLANK_ROWS) -> dict[str, list[dict[str, Any]]]:
    """The rows of each fieldset plus `extra` blank ones (never over the maximum)."""
    shown: dict[str, list[dict[str, Any]]] = {}
    for list_name, (_, names, most) in ROWS.items():
        rows = [dict(row) for row in values.get(list_name) or []]
        blanks = max(0, min(extra, most - len(rows)))
        shown[list_name] = rows + [dict.fromkeys(names, "") for _ in range(blanks)]
    return shown
