"""Built calendars kept in memory, keyed on what they contain.

Building an iCalendar feed (VTIMEZONE rules, recurrence, escaping) costs tens
of milliseconds for a dozen events; calendar apps poll the feed again and
again while it rarely changes. The key holds every event's URL and
``updated_at``, so an edit, a new event or a deletion builds it afresh. The
stored ``updated_at`` has whole seconds, so two edits within one second share
it: a hit is used only if the events, as read from the database for this
request, equal those the bytes were built from (a field-by-field comparison,
microseconds). Every process reads them afresh, so none serves old bytes.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from fedchapter.events.model import Event
from web.fragments import Fragments

# The chapter's feeds (public, members, network) and each event's own .ics.
_MAX_ENTRIES = 64
_built: Fragments[bytes] = Fragments(_MAX_ENTRIES)


def cached_calendar(
    events: Sequence[Event],
    *,
    url_for: Callable[[Event], str],
    settings_key: Hashable,
    build: Callable[[], bytes],
) -> bytes:
    key = (settings_key, tuple((url_for(event), event.updated_at) for event in events))
    # Used only if the events as read now equal those the bytes were built from.
    return _built.get(key, tuple(events), build)
