"""A remote Note replying to one of our objects, read as a comment.

Accepts what servers send: `content` or only a `contentMap`, `inReplyTo` as
a string, an object or a list, a missing or malformed `published`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.actors import RemoteActor
from fedchapter.clock import from_iso
from fedchapter.comments import CommentAuthor
from fedchapter.services.comments import RemoteComment


def _reference(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def in_reply_to(note: dict[str, Any]) -> str | None:
    return _reference(note.get("inReplyTo"))


def author_of(note: dict[str, Any]) -> str | None:
    return _reference(note.get("attributedTo"))


def is_poll_vote(note: dict[str, Any]) -> bool:
    """A Mastodon vote: a Note with the option's `name` and no content. The
    proposals feature takes those; they are never comments."""
    has_name = isinstance(note.get("name"), str) and bool(note["name"])
    return has_name and not _content(note)[0]


def note_html(note: dict[str, Any]) -> str:
    return _content(note)[0]


def _content(note: dict[str, Any]) -> tuple[str, str | None]:
    """(HTML, language tag if known)."""
    content = note.get("content")
    content_map = note.get("contentMap")
    if isinstance(content_map, dict):
        for language, text in content_map.items():
            if isinstance(text, str) and isinstance(language, str):
                return (content if isinstance(content, str) and content else text), language
    return (content if isinstance(content, str) else ""), None


def _published(note: dict[str, Any], fallback: datetime) -> datetime:
    value = note.get("published")
    if isinstance(value, str):
        try:
            return from_iso(value)
        except ValueError:
            pass
    return fallback


def comment_author(actor: RemoteActor) -> CommentAuthor:
    return CommentAuthor(actor_id=actor.id, name=actor.display_name, url=actor.url or actor.id,
                         handle=actor.handle or actor.id)


def note_to_remote_comment(
    note: dict[str, Any], author: RemoteActor, *, now: datetime, default_language: str
) -> RemoteComment:
    html, language = _content(note)
    return RemoteComment(
        ap_id=str(note["id"]),
        in_reply_to=in_reply_to(note) or "",
        author=comment_author(author),
        content_html=html,
        published=min(_published(note, now), now),  # a post dated in the future sorts as now
        language=language or default_language,
    )
