"""Media files as the chapter keeps them: an image re-encoded at a few widths,
or a PDF document, each belonging to one owner (an event, a post, minutes, a
remote reply or event) whose visibility decides who may fetch it."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class MediaKind(enum.Enum):
    IMAGE = "image"
    DOCUMENT = "document"


class MediaRole(enum.Enum):
    POSTER = "poster"  # an event's picture (one per event)
    PHOTO = "photo"  # a news post's picture (one per post)
    DOCUMENT = "document"  # a PDF attached to minutes or an event
    ATTACHMENT = "attachment"  # a remote reply's or remote event's picture, cached


class OwnerKind(enum.Enum):
    EVENT = "event"
    POST = "post"
    MINUTES = "minutes"
    # Remote objects: their ActivityPub id is the owner id.
    COMMENT = "comment"
    REMOTE_EVENT = "remote_event"


# Which roles each local owner takes, and whether that role holds one file (replaced) or many.
ROLES_OF: dict[OwnerKind, tuple[MediaRole, ...]] = {
    OwnerKind.EVENT: (MediaRole.POSTER, MediaRole.DOCUMENT),
    OwnerKind.POST: (MediaRole.PHOTO,),
    OwnerKind.MINUTES: (MediaRole.DOCUMENT,),
    OwnerKind.COMMENT: (MediaRole.ATTACHMENT,),
    OwnerKind.REMOTE_EVENT: (MediaRole.ATTACHMENT,),
}
SINGLE_ROLES = frozenset({MediaRole.POSTER, MediaRole.PHOTO})


@dataclass(frozen=True)
class MediaOwner:
    kind: OwnerKind
    id: str


@dataclass(frozen=True)
class MediaFile:
    id: str
    kind: MediaKind
    owner: MediaOwner
    role: MediaRole
    media_type: str  # of every variant: image/jpeg, image/png or application/pdf
    name: str  # an image's alt text; a document's title
    width: int | None  # of the largest variant (images)
    height: int | None
    blurhash: str
    # File names under the media's id, smallest first ("320.jpg", "640.jpg"; "document.pdf").
    variants: tuple[str, ...]
    size: int  # bytes of the largest variant
    created_at: datetime
    filename: str = ""  # a document's name as downloaded
    source_url: str | None = None  # where a cached remote file came from

    @property
    def is_image(self) -> bool:
        return self.kind is MediaKind.IMAGE

    @property
    def main_variant(self) -> str:
        """The largest: what federates and what a link opens."""
        return self.variants[-1]

    @property
    def small_variant(self) -> str:
        """The smallest at least 640 wide, for pages (or the largest there is)."""
        for variant in self.variants:
            width = variant.split(".")[0]
            if width.isdigit() and int(width) >= 640:
                return variant
        return self.variants[-1]

    def key(self, variant: str) -> str:
        """Where one variant's bytes are in the media store."""
        return f"{self.id}/{variant}"
