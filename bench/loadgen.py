"""A closed-loop HTTP load generator: N connections, each sending its next
request as soon as the previous answer arrives, for a bounded time or count.

aiohttp is used for the load (not httpx) because the generator must not be
the bottleneck: on this 2-core machine it runs pinned to the core the server
does not use.
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
) -> LoadStats:
    """Send requests over ``connections`` connections until time or requests run out.

    With ``rate_per_second`` the load is open-loop at that rate instead (for
    "pages while the inbox takes 500 POSTs/s" style mixes).
    """
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counters = {"sent": 0, "ok": 0, "errors": 0}
    deadline = time.perf_counter() + seconds
    lock = asyncio.Lock()
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    interval = 1.0 / rate_per_second if rate_per_second else 0.0
    next_slot = [time.perf_counter()]

    async def take() -> PreparedRequest | None:
        async with lock:
            if time.perf_counter() >= deadline:
                return None
            try:
                item = next(requests)
            except StopIteration:
                return None
            if interval:
                next_slot[0] += interval
                wait = next_slot[0] - time.perf_counter()
            else:
                wait = 0.0
        if wait > 0:
            await asyncio.sleep(wait)
        return item

    async def worker(session: aiohttp.ClientSession) -> None:
        while True:
            item = await take()
            if item is None:
                return
            started = time.perf_counter()
            counters["sent"] += 1
            try:
                async with session.request(item.method, item.url, headers=item.headers, data=item.body) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError):
                counters["errors"] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status in ok_statuses:
                counters["ok"] += 1
            else:
                counters["errors"] += 1

    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return LoadStats(counters["sent"], counters["ok"], counters["errors"], elapsed, latencies, statuses)


def repeat(request_factory: Callable[[int], PreparedRequest]) -> Iterator[PreparedRequest]:
    number = 0
    while True:
        yield request_factory(number)
        number += 1
