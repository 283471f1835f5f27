"""Parts of a page computed once and kept in memory while what they are made
of stays the same (the event page's dates in words, its description as HTML).

A fragment is keyed on the object's id, its stored version (``updated_at``),
the language and zones it is written for, and whatever else shapes it; and it
is used only if the object it was made from equals the object as read from
the database for this request. The stored ``updated_at`` has whole seconds
(two edits in one second share it), and another process may have changed the
row: the comparison (field by field, microseconds) makes a stale hit
impossible in any process, with no invalidation message to miss.

A fragment holds only what every reader allowed to see the object sees: who
may see it is decided before the cache is asked, on every request.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Fragments(Generic[T]):
    """A small LRU of fragments for one process."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._kept: OrderedDict[Hashable, tuple[object, T]] = OrderedDict()

    def get(self, key: Hashable, source: object, make: Callable[[], T]) -> T:
        found = self._kept.get(key)
        if found is not None and found[0] == source:
            self._kept.move_to_end(key)
            return found[1]
        made = make()
        self._kept[key] = (source, made)
        self._kept.move_to_end(key)
        while len(self._kept) > self._max:
            self._kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._kept)
