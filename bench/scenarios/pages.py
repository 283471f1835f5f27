"""Pages: the actor, an outbox page, an event page (HTML) and the iCalendar
feed, each at 8 connections (closed loop, wrk) against the page ceiling; then
all four while the inbox takes 500 signed POSTs a second (open loop).

wrk asks as an anonymous reader, whom the anonymous page cache answers
(web/page_cache.py): that is what the goals are about (a post that travels
brings link previews and readers, none of them logged in). The same four
pages are measured again as a reader the cache never answers (a browser
with a session cookie): the app's own path, shown with no goal."""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from bench import wrk
from bench.chapter import Chapter
from bench.loadgen import LoadStats, PreparedRequest, run_load
from bench.report import Figure

CONNECTIONS = 8
P99_GOAL_MS = 25.0
RATIO_GOAL = 0.35
LOADED_P99_GOAL_MS = 100.0
INBOX_RATE = 500.0
AS2 = {"Accept": "application/activity+json"}
# A session cookie that opens no session (its signature is wrong): the page is
# made for an anonymous reader, by the app, never from the anonymous cache.
NOT_FROM_THE_CACHE = {"Cookie": "fedchapter_session=bench-no-such-session"}
HTML = {"Accept": "text/html"}


def page_requests(chapter: Chapter, event_path: str) -> dict[str, PreparedRequest]:
    base = chapter.base_url
    return {
        "actor (AS2)": PreparedRequest("GET", f"{base}/actors/{chapter.handle}", AS2),
        "outbox page 1 (AS2)": PreparedRequest("GET", f"{base}/actors/{chapter.handle}/outbox?page=1", AS2),
        "event page (HTML)": PreparedRequest("GET", f"{base}{event_path}", HTML),
        "calendar.ics": PreparedRequest("GET", f"{base}/calendar.ics", {"Accept": "text/calendar"}),
    }


def cpu_note(result: wrk.WrkResult, ceiling: wrk.WrkResult) -> str:
    """Server CPU per request, against the ceiling's: steadier than req/s when others load the machine."""
    ours, theirs = result.cpu_ms_per_request, ceiling.cpu_ms_per_request
    if ours != ours or theirs != theirs or not ours:
        return ""
    return f"{ours:.2f} ms CPU/request (ceiling {theirs:.2f}: CPU ratio {theirs / ours:.0%})"


def _status_note(result: wrk.WrkResult) -> str:
    bad = {status: count for status, count in result.statuses.items() if status != 200}
    problems = []
    if bad:
        problems.append(f"non-200: {bad}")
    if result.socket_errors:
        problems.append(f"socket errors: {result.errors}")
    return "; ".join(problems)


def run_pages(
    workdir: Path, chapter: Chapter, event_path: str, ceiling: wrk.WrkResult, *, seconds: float
) -> tuple[list[Figure], dict[str, object]]:
    ceiling_rps = ceiling.rps(frozenset({200}))
    figures: list[Figure] = []
    raw: dict[str, object] = {}
    for name, request in page_requests(chapter, event_path).items():
        slug = name.split(" ")[0]
        wrk.cycle(workdir, f"page-{slug}-warmup", [request], connections=CONNECTIONS, seconds=1)
        result = wrk.cycle(workdir, f"page-{slug}", [request], connections=CONNECTIONS, seconds=seconds,
                           server=chapter.process)
        raw[name] = result.summary()
        rps = result.rps(frozenset({200}))
        ratio = rps / ceiling_rps if ceiling_rps else 0.0
        note = "; ".join(filter(None, [cpu_note(result, ceiling), _status_note(result)]))
        figures.append(Figure(
            f"pages: {name} req/s at {CONNECTIONS} connections", rps, "req/s", f"≥ {RATIO_GOAL:.0%} of ceiling",
            ratio >= RATIO_GOAL and not _status_note(result), ceiling=ceiling_rps, ratio=ratio, note=note,
        ))
        figures.append(Figure(
            f"pages: {name} p99", result.p99_ms, "ms", f"≤ {P99_GOAL_MS:.0f} ms", result.p99_ms <= P99_GOAL_MS,
        ))
    for name, request in page_requests(chapter, event_path).items():
        slug = name.split(" ")[0]
        uncached = PreparedRequest(request.method, request.url, {**request.headers, **NOT_FROM_THE_CACHE})
        result = wrk.cycle(workdir, f"page-{slug}-app", [uncached], connections=CONNECTIONS, seconds=seconds / 2,
                           server=chapter.process)
        raw[f"{name}, app path"] = result.summary()
        rps = result.rps(frozenset({200}))
        note = "; ".join(filter(None, [f"p99 {result.p99_ms:.1f} ms", cpu_note(result, ceiling),
                                       _status_note(result)]))
        figures.append(Figure(
            f"pages: {name}, made by the app (not from the anonymous cache)", rps, "req/s", "—",
            rps > 0 and not _status_note(result), ceiling=ceiling_rps, ratio=rps / ceiling_rps if ceiling_rps else 0.0,
            note=note,
        ))
    return figures, raw


def run_pages_under_inbox(
    workdir: Path, chapter: Chapter, event_path: str, inbox_requests: list[PreparedRequest], *, seconds: float
) -> tuple[list[Figure], dict[str, object]]:
    """wrk cycles the four pages at 8 connections while this process sends the
    pre-signed POSTs open loop at 500/s (both on the load core)."""
    pages = list(page_requests(chapter, event_path).values())
    inbox_stats: list[LoadStats] = []

    def inbox_load() -> None:
        inbox_stats.append(asyncio.run(run_load(
            iter(inbox_requests), connections=128, seconds=seconds + 1, rate_per_second=INBOX_RATE,
        )))

    thread = threading.Thread(target=inbox_load, name="inbox-load")
    thread.start()
    try:
        result = wrk.cycle(workdir, "pages-under-inbox", pages, connections=CONNECTIONS, seconds=seconds)
    finally:
        thread.join()
    inbox = inbox_stats[0] if inbox_stats else None
    accepted = inbox.statuses.get(202, 0) / inbox.seconds if inbox and inbox.seconds else 0.0
    note = _status_note(result)
    taken = f"inbox took {accepted:,.0f}/s of {INBOX_RATE:,.0f}/s offered"
    if inbox and inbox.errors:
        refused = {status: count for status, count in inbox.statuses.items() if status != 202}
        unanswered = inbox.errors - sum(refused.values())
        taken += f"; inbox: {unanswered} not answered in time" + (f", answers {refused}" if refused else "")
    figures = [Figure(
        f"pages p99 while the inbox takes {INBOX_RATE:,.0f} POSTs/s", result.p99_ms, "ms",
        f"≤ {LOADED_P99_GOAL_MS:.0f} ms", result.p99_ms <= LOADED_P99_GOAL_MS and accepted >= 0.95 * INBOX_RATE,
        note="; ".join(filter(None, [taken, note])),
    )]
    raw = {"pages": result.summary(), "inbox": inbox.summary() if inbox else None,
           "inbox_statuses": inbox.statuses if inbox else None}
    return figures, raw
