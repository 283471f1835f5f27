"""Which owner a published domain object is, for the files it carries."""
from __future__ import annotations

from fedchapter.events.model import Event
from fedchapter.events.records import PublishedEvent
from fedchapter.media.model import MediaOwner, OwnerKind
from fedchapter.minutes.model import Minutes
from fedchapter.posts import Post


def media_owner_of(subject: object) -> MediaOwner | None:
    """The owner whose files go out with ``subject``; None for what carries none."""
    if isinstance(subject, PublishedEvent):
        return MediaOwner(OwnerKind.EVENT, subject.event.id)
    if isinstance(subject, Event):
        return MediaOwner(OwnerKind.EVENT, subject.id)
    if isinstance(subject, Minutes):
        return MediaOwner(OwnerKind.MINUTES, subject.id)
    if isinstance(subject, Post):
        return MediaOwner(OwnerKind.POST, subject.id)
    return None
