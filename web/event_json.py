"""Events in the JSON API's shape: ``{id, ap_id, url, ics, ...}`` with the
wall-clock times the organiser typed (start/end in `timezone`) and the
instants (start_utc/end_utc) for scripts, and the next date of a series."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.events.codec import change_to_dict, event_to_dict
from fedchapter.events.model import Event
from fedchapter.events.recurrence import Occurrence
from fedchapter.events.records import RemoteEvent, RsvpCounts
from fedchapter.events.timefmt import event_summary_line
from fedchapter.text import render_markdown
from web.context import AppContext


def occurrence_json(occurrence: Occurrence | None) -> dict[str, Any] | None:
    if occurrence is None:
        return None
    return {
        "start": occurrence.start_local.isoformat(timespec="minutes"),
        "end": occurrence.end_local.isoformat(timespec="minutes"),
        "start_utc": to_iso(occurrence.start_utc),
        "end_utc": to_iso(occurrence.end_utc),
        "original_start": occurrence.original_start.isoformat(timespec="minutes"),
        "cancelled": occurrence.cancelled,
        "moved": occurrence.moved,
    }


def _common(event: Event, occurrence: Occurrence | None) -> dict[str, Any]:
    fields = event_to_dict(event)
    fields.pop("id")
    fields["exceptions"] = [change_to_dict(change) for change in event.exceptions]
    fields["start_utc"] = to_iso(event.start_utc)
    fields["end_utc"] = to_iso(event.end_utc)
    fields["summary"] = event_summary_line(event, occurrence, locale=event.language)
    fields["next_occurrence"] = occurrence_json(occurrence)
    return fields


def event_json(ctx: AppContext, event: Event, counts: RsvpCounts,
               occurrence: Occurrence | None = None) -> dict[str, Any]:
    ap_id = ctx.urls.event(event.id)
    return {
        "id": event.id,
        "ap_id": ap_id,
        "url": ap_id,
        "ics": ctx.urls.event_ics(event.id),
        **_common(event, occurrence),
        "description_html": render_markdown(event.description) if event.description else "",
        "participant_count": counts.going,
        "interested_count": counts.interested,
    }


def remote_event_json(remote: RemoteEvent, occurrence: Occurrence | None = None) -> dict[str, Any]:
    return {
        "id": remote.ap_id,
        "ap_id": remote.ap_id,
        "url": remote.url,
        **_common(remote.event, occurrence),
        "description_html": remote.content_html,
        "participant_count": remote.participant_count,
        "chapter": {"id": remote.chapter, "name": remote.chapter_name},
    }
