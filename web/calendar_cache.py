"""Built calendars kept in memory, keyed on what they contain.

Building an iCalendar feed (VTIMEZONE rules, recurrence, escaping) costs tens
of milliseconds for a dozen events; calendar apps poll the feed again and
again while it rarely changes. The key holds every event's URL and
``updated_at``, so an edit, a new event or a deletion builds it afresh.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from fedchapter.events.model import Event

_MAX_ENTRIES = 16
_built: OrderedDict[Hashable, bytes] = OrderedDict()


def cached_calendar(
    events: Sequence[Event],
    *,
    url_for: Callable[[Event], str],
    settings_key: Hashable,
    build: Callable[[], bytes],
) -> bytes:
    key = (settings_key, tuple((url_for(event), event.updated_at) for event in events))
    body = _built.get(key)
    if body is None:
        body = build()
        _built[key] = body
        while len(_built) > _MAX_ENTRIES:
            _built.popitem(last=False)
    else:
        _built.move_to_end(key)
    return body
