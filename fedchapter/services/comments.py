"""Use cases of comments: read a thread, comment, receive a reply from another
server, moderate (hide, delete, lock).

A local member's comment is announced through the Publisher port (their
Create(Note), relayed by the chapter); a remote one is relayed by the inbox,
which holds the activity that brought it (FEP-1b12). The object's visibility
is the comment's: replies under members-only minutes go to members only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.comments import (
    MAX_REMOTE_HTML,
    Comment,
    CommentAttachment,
    CommentAuthor,
    CommentState,
    CommentTarget,
    NewComment,
    ThreadNode,
    build_thread,
)
from fedchapter.errors import N_, Conflict, Forbidden, NotFound, ValidationError
from fedchapter.publishing import Change, Publisher, UnitOfWork, Verb
from fedchapter.readers import Reader
from fedchapter.text import render_markdown, sanitize_html
from fedchapter.tokens import new_short_id
from fedchapter.visibility import Visibility


class CommentStore(Protocol):
    async def save(self, comment: Comment) -> None: ...
    async def get(self, comment_id: str) -> Comment | None: ...
    async def by_ap_id(self, ap_id: str) -> Comment | None: ...
    async def under(self, target: str, states: Iterable[CommentState]) -> list[Comment]: ...
    async def lock(self, target: str, locked_by: str) -> None: ...
    async def unlock(self, target: str) -> None: ...
    async def is_locked(self, target: str) -> bool: ...
    async def hide_by_author(self, actor_id: str) -> int: ...
    async def count_replies(self, parent: str) -> int: ...
    async def recent(self, limit: int, *, remote_only: bool = False) -> list[Comment]: ...
    async def replies_page(self, parent: str, limit: int, offset: int) -> list[Comment]: ...


class TargetFinder(Protocol):
    """Finds one of our objects (event, minutes, proposal, post) by its AP id."""

    async def find(self, ap_id: str) -> CommentTarget | None: ...


# Is this remote actor a member of the chapter?
IsMember = Callable[[str], Awaitable[bool]]


@dataclass(frozen=True)
class RemoteComment:
    """A Note from another server, as the inbox read it (HTML not yet sanitised)."""

    ap_id: str
    in_reply_to: str
    author: CommentAuthor
    content_html: str
    published: datetime
    language: str = "en"
    summary: str = ""  # the content warning, as plain text
    sensitive: bool = False
    attachments: tuple[CommentAttachment, ...] = ()


@dataclass(frozen=True)
class RemoteEdit:
    """What an Update of a remote reply changes besides its text."""

    summary: str = ""
    sensitive: bool = False
    attachments: tuple[CommentAttachment, ...] = ()


def states_for(reader: Reader) -> tuple[CommentState, ...]:
    if reader.may_moderate:
        return (CommentState.VISIBLE, CommentState.HIDDEN)
    return (CommentState.VISIBLE,)


class CommentService:
    def __init__(
        self,
        store: CommentStore,
        targets: TargetFinder,
        publisher: Publisher,
        unit_of_work: UnitOfWork,
        *,
        comment_url: Callable[[str], str],
        is_member: IsMember,
        clock: Callable[[], datetime] = utc_now,
        new_id: Callable[[], str] = new_short_id,
    ) -> None:
        self.store = store
        self.targets = targets
        self.publisher = publisher
        self.unit_of_work = unit_of_work
        self.comment_url = comment_url
        self.is_member = is_member
        self.clock = clock
        self.new_id = new_id

    async def _target(self, ap_id: str) -> CommentTarget | None:
        found = await self.targets.find(ap_id)
        if found is None:
            return None
        return dataclasses.replace(found, locked=await self.store.is_locked(found.ap_id))

    async def target(self, ap_id: str, reader: Reader) -> CommentTarget:
        found = await self._target(ap_id)
        if found is None or not reader.may_see(found.visibility):
            raise NotFound("no such object")
        return found

    async def thread(self, ap_id: str, reader: Reader) -> tuple[CommentTarget, list[ThreadNode]]:
        """The comments under an object, or under one comment (its sub-thread)."""
        comment = await self.store.by_ap_id(ap_id)
        target = await self.target(comment.target if comment else ap_id, reader)
        roots = build_thread(await self.store.under(target.ap_id, states_for(reader)))
        if comment is None:
            return target, roots
        return target, _subtree(roots, comment.ap_id)

    async def _parent_in(self, target: CommentTarget, in_reply_to: str | None, field: str) -> str:
        if in_reply_to is None or in_reply_to == target.ap_id:
            return target.ap_id
        parent = await self.store.by_ap_id(in_reply_to)
        if parent is None or parent.target != target.ap_id or parent.state is not CommentState.VISIBLE:
            raise ValidationError(field, N_("is not a comment under this object"))
        return parent.ap_id

    async def add_local(self, new: NewComment, *, author: CommentAuthor, reader: Reader) -> Comment:
        target = await self.target(new.target, reader)
        if target.locked and not reader.may_moderate:
            raise Forbidden("comments on this are closed")
        parent = await self._parent_in(target, new.in_reply_to, "in_reply_to")
        comment_id = self.new_id()
        comment = Comment(
            id=comment_id, ap_id=self.comment_url(comment_id), target=target.ap_id, in_reply_to=parent,
            author=author, content_html=render_markdown(new.source), published=self.clock(),
            source=new.source, summary=new.summary, sensitive=bool(new.summary),
        )
        async with self.unit_of_work.transaction():
            await self.store.save(comment)
            await self.publisher.publish(Change(Verb.CREATE, comment, visibility=target.visibility))
        return comment

    async def knows(self, ap_id: str) -> bool:
        """Is this (remote or local) comment stored here, in any state?"""
        return await self.store.by_ap_id(ap_id) is not None

    async def visible(self, ap_id: str) -> Comment | None:
        """The comment at this id while it is shown (None when hidden, deleted or unknown)."""
        comment = await self.store.by_ap_id(ap_id)
        return comment if comment is not None and comment.state is CommentState.VISIBLE else None

    async def recent_for_moderators(self, limit: int, *, remote_only: bool = False) -> list[Comment]:
        """The newest comments across the site, local and remote, shown or hidden."""
        return await self.store.recent(limit, remote_only=remote_only)

    async def reply_count(self, parent: str) -> int:
        return await self.store.count_replies(parent)

    async def reply_ids(self, parent: str, limit: int, offset: int) -> list[str]:
        """The ids of the direct replies to ``parent``, oldest first (its `replies` collection)."""
        return [comment.ap_id for comment in await self.store.replies_page(parent, limit, offset)]

    async def visible_under(self, target: str) -> list[Comment]:
        """Every visible comment of a thread, oldest first (its `context` collection)."""
        return await self.store.under(target, (CommentState.VISIBLE,))

    async def receive_remote(self, remote: RemoteComment, *, held: bool = False) -> tuple[Comment, CommentTarget]:
        """Store a reply from another server. NotFound: it replies to nothing of
        ours; Forbidden: its author may not comment there. The inbox relays it
        (it holds the activity that brought it), in the same transaction.
        ``held``: stored hidden until a moderator shows it (a chapter that
        relays strangers' replies only after moderation)."""
        if len(remote.content_html) > MAX_REMOTE_HTML:
            raise ValidationError("content", N_("the reply is too long"))
        parent = await self.store.by_ap_id(remote.in_reply_to)
        target = await self._target(parent.target if parent else remote.in_reply_to)
        if target is None:
            raise NotFound(f"{remote.in_reply_to} is nothing of ours")
        if not target.visibility.is_public and not await self.is_member(remote.author.actor_id):
            raise Forbidden("a reply to a members-only item from someone who is not a member")
        if target.locked:
            raise Forbidden("comments on this are closed")
        existing = await self.store.by_ap_id(remote.ap_id)
        if existing is not None:
            return existing, target  # a repeated delivery
        comment = Comment(
            id=self.new_id(), ap_id=remote.ap_id, target=target.ap_id,
            in_reply_to=parent.ap_id if parent else target.ap_id, author=remote.author,
            content_html=sanitize_html(remote.content_html), published=remote.published,
            language=remote.language, summary=remote.summary, sensitive=remote.sensitive,
            attachments=remote.attachments, state=CommentState.HIDDEN if held else CommentState.VISIBLE,
        )
        await self.store.save(comment)
        return comment, target

    async def _own_remote(self, ap_id: str, actor_id: str) -> Comment:
        comment = await self.store.by_ap_id(ap_id)
        if comment is None or comment.state is CommentState.DELETED:
            raise NotFound(f"no comment {ap_id}")
        if comment.author.actor_id != actor_id:
            raise Forbidden("only its author may change a comment")
        return comment

    async def update_remote(
        self, ap_id: str, actor_id: str, content_html: str, edited: RemoteEdit | None = None
    ) -> tuple[Comment, CommentTarget | None]:
        """``edited``, when given, also brings the new warning and attachments."""
        comment = await self._own_remote(ap_id, actor_id)
        if len(content_html) > MAX_REMOTE_HTML:
            raise ValidationError("content", N_("the reply is too long"))
        changed = dataclasses.replace(comment, content_html=sanitize_html(content_html), updated=self.clock())
        if edited is not None:
            changed = dataclasses.replace(changed, summary=edited.summary, sensitive=edited.sensitive,
                                          attachments=edited.attachments)
        await self.store.save(changed)
        return changed, await self._target(comment.target)

    async def delete_remote(self, ap_id: str, actor_id: str) -> CommentTarget | None:
        comment = await self._own_remote(ap_id, actor_id)
        await self.store.save(dataclasses.replace(comment, state=CommentState.DELETED, updated=self.clock()))
        return await self._target(comment.target)

    async def hide_authored_by(self, actor_id: str) -> int:
        """A remote actor deleted itself: its comments leave our pages (moderators
        still see them, hidden); how many were hidden."""
        return await self.store.hide_by_author(actor_id)

    # Moderation and authors' own deletions ------------------------------------

    async def _visible_comment(self, comment_id: str, reader: Reader) -> Comment:
        comment = await self.store.get(comment_id)
        if comment is None or comment.state not in states_for(reader):
            raise NotFound("no such comment")
        return comment

    async def delete(self, comment_id: str, reader: Reader) -> None:
        """By its author or a moderator: a tombstone here, a Delete to whoever got it."""
        comment = await self._visible_comment(comment_id, reader)
        is_author = reader.actor_id is not None and reader.actor_id == comment.author.actor_id
        if not (is_author or reader.may_moderate):
            raise Forbidden("only its author or a moderator may delete a comment")
        target = await self._target(comment.target)
        deleted = dataclasses.replace(comment, state=CommentState.DELETED, updated=self.clock())
        async with self.unit_of_work.transaction():
            await self.store.save(deleted)
            # The object may be gone already; a Delete then goes where public things go.
            visibility = target.visibility if target else Visibility.PUBLIC
            await self.publisher.publish(Change(Verb.DELETE, deleted, visibility=visibility))

    async def set_hidden(self, comment_id: str, hidden: bool, reader: Reader) -> Comment:
        if not reader.may_moderate:
            raise Forbidden("only moderators may hide comments")
        comment = await self._visible_comment(comment_id, reader)
        wanted = CommentState.HIDDEN if hidden else CommentState.VISIBLE
        if comment.state is wanted:
            raise Conflict(f"the comment is already {wanted.value}")
        changed = dataclasses.replace(comment, state=wanted)
        async with self.unit_of_work.transaction():
            await self.store.save(changed)
            if not hidden and not comment.is_local:
                # Showing a remote reply approves it: a chapter that relays
                # strangers' replies only after moderation relays it now.
                target = await self._target(comment.target)
                if target is not None:
                    await self.publisher.publish(Change(Verb.CREATE, changed, visibility=target.visibility))
        return changed

    async def set_locked(self, target_ap_id: str, locked: bool, reader: Reader) -> None:
        if not reader.may_moderate:
            raise Forbidden("only moderators may lock comments")
        target = await self.target(target_ap_id, reader)
        if locked:
            await self.store.lock(target.ap_id, reader.username or reader.actor_id or "")
        else:
            await self.store.unlock(target.ap_id)


def _subtree(roots: list[ThreadNode], ap_id: str) -> list[ThreadNode]:
    pending = list(roots)
    while pending:
        node = pending.pop()
        if node.comment.ap_id == ap_id:
            return node.replies
        pending.extend(node.replies)
    return []
