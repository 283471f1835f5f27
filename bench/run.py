"""``make bench``: every benchmark of issue 9 against ceilings measured in the
same run, then ``bench/results.json`` and the table in ``docs/performance.md``.

The harness runs on the load core (1); everything under test runs on the
server core (0) via taskset. Everything started is stopped by pid at the end,
on failure and on Ctrl-C too.

    python -m bench.run [--quick] [--profile] [--skip counting,...] [--keep]
    python -m bench.run --only pg-fanout    # the sinks, the delivery ceiling and that scenario alone
    python -m bench.run --only surge        # the follower surge alone (with the delivery ceiling)
    python -m bench.run --only networks     # a network of 200 chapters alone (with the delivery ceiling)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import profile, report, wrk
from bench.chapter import Chapter, new_chapter
from bench.db import ChapterDatabase
from bench.loadgen import PreparedRequest, run_load
from bench.processes import LOAD_CORE, SERVER_CORE, Process, free_port, python, start, stop_all, wait_for_http
from bench.report import Figure
from bench.scenarios import ceilings, counting, fanout, inbox, networks, pages, pg_fanout
from bench.scenarios import surge as surge_scenario
from bench.signing import Sender, actor_documents, make_senders, signed_activities

SINK_ADDRESSES = 50  # 127.0.0.1 .. 127.0.0.50
SINK_PORTS = 10  # x 10 ports = 500 servers
FOLLOWERS_PER_SERVER = 10  # 5,000 followers
SENDERS = 8
IDLE_RSS_GOAL_MB = 80.0
LOADED_RSS_GOAL_MB = 150.0
COLD_START_GOAL_S = 1.0
# A Create about the size of the fan-out's (a post's text) when no chapter made one.
SAMPLE_ACTIVITY: dict[str, Any] = {"type": "Create", "object": {"type": "Note", "content": "x" * 2000}}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def start_peers(workdir: Path, senders: list[Sender], control_port: int) -> tuple[Process, list[int]]:
    """The sinks and the senders' actor host; new sink ports if one is taken."""
    actors_file = workdir / "actors.json"
    actors_file.write_text(json.dumps(actor_documents(senders)))
    last_error: Exception | None = None
    for _ in range(3):
        ports = [free_port() for _ in range(SINK_PORTS)]
        peers = start(
            [python(), "-m", "bench.peers", "--control-port", str(control_port), "--actors", str(actors_file),
             "--addresses", str(SINK_ADDRESSES), "--ports", ",".join(map(str, ports))],
            name="peers", core=LOAD_CORE, log=workdir / "peers.log",
        )
        try:
            wait_for_http(f"http://127.0.0.1:{control_port}/", process=peers, timeout=60)
            return peers, ports
        except (RuntimeError, TimeoutError) as error:
            last_error = error
            peers.stop()
    raise RuntimeError(f"the sinks did not start: {last_error}")


def seed_content(chapter: Chapter, token: str, count: int) -> str:
    """Events and posts for the pages (before the followers exist, so nothing is delivered)."""
    event_path = ""
    for number in range(count):
        event = chapter.api_post(token, "/api/v1/events", {
            "title": f"Assembly {number + 1}: housing, transport and the budget",
            "description": "## Agenda\n\n1. Welcome\n2. Reports\n3. **Decisions**\n\n" + "Come along. " * 30,
            "start": f"2027-0{1 + number % 9}-{10 + number % 18}T18:30",
            "end": f"2027-0{1 + number % 9}-{10 + number % 18}T20:30",
            "timezone": "Europe/London",
            "location": {"name": "Birkbeck", "street": "Malet Street", "locality": "London",
                         "postal_code": "WC1E 7HX", "country": "GB", "lat": 51.5218, "lon": -0.1302},
            "visibility": "public",
        })
        if not event_path:
            event_path = "/events/" + str(event["id"])
        chapter.api_post(token, "/api/v1/posts", {"title": f"News {number + 1}", "body": "We won. " * 50})
    return event_path


def rss_figure(name: str, process: Process, goal: float) -> Figure:
    rss = process.rss_mb()
    return Figure(name, rss, "MB", f"≤ {goal:.0f} MB", rss <= goal)


def run(args: argparse.Namespace, workdir: Path) -> tuple[list[Figure], dict[str, Any]]:
    seconds = 3.0 if args.quick else 6.0
    figures: list[Figure] = []
    raw: dict[str, Any] = {"load_average_at_start": os.getloadavg()}
    skip = set(args.skip.split(",")) if args.skip else set()

    control_port = free_port()
    senders = make_senders(f"127.0.0.1:{control_port}", SENDERS)
    peers, servers, control_url = start_sinks(workdir, senders, control_port)

    chapter = new_chapter(workdir)
    chapter.patches = tuple(name for name in args.patch.split(",") if name)
    raw["patches"] = list(chapter.patches)
    chapter.serve()
    raw["first_start_seconds"] = chapter.cold_start_seconds
    token = chapter.token()
    event_path = seed_content(chapter, token, 4 if args.quick else 12)
    sample_activity = _sample_activity(chapter)
    chapter.stop()
    servers_file = workdir / "servers.txt"
    servers_file.write_text("\n".join(servers) + "\n")
    seeded = subprocess_out([python(), "-m", "bench.seed", "--data", str(chapter.data), "--servers",
                             str(servers_file), "--per-server", str(FOLLOWERS_PER_SERVER)])
    log(f"chapter ready: {seeded.strip()} followers, event {event_path}")

    inbox_url = f"{chapter.base_url}/inbox"  # the shared inbox, where Mastodon sends public activities
    audience = f"{chapter.base_url}/actors/{chapter.handle}"
    processing_count = int(inbox.PROCESSING_RATE * seconds) + 50
    mixed_count = int(pages.INBOX_RATE * (seconds + 1)) + 100
    started = time.monotonic()
    base_pool = signed_activities(inbox_url, audience, senders, len(senders) * 2 + processing_count + mixed_count)
    log(f"signed {len(base_pool):,} activities in {time.monotonic() - started:.1f} s")
    warmup, base_pool = base_pool[: len(senders) * 2], base_pool[len(senders) * 2:]
    processing_pool, mixed_pool = base_pool[:processing_count], base_pool[processing_count:]

    # Ceilings -------------------------------------------------------------
    page_ceiling = ceilings.page_ceiling(workdir, seconds=seconds, connections=pages.CONNECTIONS)
    raw["page_ceiling"] = page_ceiling.summary()
    page_ceiling_rps = page_ceiling.rps(frozenset({200}))
    figures.append(Figure("ceiling: minimal Starlette JSON page", page_ceiling_rps, "req/s", "—", True,
                          note=f"p99 {page_ceiling.p99_ms:.1f} ms at {pages.CONNECTIONS} connections, "
                               f"{page_ceiling.cpu_ms_per_request:.2f} ms CPU/request"))
    log(f"page ceiling {page_ceiling_rps:,.0f}/s")
    inbox_ceiling = ceilings.inbox_ceiling(
        workdir, {s.key_id: s.public_pem for s in senders}, mixed_pool, seconds=seconds,
        connections=inbox.CONNECTIONS,
    )
    raw["inbox_ceiling"] = inbox_ceiling.summary()
    inbox_ceiling_rps = inbox_ceiling.rps(frozenset({202}))
    figures.append(Figure("ceiling: verify one signature + one SQLite insert", inbox_ceiling_rps, "req/s", "—",
                          inbox_ceiling_rps > 0,
                          note=f"p99 {inbox_ceiling.p99_ms:.1f} ms at {inbox.CONNECTIONS} connections, "
                               f"{inbox_ceiling.cpu_ms_per_request:.2f} ms CPU/request"))
    log(f"inbox ceiling {inbox_ceiling_rps:,.0f}/s")
    delivery_ceiling = measure_delivery_ceiling(args, workdir, servers, sample_activity, figures, raw)

    # Enough unique activities that the server cannot run out unless it is near the ceiling.
    throughput_count = max(2000, min(20000, int(inbox_ceiling_rps * seconds * 0.8)))
    started = time.monotonic()
    throughput_pool = signed_activities(inbox_url, audience, senders, throughput_count)
    log(f"signed {len(throughput_pool):,} more in {time.monotonic() - started:.1f} s")

    # The chapter under test ------------------------------------------------
    chapter.serve()
    assert chapter.process is not None
    figures.append(Figure("cold start of fedchapter serve to the first 200", chapter.cold_start_seconds, "s",
                          f"≤ {COLD_START_GOAL_S:.0f} s", chapter.cold_start_seconds <= COLD_START_GOAL_S))
    time.sleep(3)  # let the workers settle into their idle wait
    figures.append(rss_figure("idle RSS of fedchapter serve with workers", chapter.process, IDLE_RSS_GOAL_MB))
    log(f"chapter serving: cold start {chapter.cold_start_seconds:.2f} s, idle {chapter.process.rss_mb():.0f} MB")
    _warm_inbox(warmup)

    if "pages" not in skip:
        with profile.profiled("pages", chapter.process, args.profile):
            found, raw["pages"] = pages.run_pages(workdir, chapter, event_path, page_ceiling, seconds=seconds)
        figures += found
        log("pages done")
    if "inbox" not in skip:
        with profile.profiled("inbox", chapter.process, args.profile):
            found, raw["inbox"] = inbox.run_throughput(workdir, chapter, throughput_pool, inbox_ceiling,
                                                       seconds=seconds)
        figures += found
        found, raw["inbox_processing"] = inbox.run_processing(chapter, processing_pool, seconds=seconds)
        figures += found
        log("inbox done")
    if "pages" not in skip and "inbox" not in skip:
        with profile.profiled("pages-under-inbox", chapter.process, args.profile):
            found, raw["pages_under_inbox"] = pages.run_pages_under_inbox(
                workdir, chapter, event_path, mixed_pool, seconds=seconds)
        figures += found
        drained = ChapterDatabase(chapter.data).wait_inbox_drained(inbox.DRAIN_TIMEOUT_S)
        raw["pages_under_inbox"]["drain_seconds"] = drained
        log("pages under inbox load done")
    if "fanout" not in skip:
        with profile.profiled("fanout", chapter.process, args.profile):
            found, raw["fanout"] = fanout.run_fanout(chapter, token, control_url, len(servers), delivery_ceiling)
        figures += found
        log("fan-out done")
    figures.append(rss_figure("RSS after the inbox and fan-out runs", chapter.process, LOADED_RSS_GOAL_MB))
    chapter.stop()
    if "pg-fanout" not in skip:
        figures += run_pg_fanout(args, workdir, servers, control_url, delivery_ceiling, sample_activity, raw)
    peers.stop()
    if "surge" not in skip:
        figures += run_surge(args, workdir, delivery_ceiling, raw)
    if "networks" not in skip:
        figures += run_networks(args, workdir, delivery_ceiling, raw)

    if "counting" not in skip:
        figures += counting.run()
        log("counting done")
    raw["load_average_at_end"] = os.getloadavg()
    return figures, raw


def start_sinks(workdir: Path, senders: list[Sender], control_port: int) -> tuple[Process, list[str], str]:
    peers, ports = start_peers(workdir, senders, control_port)
    servers = [f"http://127.0.0.{address}:{port}" for address in range(1, SINK_ADDRESSES + 1) for port in ports]
    log(f"sinks up: {len(servers)} servers")
    return peers, servers, f"http://127.0.0.1:{control_port}"


def measure_delivery_ceiling(
    args: argparse.Namespace, workdir: Path, servers: list[str], sample_activity: dict[str, Any],
    figures: list[Figure], raw: dict[str, Any],
) -> dict[str, Any]:
    delivery_ceiling = ceilings.delivery_ceiling(
        workdir, [f"{server}/inbox" for server in servers], sample_activity, concurrency=64,
        rounds=2 if args.quick else 3,
    )
    raw["delivery_ceiling"] = delivery_ceiling
    delivery_ceiling_rate = float(delivery_ceiling["best"])
    figures.append(Figure("ceiling: signed POSTs through the delivery client", delivery_ceiling_rate, "req/s", "—",
                          delivery_ceiling_rate > 0,
                          note=f"best of the rounds, 500 servers, 64 in flight, "
                               f"{delivery_ceiling['cpu_ms_per_request']:.2f} ms CPU/request"))
    log(f"delivery ceiling {delivery_ceiling_rate:,.0f}/s")
    return delivery_ceiling


def run_pg_fanout(
    args: argparse.Namespace, workdir: Path, servers: list[str], control_url: str,
    delivery_ceiling: dict[str, Any], sample_activity: dict[str, Any], raw: dict[str, Any],
) -> list[Figure]:
    found, raw["pg_fanout"] = pg_fanout.run_pg_fanout(
        workdir, servers, control_url, delivery_ceiling, sample_activity, quick=args.quick)
    log("PostgreSQL fan-out done")
    return found


def run_only_pg_fanout(args: argparse.Namespace, workdir: Path) -> tuple[list[Figure], dict[str, Any]]:
    """``--only pg-fanout``: the sinks, the delivery ceiling and the PostgreSQL
    fan-out, without the SQLite chapter (so without its sample activity: a
    Create of the same size stands in, for the ceiling and the queue alike)."""
    figures: list[Figure] = []
    raw: dict[str, Any] = {"load_average_at_start": os.getloadavg(), "only": "pg-fanout"}
    peers, servers, control_url = start_sinks(workdir, [], free_port())
    sample_activity = SAMPLE_ACTIVITY
    delivery_ceiling = measure_delivery_ceiling(args, workdir, servers, sample_activity, figures, raw)
    figures += run_pg_fanout(args, workdir, servers, control_url, delivery_ceiling, sample_activity, raw)
    peers.stop()
    raw["load_average_at_end"] = os.getloadavg()
    return figures, raw


def run_surge(
    args: argparse.Namespace, workdir: Path, delivery_ceiling: dict[str, Any], raw: dict[str, Any],
) -> list[Figure]:
    found, raw["surge"] = surge_scenario.run_surge_scenario(
        workdir, quick=args.quick, delivery_ceiling=lambda: delivery_ceiling)
    log("follower surge done")
    return found


def run_networks(
    args: argparse.Namespace, workdir: Path, delivery_ceiling: dict[str, Any], raw: dict[str, Any],
) -> list[Figure]:
    found, raw["networks"] = networks.run_networks(workdir, delivery_ceiling, quick=args.quick)
    log("networks done")
    return found


def run_only_surge(args: argparse.Namespace, workdir: Path) -> tuple[list[Figure], dict[str, Any]]:
    """``--only surge``: the surge, with the delivery ceiling measured against
    the surge's own sinks before its chapter starts."""
    figures: list[Figure] = []
    raw: dict[str, Any] = {"load_average_at_start": os.getloadavg(), "only": "surge"}
    measured: dict[str, Any] = {}

    def ceiling_to(servers: list[str]) -> None:
        measured.update(measure_delivery_ceiling(args, workdir, servers, SAMPLE_ACTIVITY, figures, raw))

    found, raw["surge"] = surge_scenario.run_surge_scenario(
        workdir, quick=args.quick, with_sinks=ceiling_to, delivery_ceiling=lambda: measured or None)
    figures += found
    raw["load_average_at_end"] = os.getloadavg()
    return figures, raw


def run_only_networks(args: argparse.Namespace, workdir: Path) -> tuple[list[Figure], dict[str, Any]]:
    """``--only networks``: the sinks and the delivery ceiling (for the relays'
    ratio), then the network of 200 chapters."""
    figures: list[Figure] = []
    raw: dict[str, Any] = {"load_average_at_start": os.getloadavg(), "only": "networks"}
    peers, servers, _ = start_sinks(workdir, [], free_port())
    delivery_ceiling = measure_delivery_ceiling(args, workdir, servers, SAMPLE_ACTIVITY, figures, raw)
    peers.stop()
    figures += run_networks(args, workdir, delivery_ceiling, raw)
    raw["load_average_at_end"] = os.getloadavg()
    return figures, raw


ONLY = {"pg-fanout": run_only_pg_fanout, "surge": run_only_surge, "networks": run_only_networks}


def _sample_activity(chapter: Chapter) -> dict[str, Any]:
    """An activity the size of the fan-out's Create, for the delivery ceiling."""
    with urllib.request.urlopen(urllib.request.Request(  # noqa: S310 (loopback)
            f"{chapter.base_url}/actors/{chapter.handle}/outbox?page=1",
            headers={"Accept": "application/activity+json"}), timeout=10) as response:
        items = json.loads(response.read()).get("orderedItems") or []
    return items[0] if items else SAMPLE_ACTIVITY


def _warm_inbox(requests: list[PreparedRequest]) -> None:
    """One POST per sender first, so the actor fetches are not in the timed runs."""
    asyncio.run(run_load(iter(requests), connections=1, seconds=60))


def subprocess_out(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s runs instead of 6 s (a harness check)")
    parser.add_argument("--profile", action="store_true", help="py-spy the server into bench/profiles/")
    parser.add_argument("--skip", default="",
                        help="comma-separated: pages, inbox, fanout, pg-fanout, surge, networks, counting")
    parser.add_argument("--only", choices=sorted(ONLY),
                        help="run this scenario alone (with the sinks and its ceiling); implies --no-report")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (data, logs)")
    parser.add_argument("--no-report", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--patch", default="", help="comma-separated bench.patches to serve with (proposed fixes)")
    args = parser.parse_args(argv)
    if args.only:
        args.no_report = True  # one scenario's figures must not replace the whole table
    if not wrk.available() and not args.only:
        print("bench: wrk is missing (Debian: apt-get install wrk; `make bench` installs it)", file=sys.stderr)
        return 2
    if args.profile and not profile.available():
        print("bench: --profile needs py-spy (.venv/bin/pip install py-spy); running without", file=sys.stderr)
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {int(LOAD_CORE)})
    # SIGTERM (a CI timeout, kill PID) unwinds like Ctrl-C, through the finally below.
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="fedchapter-bench-"))
    started = time.monotonic()
    try:
        figures, raw = ONLY[args.only](args, workdir) if args.only else run(args, workdir)
    except KeyboardInterrupt:
        print("bench: interrupted; stopping everything it started", file=sys.stderr)
        return 130
    finally:
        stop_all()
        if args.keep:
            print(f"bench: work folder kept at {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    raw["wall_seconds"] = time.monotonic() - started
    raw["cores"] = {"server": SERVER_CORE, "load": LOAD_CORE}
    for figure in figures:
        ratio = f" ({figure.ratio:.0%} of {figure.ceiling:,.0f})" if figure.ratio is not None and figure.ceiling else ""
        mark = "ok  " if figure.met else "MISS"
        print(f"{mark} {figure.name}: {figure.value:,.2f} {figure.unit}{ratio} — goal {figure.goal}"
              f"{' — ' + figure.note if figure.note else ''}")
    if not args.no_report:
        report.write(figures, raw)
        print(f"bench: wrote {report.RESULTS.relative_to(report.ROOT)} and "
              f"{report.PERFORMANCE_DOC.relative_to(report.ROOT)} in {raw['wall_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
