"""What a page shows of its owner's files: the one picture and the documents."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from fedchapter.events.model import Event
from fedchapter.events.recurrence import Occurrence
from fedchapter.media.model import MediaFile, MediaOwner, MediaRole, OwnerKind
from web.context import AppContext


async def files_of(ctx: AppContext, kind: OwnerKind, owner_id: str) -> dict[str, Any]:
    """``picture`` (a poster or photo, or None) and ``documents`` for a page's context
    (call it after the page checked the reader may see the owner)."""
    files = await ctx.media.of_owner(MediaOwner(kind, owner_id))
    picture = next((m for m in files if m.role in (MediaRole.POSTER, MediaRole.PHOTO)), None)
    return {"picture": picture, "documents": [m for m in files if m.role is MediaRole.DOCUMENT]}


class CalendarEntry(Protocol):
    @property
    def event(self) -> Event: ...
    @property
    def occurrence(self) -> Occurrence: ...
    @property
    def remote(self) -> object | None: ...


async def card_pictures(ctx: AppContext, entries: Sequence[CalendarEntry]) -> dict[str, MediaFile]:
    """"<event id>@<start>" → the event's picture, on the card of its first
    occurrence only (a weekly call is not shown fifty times): our posters, and
    our copies of the followed chapters' pictures (never their URLs)."""
    local = [entry.event.id for entry in entries if entry.remote is None]
    remote = [entry.event.id for entry in entries if entry.remote is not None]
    found: dict[str, MediaFile] = {}
    for kind, ids in ((OwnerKind.EVENT, local), (OwnerKind.REMOTE_EVENT, remote)):
        for owner_id, files in (await ctx.media.of_owners(kind, ids)).items():
            picture = next((m for m in files if m.is_image), None)
            if picture is not None:
                found[owner_id] = picture
    firsts: dict[str, str] = {}
    for entry in entries:
        firsts.setdefault(entry.event.id, f"{entry.event.id}@{entry.occurrence.start_utc.isoformat()}")
    return {firsts[event_id]: picture for event_id, picture in found.items() if event_id in firsts}
