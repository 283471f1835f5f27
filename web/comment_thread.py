"""The comment thread under an object, for any page to include.

A page's route adds ``"comments": await comment_thread(request, OBJECT_AP_ID)``
to its template context and the template writes
``{% include "comments/_thread.html" %}``: the thread (threaded replies,
authors with links), the form to comment or reply (for accounts that may
comment) and the moderation buttons (for moderators).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from fedchapter.comments import CommentTarget, ThreadNode
from fedchapter.errors import NotFound
from fedchapter.media.model import MediaFile, OwnerKind
from fedchapter.roles import Permission, can
from web.auth import current_user
from web.context import context_of
from web.readers import reader_for


@dataclass(frozen=True)
class ThreadView:
    target: CommentTarget
    nodes: list[ThreadNode]
    count: int
    may_comment: bool
    may_moderate: bool
    return_to: str  # where the forms come back to
    viewer_actor: str | None
    # Our copies of remote replies' pictures, by the reply's ActivityPub id.
    pictures: dict[str, list[MediaFile]] = field(default_factory=dict)


def _count(nodes: list[ThreadNode]) -> int:
    return sum(1 + _count(node.replies) for node in nodes)


def _remote_with_attachments(nodes: list[ThreadNode]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        if node.comment.attachments and not node.comment.is_local:
            found.append(node.comment.ap_id)
        found.extend(_remote_with_attachments(node.replies))
    return found


async def comment_thread(request: Request, object_ap_id: str) -> ThreadView | None:
    """The thread under one of our objects, as this reader may see it (None if
    the object takes no comments or is hidden from them)."""
    ctx = context_of(request)
    reader = await reader_for(request)
    try:
        target, nodes = await ctx.records.comments.thread(object_ap_id, reader)
    except NotFound:
        return None
    user = await current_user(request)
    return ThreadView(
        target=target,
        nodes=nodes,
        count=_count(nodes),
        may_comment=user is not None and can(user.role, Permission.COMMENT)
        and (not target.locked or reader.may_moderate),
        may_moderate=reader.may_moderate,
        return_to=request.url.path,
        viewer_actor=reader.actor_id,
        pictures=await ctx.media.of_owners(OwnerKind.COMMENT, _remote_with_attachments(nodes)),
    )
