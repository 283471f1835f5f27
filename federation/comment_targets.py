"""The comment service's ``TargetFinder``: one of our URLs, read by
``Urls.parse``, to the lookup of its kind (built by the composition root)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from fedchapter.comments import CommentTarget
from federation.urls import UrlKind, Urls

# (short id, the object's URL) → the target, or None when there is none.
TargetLookup = Callable[[str, str], Awaitable[CommentTarget | None]]


class UrlTargetFinder:
    def __init__(self, urls: Urls, lookups: Mapping[UrlKind, TargetLookup]) -> None:
        self.urls = urls
        self.lookups = lookups

    async def find(self, ap_id: str) -> CommentTarget | None:
        parsed = self.urls.parse(ap_id)
        if parsed is None or not parsed.is_object:
            return None
        lookup = self.lookups.get(parsed.kind)
        return None if lookup is None else await lookup(parsed.id, ap_id)
