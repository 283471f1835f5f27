"""The minutes in one paragraph of plain text.

Mastodon shows no `content` of an Article, only its name, its summary and a
link: so the summary carries what a follower needs to know. "14 present.
Carried (unanimous): support Proposal Two. Next meeting Tue 28 Oct 18:30 GMT,
Birkbeck."
"""

from __future__ import annotations

from datetime import datetime, time

from babel.dates import format_skeleton

from fedchapter.events import zones
from fedchapter.events.timefmt import babel_locale, format_in_zone
from fedchapter.minutes.model import DecidedBy, Decision, MinutesContent, NextMeeting
from fedchapter.text import truncate_text

MAX_DECISION_CHARS = 200
MAX_SUMMARY_CHARS = 1_500


def decision_line(decision: Decision) -> str:
    """"Carried (unanimous): support Proposal Two." / "Rejected (3 for, 9 against, 2 abstaining): …"."""
    outcome = decision.outcome.value.capitalize()
    parts = [] if decision.decided_by is DecidedBy.VOTE else [decision.decided_by.value]
    if decision.has_counts:  # a unanimous decision keeps its counts: how many were there
        parts.append(
            f"{decision.votes_for} for, {decision.votes_against} against, {decision.votes_abstain} abstaining"
        )
    if parts:
        outcome += f" ({', '.join(parts)})"
    text = truncate_text(" ".join(decision.text.split()), MAX_DECISION_CHARS).rstrip(".")
    return f"{outcome}: {text}."


def next_meeting_line(meeting: NextMeeting, zone_name: str, locale: str = "en") -> str:
    """"Tue 28 Oct 18:30 GMT, Birkbeck" (the time in the chapter's zone)."""
    if meeting.time is not None:
        local = datetime.combine(meeting.date, time.fromisoformat(meeting.time))
        when = format_in_zone(zones.to_utc(local, zone_name), zone_name, locale)
    else:
        when = format_skeleton("MMMEd", meeting.date, locale=babel_locale(locale))
    return f"{when}, {meeting.place}" if meeting.place else when


def minutes_summary(content: MinutesContent, zone_name: str, locale: str = "en") -> str:
    parts = [f"{content.attendance} present."]
    parts.extend(decision_line(decision) for decision in content.decisions)
    if content.next_meeting is not None:
        parts.append(f"Next meeting {next_meeting_line(content.next_meeting, zone_name, locale)}.")
    return truncate_text(" ".join(parts), MAX_SUMMARY_CHARS)
