"""Which of our objects comments may hang under, found by ActivityPub id.

Each feature registers a lookup for its own URLs (minutes and news posts
here; events and proposals in their route modules):

    register_comment_target("/events/", find_event_target)

where ``find_event_target(ctx, short_id)`` answers a ``CommentTarget`` or None.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fedchapter.comments import CommentTarget
from web.context import AppContext

TargetLookup = Callable[[AppContext, str], Awaitable[CommentTarget | None]]

# Path prefix of the object's URL ("/minutes/") → lookup by short id.
_LOOKUPS: dict[str, TargetLookup] = {}


def register_comment_target(path_prefix: str, lookup: TargetLookup) -> None:
    _LOOKUPS[path_prefix] = lookup


class UrlTargetFinder:
    """The TargetFinder of the comment service: our URL → the registered lookup."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    async def find(self, ap_id: str) -> CommentTarget | None:
        if not self.ctx.urls.is_local(ap_id):
            return None
        path = ap_id[len(self.ctx.urls.base_url):]
        for prefix, lookup in _LOOKUPS.items():
            short_id = path[len(prefix):] if path.startswith(prefix) else ""
            if short_id and "/" not in short_id and "?" not in short_id and "#" not in short_id:
                return await lookup(self.ctx, short_id)
        return None
