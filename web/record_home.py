"""The home page's section of the chapter's record: the latest minutes and
news this reader may see (``home.html`` includes ``minutes/_home.html``)."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from fedchapter.minutes.model import Minutes
from fedchapter.posts import Post
from web.context import context_of
from web.readers import reader_for

HOME_ITEMS = 3


@dataclass(frozen=True)
class LatestRecord:
    minutes: list[Minutes]
    posts: list[Post]


async def latest_record_for_home(request: Request) -> LatestRecord:
    ctx = context_of(request)
    reader = await reader_for(request)
    services = ctx.records
    published = [m for m in await services.minutes.latest(reader, limit=HOME_ITEMS * 3) if m.is_published]
    return LatestRecord(minutes=published[:HOME_ITEMS],
                        posts=await services.posts.latest(reader, limit=HOME_ITEMS))
