"""News posts as ActivityStreams Articles, with a summary Mastodon can show."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.posts import Post
from fedchapter.text import markdown_to_text, render_markdown, truncate_text
from fedchapter.media.model import MediaRole
from federation.to_as.media import image_to_as
from federation.to_as.record import article
from federation.to_as.registry import ConversionContext

SUMMARY_CHARS = 500


def post_summary(post: Post) -> str:
    """The author's summary, or the start of the body as text."""
    return post.content.summary or truncate_text(markdown_to_text(post.content.body), SUMMARY_CHARS)


def post_to_as(post: Post, ctx: ConversionContext) -> dict[str, Any]:
    document = article(
        ctx,
        object_url=ctx.urls.post(post.id),
        name=post.content.title,
        content_html=render_markdown(post.content.body),
        summary=post_summary(post),
        language=post.content.language,
        published=to_iso(post.created_at),
        updated=to_iso(post.updated_at) if post.updated_at > post.created_at else None,
    )
    photo = image_to_as(ctx.media, ctx.urls, MediaRole.PHOTO)
    if photo is not None:
        document["image"] = photo
    return document
