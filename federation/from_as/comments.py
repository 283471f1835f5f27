"""A remote Note replying to one of our objects, read as a comment.

Accepts what servers send: `content` or only a `contentMap`, `inReplyTo` as
a string, an object or a list, a missing or malformed `published`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.actors import RemoteActor
from fedchapter.clock import from_iso
from fedchapter.comments import MAX_ATTACHMENTS, MAX_SUMMARY, CommentAttachment, CommentAuthor
from fedchapter.links import http_url
from fedchapter.services.comments import RemoteComment, RemoteEdit
from fedchapter.text import html_to_text, truncate_text


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
    # The author link is rendered as an href: http(s) only (never javascript:).
    return CommentAuthor(actor_id=actor.id, name=actor.display_name, url=http_url(actor.url) or actor.id,
                         handle=actor.handle or actor.id)


def content_warning(note: dict[str, Any]) -> tuple[str, bool]:
    """(warning text, sensitive). Mastodon sends its content warning as the
    Note's `summary` (HTML-escaped text, sometimes a `summaryMap` only) with
    `sensitive: true`; a summary alone is a warning too."""
    summary = note.get("summary")
    summary_map = note.get("summaryMap")
    if not (isinstance(summary, str) and summary.strip()) and isinstance(summary_map, dict):
        summary = next((text for text in summary_map.values() if isinstance(text, str) and text.strip()), None)
    warning = truncate_text(" ".join(html_to_text(summary).split()), MAX_SUMMARY) if isinstance(summary, str) else ""
    return warning, note.get("sensitive") is True or bool(warning)


def _attachment_url(value: Any) -> str | None:
    """An attachment's `url`: a string, a Link object or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("href")
    return http_url(value)


def attachments(note: dict[str, Any]) -> tuple[CommentAttachment, ...]:
    """Images, audio, video (Document, Image, Audio, Video) as links; the
    URL must be http(s), anything else is dropped."""
    raw = note.get("attachment")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    found: list[CommentAttachment] = []
    for item in items[:MAX_ATTACHMENTS]:
        if not isinstance(item, dict):
            continue
        url = _attachment_url(item.get("url")) or (_attachment_url(item.get("href")) if item.get("type") == "Link" else None)
        if url is None:
            continue
        media_type = item.get("mediaType") if isinstance(item.get("mediaType"), str) else ""
        name = item.get("name") if isinstance(item.get("name"), str) else ""
        found.append(CommentAttachment(url=url, media_type=media_type[:100], name=truncate_text(name, 300)))
    return tuple(found)


def note_to_remote_comment(
    note: dict[str, Any], author: RemoteActor, *, now: datetime, default_language: str
) -> RemoteComment:
    html, language = _content(note)
    warning, sensitive = content_warning(note)
    return RemoteComment(
        ap_id=str(note["id"]),
        in_reply_to=in_reply_to(note) or "",
        author=comment_author(author),
        content_html=html,
        published=min(_published(note, now), now),  # a post dated in the future sorts as now
        language=language or default_language,
        summary=warning,
        sensitive=sensitive,
        attachments=attachments(note),
    )


def note_edit(note: dict[str, Any]) -> RemoteEdit:
    """The warning and attachments of an updated reply."""
    warning, sensitive = content_warning(note)
    return RemoteEdit(summary=warning, sensitive=sensitive, attachments=attachments(note))
