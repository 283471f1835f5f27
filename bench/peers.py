"""The remote side of the benchmarks, in one process on the load core:

- the sender actors' host: ``GET /users/{name}`` serves the actor documents
  (with their public keys) that fedchapter fetches to verify the inbox
  benchmark's signatures;
- the sinks: 500 "servers" (127.0.0.1..127.0.0.50 x 10 ports, every 127.x
  address is loopback), each answering ``POST /inbox`` with 202 and counting
  every activity id it receives, so exactly-once delivery can be checked;
- ``GET /stats`` and ``POST /reset`` on the control port for the harness.

aiohttp's low-level server (C HTTP parser, no routing) keeps the sinks far
faster than the delivery worker they measure.

Run: ``python -m bench.peers --control-port P --actors FILE --addresses 50 --ports P1,P2,...``
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web


class Sinks:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        # (server, activity id) -> how many times it arrived.
        self.counts: Counter[tuple[str, str]] = Counter()
        self.first: float | None = None
        self.last: float | None = None
        self.bad = 0

    def record(self, server: str, activity_id: str) -> None:
        now = time.monotonic()  # CLOCK_MONOTONIC: comparable with the harness's clock
        if self.first is None:
            self.first = now
        self.last = now
        self.counts[(server, activity_id)] += 1

    def stats(self) -> dict[str, Any]:
        per_activity: Counter[str] = Counter()
        duplicates = 0
        for (_, activity_id), count in self.counts.items():
            per_activity[activity_id] += 1
            duplicates += count - 1
        return {
            "received": sum(self.counts.values()),
            "servers_per_activity": dict(per_activity),
            "duplicates": duplicates,
            "servers": len({server for server, _ in self.counts}),
            "bad": self.bad,
            "first": self.first,
            "last": self.last,
        }


def build_handler(actors: dict[str, Any], sinks: Sinks) -> Any:
    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        if request.method == "POST" and path == "/inbox":
            body = await request.read()
            try:
                activity_id = json.loads(body)["id"]
            except (ValueError, KeyError, TypeError):
                sinks.bad += 1
                return web.Response(status=400)
            # The server is the socket the request came in on, not what the client claims.
            sockname = request.transport.get_extra_info("sockname") if request.transport else None
            server = f"{sockname[0]}:{sockname[1]}" if sockname else request.host
            sinks.record(server, activity_id)
            return web.Response(status=202)
        if request.method == "GET" and path.startswith("/users/"):
            document = actors.get(path.removeprefix("/users/"))
            if document is None:
                return web.Response(status=404)
            return web.Response(body=json.dumps(document).encode(), content_type="application/activity+json")
        if path == "/stats":
            return web.json_response(sinks.stats())
        if path == "/reset" and request.method == "POST":
            sinks.reset()
            return web.json_response({"ok": True})
        if path == "/":
            return web.Response(text="ok")
        return web.Response(status=404)

    return handle


async def listen_on_loopback(handler: Any, control_port: int, addresses: int, ports: list[int],
                             ready: str) -> None:
    """Serve ``handler`` on the control port and on every port of 127.0.0.1 …
    127.0.0.N (N = ``addresses``), one "server" per address and port, print
    ``ready`` and run until SIGTERM or SIGINT."""
    server = web.Server(handler, access_log=None)
    runner = web.ServerRunner(server, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", control_port, backlog=1024).start()
    for number in range(1, addresses + 1):
        for port in ports:
            await web.TCPSite(runner, f"127.0.0.{number}", port, backlog=1024).start()
    print(ready, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()


async def serve(control_port: int, actors_file: Path | None, addresses: int, ports: list[int]) -> None:
    actors = json.loads(actors_file.read_text()) if actors_file else {}
    await listen_on_loopback(build_handler(actors, Sinks()), control_port, addresses, ports, "peers: ready")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--actors", type=Path)
    parser.add_argument("--addresses", type=int, default=50)
    parser.add_argument("--ports", default="")
    args = parser.parse_args()
    ports = [int(port) for port in args.ports.split(",") if port]
    asyncio.run(serve(args.control_port, args.actors, args.addresses, ports))


if __name__ == "__main__":
    main()
