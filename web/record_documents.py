"""Our minutes, posts and comments as servers fetch them: the same converters
the publisher uses, with the addressing an object carries on its own."""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from fedchapter.visibility import Visibility
from federation.to_as.record import audience
from federation.to_as.tombstones import tombstone_to_as
from federation.to_as.registry import ConversionContext
from federation.vocabulary import context
from web.context import AppContext
from web.responses import activity_json


async def conversion_context(ctx: AppContext, visibility: Visibility,
                             subject: object = None) -> ConversionContext:
    """``subject``: the object to convert, whose pictures and documents go with it."""
    group = await ctx.chapter_actor()
    return ConversionContext(urls=ctx.urls, actor=group, actor_url=ctx.urls.actor(group.username),
                             language=ctx.settings.language, timezone=ctx.settings.timezone,
                             visibility=visibility, media=await ctx.federation.media.of(subject))


async def object_document(ctx: AppContext, subject: object, visibility: Visibility) -> Response:
    conversion = await conversion_context(ctx, visibility, subject)
    document: dict[str, Any] = ctx.federation.converters.convert(subject, conversion)
    document.pop("@context", None)
    return activity_json({"@context": context(), **document, **audience(conversion)})


async def gone_or_none(ctx: AppContext, url: str) -> Response | None:
    """410 with a Tombstone when the object at `url` was deleted."""
    tombstone = await ctx.documents.tombstone(url)
    if tombstone is not None:
        document = tombstone_to_as(url, tombstone.former_type, tombstone.deleted_at)
        return activity_json({"@context": context(), **document}, status_code=410)
    return None
