"""Pages: actor, outbox page, event page (HTML) and the iCalendar feed at 8
connections, against the page ceiling (a minimal Starlette JSON endpoint)."""
from __future__ import annotations

import asyncio
import itertools

from bench.chapter import Chapter
from bench.loadgen import LoadStats, PreparedRequest, run_load
from bench.report import Figure

CONNECTIONS = 8
SECONDS = 8.0
AS2 = {"Accept": "application/activity+json"}


def page_requests(chapter: Chapter, event_path: str | None) -> list[PreparedRequest]:
    base = chapter.base_url
    requests = [
        PreparedRequest("GET", f"{base}/actors/london", AS2),
        PreparedRequest("GET", f"{base}/actors/london/outbox?page=1", AS2),
        PreparedRequest("GET", f"{base}/calendar.ics"),
    ]
    if event_path:
        requests.append(PreparedRequest("GET", f"{base}{event_path}", {"Accept": "text/html"}))
    return requests


async def measure(requests: list[PreparedRequest], seconds: float = SECONDS) -> LoadStats:
    return await run_load(itertools.cycle(requests), connections=CONNECTIONS, seconds=seconds)


def figures(name: str, stats: LoadStats, ceiling_rps: float) -> list[Figure]:
    ratio = stats.rps / ceiling_rps if ceiling_rps else 0.0
    return [
        Figure(f"{name}: requests/s at {CONNECTIONS} connections", stats.rps, "req/s", "≥ 35% of ceiling",
               ratio >= 0.35 and stats.errors == 0, ceiling=ceiling_rps, ratio=ratio,
               note="" if stats.errors == 0 else f"{stats.errors} errors"),
        Figure(f"{name}: p99 latency", stats.percentile(99), "ms", "≤ 25 ms", stats.percentile(99) <= 25.0),
    ]


def run_pages(chapter: Chapter, event_path: str | None, ceiling_rps: float) -> list[Figure]:
    stats = asyncio.run(measure(page_requests(chapter, event_path)))
    return figures("pages (actor, outbox, event, ics)", stats, ceiling_rps)
