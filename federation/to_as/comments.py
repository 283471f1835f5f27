"""Comments as ActivityStreams Notes replying to our objects.

A local member's comment is their Note (attributedTo their Person); a remote
one keeps its own id and author, as the chapter relays it (FEP-1b12).
"""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.comments import Comment
from federation.to_as.record import thread_fields
from federation.to_as.registry import ConversionContext


def comment_to_as(comment: Comment, ctx: ConversionContext) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": comment.ap_id,
        "type": "Note",
        "attributedTo": comment.author.actor_id,
        "inReplyTo": comment.in_reply_to,
        # FEP-7888: a reply keeps the thread of the object it hangs under.
        **thread_fields(ctx, comment.target),
        "content": comment.content_html,
        "contentMap": {comment.language: comment.content_html},
        "mediaType": "text/html",
        "url": comment.ap_id,
        "published": to_iso(comment.published),
    }
    # Mastodon shows a sensitive Note's text only behind its `summary`.
    document["sensitive"] = comment.has_warning
    if comment.summary:
        document["summary"] = comment.summary
    document["attachment"] = [
        {"type": "Document", "url": item.url, **({"mediaType": item.media_type} if item.media_type else {}),
         **({"name": item.name} if item.name else {})}
        for item in comment.attachments
    ]
    if comment.updated is not None:
        document["updated"] = to_iso(comment.updated)
    if comment.is_local:
        document["source"] = {"content": comment.source, "mediaType": "text/markdown"}
        document["replies"] = {"id": ctx.urls.replies(comment.ap_id), "type": "OrderedCollection",
                               "first": f"{ctx.urls.replies(comment.ap_id)}?page=1"}
    return {key: value for key, value in document.items() if value is not None}
