"""Comments under events, minutes, proposals and news posts.

A comment is written by a local account (Markdown, rendered on save) or
arrives from another server as a Note replying to one of our objects (HTML,
sanitised on arrival). Either way `content_html` is safe to show as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from fedchapter import input as fields
from fedchapter.visibility import Visibility

MAX_SOURCE = 5_000
MAX_REMOTE_HTML = 50_000
MAX_URL = 2_000
MAX_SUMMARY = 500  # a content warning
MAX_ATTACHMENTS = 8


class CommentState(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by a moderator: shown to moderators only, not federated further
    DELETED = "deleted"  # by its author or a moderator: a tombstone


@dataclass(frozen=True)
class CommentAuthor:
    actor_id: str  # the ActivityPub id of the Person (ours or remote)
    name: str
    url: str
    handle: str  # "@name@host"
    user_id: int | None = None  # the local account, when the author is one of ours


@dataclass(frozen=True)
class CommentAttachment:
    """Media attached to a remote reply, shown as a link (http(s) only)."""

    url: str
    media_type: str = ""
    name: str = ""


@dataclass(frozen=True)
class Comment:
    id: str
    ap_id: str
    target: str  # the AP id of the object the thread hangs under
    in_reply_to: str  # the AP id of the direct parent: the target or another comment
    author: CommentAuthor
    content_html: str
    published: datetime
    state: CommentState = CommentState.VISIBLE
    source: str = ""  # the Markdown of a local comment
    language: str = "en"
    updated: datetime | None = None
    # A content warning: the text is shown only behind `summary` when sensitive.
    summary: str = ""
    sensitive: bool = False
    attachments: tuple[CommentAttachment, ...] = ()

    @property
    def has_warning(self) -> bool:
        """Show the text behind a warning (a sensitive reply without a summary gets a generic one)."""
        return self.sensitive or bool(self.summary)

    @property
    def is_local(self) -> bool:
        return self.author.user_id is not None

    @property
    def is_top_level(self) -> bool:
        return self.in_reply_to == self.target


@dataclass(frozen=True)
class CommentTarget:
    """Something comments hang under, as the thread needs to know it."""

    ap_id: str
    kind: str  # "minutes", "post", "event", "proposal"
    title: str
    visibility: Visibility
    locked: bool = False


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)


@dataclass(frozen=True)
class NewComment:
    """A local member's comment as submitted."""

    target: str
    source: str
    in_reply_to: str | None = None
    # A content warning the author gave: the comment goes out sensitive with it.
    summary: str = ""


def parse_new_comment(data: Mapping[str, Any]) -> NewComment:
    fields.refuse_unknown(data, frozenset({"object", "content", "in_reply_to", "summary"}))
    target = fields.single_line(data.get("object"), "object", limit=MAX_URL, required=True)
    in_reply_to = fields.single_line(data.get("in_reply_to"), "in_reply_to", limit=MAX_URL)
    return NewComment(
        target=target,
        source=fields.text(data.get("content"), "content", limit=MAX_SOURCE, required=True),
        in_reply_to=in_reply_to or None,
        summary=fields.single_line(data.get("summary"), "summary", limit=MAX_SUMMARY) or "",
    )


def build_thread(comments: Iterable[Comment]) -> list[ThreadNode]:
    """Comments as a tree, oldest first at every level.

    A reply whose parent is not among `comments` (deleted, hidden from this
    reader, never received) is shown at the top level rather than lost.
    """
    ordered = sorted(comments, key=lambda comment: (comment.published, comment.id))
    nodes = {comment.ap_id: ThreadNode(comment) for comment in ordered}
    roots: list[ThreadNode] = []
    for comment in ordered:
        parent = nodes.get(comment.in_reply_to)
        if parent is None or parent.comment is comment:
            roots.append(nodes[comment.ap_id])
        else:
            parent.replies.append(nodes[comment.ap_id])
    return roots
