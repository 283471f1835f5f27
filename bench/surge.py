"""A follower surge (issue 19): a post goes viral and 5,000 people on 500
servers follow the chapter within a minute; right after, the chapter posts an
event to its followers.

    python -m bench.surge                               # 5,000 Follows, 500 servers, 60 s
    python -m bench.surge --servers 100 --seconds 12    # a smaller surge (same rate per server)

Its own module and command, and a step of ``bench.run`` (``--only surge``;
the figures and goals are bench/scenarios/surge.py): it needs its
own chapter (no seeded followers) and 5,000 actors on the peers. Everything
runs as in ``bench.run``: the chapter on the server core, the peers (the
followers' actor documents and the sinks that receive the Accepts) and the
load generator on the other core.

- Each follower has its own actor document and key id, on its own server
  (127.0.0.A:PORT, all loopback); the keys themselves are shared by groups of
  followers (an RSA key costs ~0.1 s to make), which the chapter cannot see.
- The Follows are signed before the run, then POSTed open loop at an even
  rate to the chapter's actor inbox; a 503 is counted, not retried.
- Figures: time from the first Follow to the last Accept at the sinks, how
  many Follows were answered 202/503, the server's CPU (user+system) from the
  first Follow to the last Accept, and the event's fan-out: servers reached
  within 30 s of posting it and the time to reach every server it was queued to.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization

from bench.chapter import Chapter, new_chapter
from bench.db import ChapterDatabase
from bench.loadgen import PreparedRequest, run_load
from bench.processes import LOAD_CORE, Process, free_port, python, start, stop_all, wait_for_http
from bench.scenarios.fanout import _sink_stats as sink_stats, reset_sinks
from bench.signing import AS_CONTEXT, Sender, new_key_pems
from federation.signatures import SigningKey, sign_request

ACCEPT_GOAL_S = 30.0  # issue 19: every Follow accepted within 30 s
KEYS = 8
WAIT_S = 180.0
EVENT_WINDOW_S = 30.0


def log(message: str) -> None:
    # stderr: stdout carries only the result (JSON).
    print(f"[surge {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def followers(servers: list[str], per_server: int) -> list[Sender]:
    pems = [new_key_pems() for _ in range(KEYS)]
    found = []
    for server_number, server in enumerate(servers):
        label = server.removeprefix("http://").replace(".", "-").replace(":", "-")
        for number in range(per_server):
            name = f"{label}-f{number}"
            actor_id = f"{server}/users/{name}"
            private_pem, public_pem = pems[(server_number * per_server + number) % KEYS]
            found.append(Sender(name, actor_id, f"{actor_id}#main-key", private_pem, public_pem))
    return found


def documents(senders: list[Sender]) -> dict[str, dict[str, Any]]:
    """What ``bench.peers`` serves at /users/{name}: each with its server's shared inbox."""
    served = {}
    for sender in senders:
        document = sender.document()
        document["endpoints"] = {"sharedInbox": sender.actor_id.split("/users/", 1)[0] + "/inbox"}
        served[sender.name] = document
    return served


def _sign_follows(args: tuple[str, str, list[Sender]]) -> list[PreparedRequest]:
    inbox_url, chapter_actor, batch = args
    keys: dict[str, Any] = {}  # by PEM: parsing one costs more than signing with it
    prepared = []
    for sender in batch:
        private = keys.get(sender.private_pem)
        if private is None:
            private = keys[sender.private_pem] = serialization.load_pem_private_key(
                sender.private_pem.encode(), password=None)
        follow = {"@context": AS_CONTEXT, "id": f"{sender.actor_id}/follows/{uuid.uuid4().hex}",
                  "type": "Follow", "actor": sender.actor_id, "object": chapter_actor}
        body = json.dumps(follow, separators=(",", ":")).encode()
        headers = sign_request("POST", inbox_url, key=SigningKey(sender.key_id, sender.actor_id, private), body=body)
        prepared.append(PreparedRequest("POST", inbox_url, headers, body))
    return prepared


def signed_follows(inbox_url: str, chapter_actor: str, senders: list[Sender]) -> list[PreparedRequest]:
    workers = max(1, min(os.cpu_count() or 1, 4))
    size = -(-len(senders) // workers)
    batches = [(inbox_url, chapter_actor, senders[i:i + size]) for i in range(0, len(senders), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [request for result in pool.map(_sign_follows, batches) for request in result]


def start_peers(workdir: Path, served: dict[str, Any], addresses: int, ports: list[int]) -> tuple[Process, str]:
    control_port = free_port()
    actors_file = workdir / "surge-actors.json"
    actors_file.write_text(json.dumps(served))
    peers = start([python(), "-m", "bench.peers", "--control-port", str(control_port), "--actors", str(actors_file),
                   "--addresses", str(addresses), "--ports", ",".join(map(str, ports))],
                  name="peers", core=LOAD_CORE, log=workdir / "surge-peers.log")
    wait_for_http(f"http://127.0.0.1:{control_port}/", process=peers, timeout=60)
    return peers, f"http://127.0.0.1:{control_port}"


def run_surge(
    workdir: Path, *, addresses: int, ports: int, per_server: int, seconds: float,
    with_sinks: Callable[[list[str]], None] | None = None,
) -> dict[str, Any]:
    """``with_sinks(servers)`` runs once the peers are up, before the chapter
    starts (``bench.run`` measures the delivery ceiling to these sinks there)."""
    port_numbers = [free_port() for _ in range(ports)]
    servers = [f"http://127.0.0.{a}:{p}" for a in range(1, addresses + 1) for p in port_numbers]
    senders = followers(servers, per_server)
    peers, control_url = start_peers(workdir, documents(senders), addresses, port_numbers)
    if with_sinks is not None:
        with_sinks(servers)
        reset_sinks(control_url)  # what the ceiling sent must not count as Accepts or as the event
    chapter: Chapter = new_chapter(workdir, "surge")
    chapter.serve()
    assert chapter.process is not None
    token = chapter.token()
    chapter_actor = f"{chapter.base_url}/actors/{chapter.handle}"
    follows = signed_follows(f"{chapter_actor}/inbox", chapter_actor, senders)
    log(f"{len(follows):,} Follows signed from {len(servers)} servers; surging for {seconds:.0f} s")

    if (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {int(LOAD_CORE)})  # the load generator on the load core, as in bench.run
    cpu_before = chapter.process.cpu_seconds()
    started = time.monotonic()
    # At most 512 in flight: past uvicorn's 200 connections the chapter answers 503 itself.
    load = asyncio.run(run_load(iter(follows), connections=512, seconds=seconds + 30,
                                rate_per_second=len(follows) / seconds, ok_statuses=frozenset({202})))
    statuses = dict(load.statuses)
    sent_seconds = time.monotonic() - started
    accepted = statuses.get(202, 0)

    # Right after the surge: an event to the followers the chapter has by now.
    event_started = time.monotonic()
    chapter.api_post(token, "/api/v1/events", {
        "title": "Emergency assembly", "description": "Everyone is welcome.", "start": "2027-03-10T18:30",
        "end": "2027-03-10T20:30", "timezone": "Europe/London", "visibility": "public",
        "location": {"name": "Birkbeck", "street": "Malet Street", "locality": "London",
                     "postal_code": "WC1E 7HX", "country": "GB", "lat": 51.5218, "lon": -0.1302},
    })
    accepts_seen, last_accept, event_servers_30s, event_done_at, event_id, event_rows = 0, None, 0, None, None, 0
    deadline = started + seconds + WAIT_S
    while time.monotonic() < deadline:
        stats = sink_stats(control_url)
        per_activity: dict[str, int] = stats["servers_per_activity"]
        event_id = max(per_activity, key=per_activity.__getitem__, default=None) if per_activity else None
        if event_id is not None and per_activity[event_id] < 2:
            event_id = None  # an Accept goes to one server; the event to many
        accepts_seen = sum(1 for activity, count in per_activity.items() if activity != event_id)
        if accepts_seen and (last_accept is None or accepts_seen > last_accept[0]):
            last_accept = (accepts_seen, time.monotonic())
        reached = per_activity.get(event_id, 0) if event_id else 0
        if time.monotonic() - event_started <= EVENT_WINDOW_S:
            event_servers_30s = reached
        if event_id and not event_rows:
            event_rows = sum(ChapterDatabase(chapter.data).delivery_states(event_id).values())
        if event_id and event_done_at is None and event_rows and reached >= event_rows:
            event_done_at = time.monotonic()
        if accepts_seen >= accepted and event_done_at is not None:
            break
        time.sleep(0.25)
    cpu = chapter.process.cpu_seconds() - cpu_before
    chapter.stop()
    peers.stop()
    to_last_accept = (last_accept[1] - started) if last_accept else float("nan")
    result = {
        "follows": len(follows), "servers": len(servers), "seconds": seconds, "sent_seconds": round(sent_seconds, 1),
        "statuses": statuses, "no_answer": load.errors, "follow_p99_ms": round(load.percentile(99)),
        "accepts": accepts_seen, "seconds_to_last_accept": round(to_last_accept, 1),
        "every_follow_accepted_within_goal": accepts_seen == accepted and to_last_accept <= seconds + ACCEPT_GOAL_S,
        "server_cpu_seconds": round(cpu, 1),
        "event": {"queued_to_servers": event_rows, "servers_within_30s": event_servers_30s,
                  "seconds_to_all": round(event_done_at - event_started, 1) if event_done_at else None,
                  # Unrounded, for the rate against the delivery ceiling (bench/scenarios/surge.py).
                  "seconds_to_all_exact": (event_done_at - event_started) if event_done_at else None},
        "load_average": os.getloadavg(),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=500, help="a multiple of 10 (addresses x 10 ports)")
    parser.add_argument("--per-server", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fedchapter-surge-") as folder:
        try:
            result = run_surge(Path(folder), addresses=max(1, args.servers // 10), ports=10,
                               per_server=args.per_server, seconds=args.seconds)
        finally:
            stop_all()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
