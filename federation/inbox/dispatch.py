"""The inbox's dispatch table, built once at start-up by the composition root.

Two levels, both plain tables:

- ``activities``: the activity type → its one handler (``Follow`` → follow.handle).
  ``undo`` does the same for the type of the activity an ``Undo`` takes back.
- ``objects``: what a Create, Update, Delete or Announce carries → the
  receiver of that kind of object. What an object *is* is decided here, in
  :func:`object_kind`, and nowhere else.

Nothing registers itself when a module is imported: a process that imports
less (a lone ``fedchapter worker``) must never dispatch differently.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from federation.from_as.comments import in_reply_to, is_poll_vote
from federation.from_as.proposals import ours
from federation.inbox.activity import Ignored, ReceivedActivity, type_of

if TYPE_CHECKING:
    from federation.inbox.context import InboxContext

InboxHandler = Callable[["InboxContext", ReceivedActivity], Awaitable[None]]


class ObjectKind(StrEnum):
    EVENT = "event"
    POLL_VOTE = "poll-vote"
    CHAPTER_RESULT = "chapter-result"
    NETWORK_BALLOT = "network-ballot"
    SHARED_PROPOSAL = "shared-proposal"
    COMMENT = "comment"


# Objects that can be a reply under one of ours (Lemmy and Friendica send Page
# and Article replies; Mastodon sends Notes).
TEXT_TYPES = frozenset({"Note", "Article", "Page"})


def object_kind(obj: dict[str, Any]) -> ObjectKind | None:
    """What a remote object is, asked in this order (the first match wins):

    1. an ``Event`` is an event of a chapter we follow;
    2. a ``Question`` is a proposal a chapter shares;
    3. a Note with a ``name`` and no content is a Mastodon poll vote (never a
       comment, even though it replies to our Question);
    4. a Note carrying ``fc:result`` is a chapter reporting its decision;
    5. a Note carrying ``fc:ballot`` is a member's ballot a chapter forwards
       to its network;
    6. any other Note, Article or Page with ``inReplyTo`` is a comment.

    Whether the thing it answers is really ours is for the receiver to check.
    """
    kind = type_of(obj)
    if kind == "Event":
        return ObjectKind.EVENT
    if kind == "Question":
        return ObjectKind.SHARED_PROPOSAL
    if kind not in TEXT_TYPES:
        return None
    if kind == "Note" and is_poll_vote(obj) and in_reply_to(obj) is not None:
        return ObjectKind.POLL_VOTE
    if kind == "Note" and ours(obj, "result") is not None:
        return ObjectKind.CHAPTER_RESULT
    if kind == "Note" and ours(obj, "ballot") is not None:
        return ObjectKind.NETWORK_BALLOT
    if in_reply_to(obj) is not None:
        return ObjectKind.COMMENT
    return None


# A Tombstone's formerType (or a deleted object's type) → the kinds it may be.
_DELETED_KINDS: dict[str, tuple[ObjectKind, ...]] = {
    "Event": (ObjectKind.EVENT,),
    "Question": (ObjectKind.SHARED_PROPOSAL,),
    "Note": (ObjectKind.COMMENT, ObjectKind.CHAPTER_RESULT),
    "Article": (ObjectKind.COMMENT,),
    "Page": (ObjectKind.COMMENT,),
}


class ObjectReceiver(Protocol):
    """One feature's side of Create, Update and Delete. Each answers whether
    it took the object; one it does not hold or want is declined (False) or
    refused with ``Ignored("why")``."""

    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool: ...

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool: ...

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool: ...


@dataclass(frozen=True)
class InboxDispatch:
    activities: Mapping[str, InboxHandler]
    undo: Mapping[str, InboxHandler]
    objects: Mapping[ObjectKind, ObjectReceiver]

    def handler_for(self, activity_type: str) -> InboxHandler | None:
        return self.activities.get(activity_type)

    def undo_handler_for(self, undone_type: str | None) -> InboxHandler | None:
        return self.undo.get(undone_type or "")

    def receiver_for(self, obj: dict[str, Any]) -> ObjectReceiver:
        kind = object_kind(obj)
        receiver = None if kind is None else self.objects.get(kind)
        if receiver is None:
            raise Ignored(f"we take no {type_of(obj)} of this shape")
        return receiver

    def receivers_for_deleted(self, former_type: str | None) -> list[ObjectReceiver]:
        """Who may hold a deleted object: by its former type, or every receiver
        (a Delete that names only an id may concern any of them)."""
        kinds = _DELETED_KINDS.get(former_type or "", tuple(self.objects))
        seen: list[ObjectReceiver] = []
        for kind in kinds:
            receiver = self.objects.get(kind)
            if receiver is not None and receiver not in seen:
                seen.append(receiver)
        return seen

    async def offer_created(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> None:
        """A new remote object (Create, or relayed by Announce) to its receiver."""
        if not await self.receiver_for(obj).create(ctx, activity, obj):
            raise Ignored(f"the {type_of(obj)} concerns nothing of ours")

    async def offer_updated(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> None:
        if not await self.receiver_for(obj).update(ctx, activity, obj):
            raise Ignored(f"we hold no such {type_of(obj)}")
