"""`/feed.atom`: the chapter's public minutes and news posts (RFC 4287).

Only public, published items: a feed reader is anonymous. Each entry's
content is the same sanitised HTML the Article carries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.clock import to_iso
from fedchapter.minutes.document import minutes_html
from fedchapter.minutes.summary import minutes_summary
from fedchapter.readers import ANONYMOUS
from fedchapter.text import render_markdown
from federation.to_as.posts import post_summary
from web.conditional import conditional
from web.context import AppContext, context_of

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Entry:
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    language: str


async def feed_entries(ctx: AppContext) -> list[Entry]:
    services = ctx.records
    zone = ctx.settings.timezone
    entries = [
        Entry(ctx.urls.minutes(m.id), m.title, minutes_summary(m.content, zone, m.content.language),
              minutes_html(m.content, zone, m.content.language), m.published_at or m.created_at,
              m.updated_at, m.content.language)
        for m in await services.minutes.published(public_only=True, limit=FEED_SIZE)
    ]
    entries += [
        Entry(ctx.urls.post(p.id), p.title, post_summary(p), render_markdown(p.content.body),
              p.created_at, p.updated_at, p.content.language)
        for p in await services.posts.latest(ANONYMOUS, limit=FEED_SIZE)
    ]
    entries.sort(key=lambda entry: entry.published, reverse=True)
    return entries[:FEED_SIZE]


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


async def atom_feed(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    entries = await feed_entries(ctx)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {XML_LANG: ctx.settings.language})
    _add(feed, "id", ctx.urls.absolute("/feed.atom"))
    _add(feed, "title", chapter.name)
    _add(feed, "link", href=ctx.urls.absolute("/feed.atom"), rel="self", type="application/atom+xml")
    _add(feed, "link", href=ctx.urls.absolute("/"), rel="alternate", type="text/html")
    newest = max((entry.updated for entry in entries), default=None)
    _add(feed, "updated", to_iso(newest) if newest else "1970-01-01T00:00:00Z")
    _add(_add(feed, "author"), "name", chapter.name)
    for entry in entries:
        element = _add(feed, "entry")
        _add(element, "id", entry.url)
        _add(element, "title", entry.title)
        _add(element, "link", href=entry.url, rel="alternate", type="text/html")
        _add(element, "published", to_iso(entry.published))
        _add(element, "updated", to_iso(entry.updated))
        _add(element, "summary", entry.summary)
        _add(element, "content", entry.content_html, type="html")
    body = ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
    # Everyone gets the same public feed; no Last-Modified: a deleted entry
    # would not move the newest `updated`.
    return conditional(request, Response(body, media_type="application/atom+xml; charset=utf-8"))


routes = [Route("/feed.atom", atom_feed, methods=["GET"])]
