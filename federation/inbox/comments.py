"""Remote replies to our objects: Notes whose inReplyTo is one of our objects
or one of the comments under them. Created, updated (by their author only)
and deleted (by their author only); accepted ones are relayed by the chapter.

Poll votes are Notes too (a `name`, no content, replying to a Question):
this receiver declines them, so the proposals feature takes them whatever
the order of registration. A reply to something unknown, to a members-only
object from a non-member, or to a locked thread is dropped with its reason
recorded on the inbox row.
"""
from __future__ import annotations

from typing import Any

from fedchapter.errors import DomainError
from fedchapter.services.comments import CommentService
from fedchapter.visibility import Visibility
from federation.comment_relay import CommentRelay
from federation.from_as.comments import (
    author_of,
    in_reply_to,
    is_poll_vote,
    note_html,
    note_to_remote_comment,
)
from federation.inbox.activity import Ignored, ReceivedActivity, id_of, same_host
from federation.inbox.context import InboxContext
from federation.inbox.receivers import register_receiver
from federation.safe_http import FetchError
from federation.remote_actors import ActorDocumentError

COMMENTS_SERVICE = "comments"
COMMENT_RELAY = "comment_relay"


def _services(ctx: InboxContext) -> tuple[CommentService, CommentRelay]:
    return ctx.services[COMMENTS_SERVICE], ctx.services[COMMENT_RELAY]


class CommentReceiver:
    async def _replies_to_us(self, ctx: InboxContext, note: dict[str, Any]) -> bool:
        parent = in_reply_to(note)
        if parent is None or is_poll_vote(note) or COMMENTS_SERVICE not in ctx.services:
            return False
        service, _ = _services(ctx)
        return ctx.urls.is_local(parent) or await service.knows(parent)

    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        if not await self._replies_to_us(ctx, obj):
            return False
        service, relay = _services(ctx)
        note_id, author_id = id_of(obj), author_of(obj)
        if note_id is None or author_id is None:
            raise Ignored("a reply without an id or an author")
        if activity.type == "Create" and author_id != activity.actor:
            raise Ignored("a Create of a Note attributed to someone else")
        if not same_host(note_id, author_id):
            raise Ignored("a Note whose author lives on another server")
        if await service.knows(note_id):
            return True  # a repeated delivery, or the same reply relayed by someone else
        try:
            author = await ctx.resolver.get(author_id)
        except (FetchError, ActorDocumentError) as error:
            raise Ignored(f"could not resolve the author {author_id}: {error}") from None
        remote = note_to_remote_comment(obj, author, now=ctx.clock(), default_language=ctx.settings.language)
        create = activity.payload if activity.type == "Create" else {
            "id": f"{note_id}#create", "type": "Create", "actor": author_id, "object": obj,
        }
        try:
            async with ctx.stores.database.transaction():
                _, target = await service.receive_remote(remote)
                await relay.relay_created(create, obj, target.visibility)
        except DomainError as error:
            raise Ignored(f"reply dropped: {error}") from None
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        note_id = id_of(obj)
        if note_id is None or COMMENTS_SERVICE not in ctx.services:
            return False
        service, relay = _services(ctx)
        if not await service.knows(note_id):
            return False
        html = note_html(obj)
        try:
            async with ctx.stores.database.transaction():
                _, target = await service.update_remote(note_id, activity.actor, html)
                await relay.announce(activity.payload, target.visibility if target else Visibility.PUBLIC)
        except DomainError as error:
            raise Ignored(f"update dropped: {error}") from None
        return True

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        if COMMENTS_SERVICE not in ctx.services:
            return False
        service, relay = _services(ctx)
        if not await service.knows(object_id):
            return False
        try:
            async with ctx.stores.database.transaction():
                target = await service.delete_remote(object_id, activity.actor)
                await relay.announce(activity.payload, target.visibility if target else Visibility.PUBLIC)
        except DomainError as error:
            raise Ignored(f"delete dropped: {error}") from None
        return True


register_receiver("Note", CommentReceiver())
