"""Remote replies' and remote events' pictures, copied to our media store when the reply arrives
(and again when it is edited: new pictures copied, ours of dropped ones removed), so the thread shows our copy and never makes a reader's browser fetch from
another server (docs/media.md). Only http(s) URLs (federation.from_as
already drops the rest), fetched through the address guard, size-limited and
re-encoded like an upload. A picture that cannot be fetched or read stays a
plain link; the reply itself is kept either way."""
from __future__ import annotations

import logging

from fedchapter.comments import CommentAttachment
from fedchapter.errors import DomainError
from fedchapter.media.model import MediaOwner, OwnerKind
from federation.inbox.context import InboxContext

log = logging.getLogger(__name__)

MAX_PICTURES = 4  # Mastodon attaches at most four


def is_picture(item: CommentAttachment) -> bool:
    return item.media_type.lower().startswith("image/")


def _pictures(attachments: tuple[CommentAttachment, ...]) -> list[CommentAttachment]:
    """The attachments we copy: pictures, the first MAX_PICTURES of them."""
    return [item for item in attachments if is_picture(item)][:MAX_PICTURES]


async def cache_reply_pictures(ctx: InboxContext, note_id: str, attachments: tuple[CommentAttachment, ...]) -> int:
    """How many pictures of the reply ``note_id`` we now hold a copy of."""
    media = ctx.features.media
    if media is None:
        return 0
    cached = 0
    for item in _pictures(attachments):
        try:
            await media.cache_remote_image(MediaOwner(OwnerKind.COMMENT, note_id), item.url, alt=item.name)
        except DomainError as error:
            log.info("picture %s of reply %s not copied: %s", item.url, note_id, error)
            continue
        cached += 1
    return cached


async def refresh_reply_pictures(ctx: InboxContext, note_id: str, attachments: tuple[CommentAttachment, ...],
                                 *, fetch: bool) -> int:
    """After an Update(Note): our copies of pictures the reply no longer carries
    go, and (``fetch``, unless the reply is hidden) the new ones are copied."""
    media = ctx.features.media
    if media is None:
        return 0
    carried = {item.url for item in _pictures(attachments)}
    await media.drop_remote_except(MediaOwner(OwnerKind.COMMENT, note_id), carried)
    return await cache_reply_pictures(ctx, note_id, attachments) if fetch else 0


async def cache_event_picture(ctx: InboxContext, event_id: str, url: str, name: str) -> bool:
    """Our copy of a followed chapter's event picture; False when it could not be made."""
    media = ctx.features.media
    if media is None:
        return False
    try:
        await media.cache_remote_image(MediaOwner(OwnerKind.REMOTE_EVENT, event_id), url, alt=name)
    except DomainError as error:
        log.info("picture %s of event %s not copied: %s", url, event_id, error)
        return False
    return True
