"""The Python HTTP load generator, for open-loop rates (100/s, 500/s) and
small runs; wrk (``bench.wrk``) drives the saturating closed-loop runs.

aiohttp is used (not httpx) because the generator must not be the
bottleneck: on this 2-core machine it runs in the harness, pinned to the core
the server does not use.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import aiohttp


@dataclass(frozen=True)
class PreparedRequest:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class LoadStats:
    sent: int
    ok: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    def summary(self) -> dict[str, float | int]:
        return {
            "requests": self.sent,
            "ok": self.ok,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p99_ms": round(self.percentile(99), 2),
        }


async def run_load(
    requests: Iterator[PreparedRequest],
    *,
    connections: int,
    seconds: float,
    ok_statuses: frozenset[int] = frozenset({200, 201, 202}),
    rate_per_second: float | None = None,
    on_response: Callable[[PreparedRequest, int, float], None] | None = None,
) -> LoadStats:
    """Send requests until ``seconds`` pass or the requests run out.

    Closed loop by default: ``connections`` workers, each sending its next
    request when the previous answer arrives. With ``rate_per_second`` the load
    is open loop instead: request *i* is due at ``start + i / rate`` whatever
    the answers do, at most ``connections`` in flight, and its latency counts
    from when it was due (so a stalled server cannot hide its queue: no
    coordinated omission). ``on_response(request, status, due)`` sees each answer.
    """
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counters = {"sent": 0, "ok": 0, "errors": 0, "unfinished": 0}
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)

    async def send(session: aiohttp.ClientSession, item: PreparedRequest, due: float) -> None:
        counters["sent"] += 1
        try:
            async with session.request(item.method, item.url, headers=item.headers, data=item.body) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError):
            counters["errors"] += 1
            return
        latencies.append((time.perf_counter() - due) * 1000)
        if on_response is not None:
            on_response(item, status, due)
        statuses[status] = statuses.get(status, 0) + 1
        if status in ok_statuses:
            counters["ok"] += 1
        else:
            counters["errors"] += 1

    async def closed_worker(session: aiohttp.ClientSession, deadline: float) -> None:
        for item in requests:  # one shared iterator: each request goes once
            if time.perf_counter() >= deadline:
                return
            await send(session, item, time.perf_counter())

    async def open_loop(session: aiohttp.ClientSession, started: float, deadline: float) -> None:
        assert rate_per_second
        in_flight = asyncio.Semaphore(connections)
        tasks: set[asyncio.Task[None]] = set()

        async def bounded(item: PreparedRequest, due: float) -> None:
            async with in_flight:
                await send(session, item, due)

        for number, item in enumerate(requests):
            due = started + number / rate_per_second
            if due >= deadline:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.get_running_loop().create_task(bounded(item, due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            # An overloaded server gets a bounded grace; what is still waiting then
            # counts as an error (and the session can close cleanly).
            _, pending = await asyncio.wait(tasks, timeout=15)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
                counters["errors"] += len(pending)
                counters["unfinished"] += len(pending)

    started = time.perf_counter()
    deadline = started + seconds
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        if rate_per_second:
            await open_loop(session, started, deadline)
        else:
            await asyncio.gather(*(closed_worker(session, deadline) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return LoadStats(counters["sent"], counters["ok"], counters["errors"], elapsed, latencies, statuses)


def repeat(request_factory: Callable[[int], PreparedRequest]) -> Iterator[PreparedRequest]:
    number = 0
    while True:
        yield request_factory(number)
        number += 1
