"""What the minutes, posts and comments APIs share: the JSON shapes of their
resources (paging is web.pagination's)."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.comments import ThreadNode
from fedchapter.minutes.model import Minutes, OpenAction, Revision
from fedchapter.minutes.serialize import action_to_dict, content_to_dict
from fedchapter.minutes.summary import minutes_summary
from fedchapter.posts import Post, post_to_dict
from fedchapter.text import render_markdown
from web.context import AppContext


def minutes_json(ctx: AppContext, minutes: Minutes, history: list[Revision] | None = None) -> dict[str, Any]:
    url = ctx.urls.minutes(minutes.id)
    document: dict[str, Any] = {
        "id": minutes.id,
        "ap_id": url,
        "url": url,
        "state": minutes.state.value,
        "revision": minutes.revision,
        **content_to_dict(minutes.content),
        "summary": minutes_summary(minutes.content, ctx.settings.timezone, minutes.content.language),
        "created_at": to_iso(minutes.created_at),
        "updated_at": to_iso(minutes.updated_at),
        "published_at": to_iso(minutes.published_at) if minutes.published_at else None,
    }
    if history is not None:
        document["history"] = [
            {"revision": old.revision, "note": old.note, "edited_by": old.edited_by,
             "replaced_at": to_iso(old.created_at)}
            for old in history
        ]
    return document


def open_action_json(ctx: AppContext, action: OpenAction) -> dict[str, Any]:
    return {
        "key": action.key,
        "minutes": {"id": action.minutes_id, "title": action.minutes_title,
                    "url": ctx.urls.minutes(action.minutes_id),
                    "meeting_date": action.meeting_date.isoformat()},
        **action_to_dict(action.item),
    }


def post_json(ctx: AppContext, post: Post) -> dict[str, Any]:
    url = ctx.urls.post(post.id)
    return {
        "id": post.id,
        "ap_id": url,
        "url": url,
        **post_to_dict(post.content),
        "content": render_markdown(post.content.body),
        "created_at": to_iso(post.created_at),
        "updated_at": to_iso(post.updated_at),
    }


def comment_json(node: ThreadNode) -> dict[str, Any]:
    comment = node.comment
    return {
        "id": comment.id,
        "ap_id": comment.ap_id,
        "url": comment.ap_id,
        "in_reply_to": comment.in_reply_to,
        "author": {"name": comment.author.name, "url": comment.author.url, "handle": comment.author.handle},
        "content": comment.content_html,
        # A content warning: show `content` only behind `summary` when sensitive.
        "summary": comment.summary or None,
        "sensitive": comment.has_warning,
        "attachments": [{"url": item.url, "media_type": item.media_type or None, "name": item.name or None}
                        for item in comment.attachments],
        "published": to_iso(comment.published),
        "updated": to_iso(comment.updated) if comment.updated else None,
        "state": comment.state.value,
        "local": comment.is_local,
        "replies": [comment_json(reply) for reply in node.replies],
    }
