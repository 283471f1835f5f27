"""What every Article we publish shares (minutes and news posts): addressing
by visibility, the replies collection, language maps."""
from __future__ import annotations

from typing import Any

from fedchapter.visibility import Visibility
from federation.to_as.media import attachments_to_as
from federation.to_as.registry import ConversionContext
from federation.vocabulary import PUBLIC, context


def audience(ctx: ConversionContext) -> dict[str, list[str]]:
    """Addressing of an object served on its own (the publisher addresses what
    it sends): public items to everyone and the followers, members-only items
    to the members collection."""
    if ctx.visibility is Visibility.PUBLIC:
        return {"to": [PUBLIC], "cc": [ctx.urls.followers(ctx.actor.username)]}
    return {"to": [ctx.urls.members(ctx.actor.username)], "cc": []}


def replies_collection(ctx: ConversionContext, object_url: str) -> dict[str, Any]:
    replies = ctx.urls.replies(object_url)
    return {"id": replies, "type": "OrderedCollection", "first": f"{replies}?page=1"}


def thread_fields(ctx: ConversionContext, root_url: str) -> dict[str, str]:
    """FEP-7888 `context`, the thread as a collection, and the same URL as
    `conversation`, which Mastodon-derived software threads by. A reply
    carries its root's: the whole thread shares one."""
    thread = ctx.urls.thread_context(root_url)
    return {"context": thread, "conversation": thread}


def article(
    ctx: ConversionContext, *, object_url: str, name: str, content_html: str, summary: str,
    language: str, published: str, updated: str | None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": context(),
        "id": object_url,
        "type": "Article",
        "name": name,
        "summary": summary,
        "content": content_html,
        "contentMap": {language: content_html},
        "mediaType": "text/html",
        "url": object_url,
        "attributedTo": ctx.actor_url,
        "audience": ctx.actor_url,
        "inLanguage": language,
        "published": published,
        "replies": replies_collection(ctx, object_url),
        **thread_fields(ctx, object_url),
        # Mastodon and Mobilizon read `attachment` as a list on every object:
        # a post's photo, minutes' documents.
        "attachment": attachments_to_as(ctx.media, ctx.urls),
    }
    if updated is not None:
        document["updated"] = updated
    return document
