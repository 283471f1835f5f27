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

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from fedchapter.events.model import Event

# The chapter's feeds (public, members, network) and each event's own .ics.
_MAX_ENTRIES = 64
_built: OrderedDict[Hashable, tuple[tuple[Event, ...], bytes]] = OrderedDict()


def cached_calendar(
    events: Sequence[Event],
    *,
    url_for: Callable[[Event], str],
    settings_key: Hashable,
    build: Callable[[], bytes],
) -> bytes:
    key = (settings_key, tuple((url_for(event), event.updated_at) for event in events))
    current = tuple(events)
    found = _built.get(key)
    if found is not None and found[0] == current:
        _built.move_to_end(key)
        return found[1]
    body = build()
    _built[key] = (current, body)
    _built.move_to_end(key)
    while len(_built) > _MAX_ENTRIES:
        _built.popitem(last=False)
    return body
