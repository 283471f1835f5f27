"""Remote replies to our objects: Notes whose inReplyTo is one of our objects
or one of the comments under them. Created, updated (by their author only)
and deleted (by their author only); accepted ones are relayed by the chapter.

Poll votes are Notes too; ``federation.inbox.dispatch.object_kind`` tells
them apart, so this receiver sees only replies. A reply to something unknown, to a members-only
object from a non-member, or to a locked thread is dropped with its reason
recorded on the inbox row.
"""
from __future__ import annotations

from typing import Any

from fedchapter.comments import CommentState
from fedchapter.errors import DomainError
from fedchapter.services.comments import CommentService
from federation.comment_relay import CommentRelay
from fedchapter.visibility import Visibility
from federation.from_as.comments import (
    author_of,
    in_reply_to,
    note_edit,
    note_html,
    note_to_remote_comment,
)
from federation.inbox.activity import Ignored, ReceivedActivity, id_of, same_host
from federation.inbox.remote_pictures import cache_reply_pictures, refresh_reply_pictures
from federation.inbox.context import InboxContext
from federation.relay_gate import Admission
from federation.safe_http import FetchError
from federation.remote_actors import ActorDocumentError


def _services(ctx: InboxContext) -> tuple[CommentService, CommentRelay]:
    return ctx.features.comments, ctx.features.relay


class CommentReceiver:
    async def _replies_to_us(self, ctx: InboxContext, note: dict[str, Any]) -> bool:
        parent = in_reply_to(note)
        if parent is None:
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
                # Relayed only for followers and members, under a per-actor cap
                # (federation.relay_gate); a moderated chapter holds the others.
                admission = await relay.admission(author_id)
                _, target = await service.receive_remote(remote, held=admission is Admission.HOLD)
                await relay.relay_remote_reply(create, obj, target.visibility, admission)
        except DomainError as error:
            raise Ignored(f"reply dropped: {error}") from None
        if admission is not Admission.HOLD:
            # After the commit: a slow picture server never holds the transaction.
            await cache_reply_pictures(ctx, note_id, remote.attachments)
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        note_id = id_of(obj)
        if note_id is None:
            return False
        service, relay = _services(ctx)
        if not await service.knows(note_id):
            return False
        html = note_html(obj)
        try:
            async with ctx.stores.database.transaction():
                comment, target = await service.update_remote(note_id, activity.actor, html, note_edit(obj))
                visibility = target.visibility if target else Visibility.PUBLIC
                await relay.relay_remote_change(activity.payload, note_id, visibility, is_update=True)
        except DomainError as error:
            raise Ignored(f"update dropped: {error}") from None
        # After the commit, as for a new reply; a hidden (held) reply's pictures are not fetched.
        await refresh_reply_pictures(ctx, note_id, comment.attachments,
                                     fetch=comment.state is CommentState.VISIBLE)
        return True

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        service, relay = _services(ctx)
        if not await service.knows(object_id):
            return False
        try:
            async with ctx.stores.database.transaction():
                target = await service.delete_remote(object_id, activity.actor)
                visibility = target.visibility if target else Visibility.PUBLIC
                await relay.relay_remote_change(activity.payload, object_id, visibility, is_update=False)
        except DomainError as error:
            raise Ignored(f"delete dropped: {error}") from None
        return True

