"""Networks (issue 19): a network of 200 chapters decides a shared proposal.

- The network is a real ``fedchapter serve`` (made with ``init --network``)
  on the server core; its 200 member chapters are stand-ins
  (``bench.network_peers``, one process on the load core, each chapter on its
  own loopback server) that verify every signature they receive and answer
  as a chapter would: they ask to join with a signed ``Join``, and answer the
  network's proposal with their result, a signed ``Create(Note{fc:result})``
  carrying their FEP-8b32 integrity proof.
- Not timed: the 200 chapters ask to join, the network's admin accepts each
  through the API, and the Accepts arrive.
- Timed, from the API call that puts a yes-no question to the chapters
  (``scope: "chapters"``): the offer's delivery to all 200, each chapter's
  report back (the network fetches each chapter's actor once, checks its
  HTTP signature and its integrity proof, counts it and relays it), until
  the network's tally (``GET /api/v1/proposals/{id}``) lists all 200,
  verified. Wall time and the network process's CPU (user+system, /proc).
- Then the relays: each counted report goes on to the other 199 chapters in
  one Announce (39,800 deliveries, one server each), with the tally Updates.
  Their rate is set against the delivery ceiling of the same run (the same
  signed-POST client in a bare loop), but the issue sets no goal for it.
"""
from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.chapter import Chapter, new_chapter
from bench.db import ChapterDatabase
from bench.processes import LOAD_CORE, Process, free_port, python, start, wait_for_http
from bench.report import Figure
from bench.scenarios.fanout import _sink_stats as peer_stats

ADDRESSES = 20  # 127.0.0.1 .. 127.0.0.20
PORTS = 10  # x 10 ports = 200 chapters
SETUP_TIMEOUT_S = 180.0
TALLY_TIMEOUT_S = 300.0
RELAY_TIMEOUT_S = 600.0
QUICK_RELAY_TIMEOUT_S = 60.0


def log(message: str) -> None:
    print(f"[networks {time.strftime('%H:%M:%S')}] {message}", flush=True)


def start_standins(workdir: Path, network_actor: str) -> tuple[Process, str, int]:
    control_port = free_port()
    ports = [free_port() for _ in range(PORTS)]
    peers = start([python(), "-m", "bench.network_peers", "--control-port", str(control_port), "--network",
                   network_actor, "--addresses", str(ADDRESSES), "--ports", ",".join(map(str, ports))],
                  name="network peers", core=LOAD_CORE, log=workdir / "network-peers.log")
    wait_for_http(f"http://127.0.0.1:{control_port}/", process=peers, timeout=120)
    return peers, f"http://127.0.0.1:{control_port}", ADDRESSES * PORTS


def _wait(condition: Any, what: str, timeout: float, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise TimeoutError(f"networks bench: {what} did not happen within {timeout:.0f} s")


def affiliate_all(network: Chapter, token: str, control_url: str, chapters: int) -> float:
    """Every stand-in joins and is accepted; returns the seconds it took (not a figure)."""
    started = time.monotonic()
    request = urllib.request.Request(f"{control_url}/join", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
        statuses = json.loads(response.read())
    if statuses.get("202", 0) != chapters:
        raise RuntimeError(f"networks bench: the network answered the Joins {statuses}")

    def requests() -> list[dict[str, Any]]:
        return network.api_get(token, "/api/v1/network/chapters?limit=500")["items"]  # type: ignore[return-value]

    _wait(lambda: len(requests()) >= chapters, f"{chapters} affiliation requests to be stored", SETUP_TIMEOUT_S)
    for item in requests():
        if item["status"] == "pending":
            network.api_post(token, f"/api/v1/network/chapters/{item['id']}/accept", {})
    _wait(lambda: peer_stats(control_url)["accepted"] >= chapters, "the Accepts to arrive", SETUP_TIMEOUT_S)
    return time.monotonic() - started


def run_networks(
    workdir: Path, delivery_ceiling: dict[str, Any] | None, *, quick: bool = False,
) -> tuple[list[Figure], dict[str, Any]]:
    network = new_chapter(workdir, "network", network=True)
    actor = f"{network.base_url}/actors/{network.handle}"
    peers, control_url, chapters = start_standins(workdir, actor)
    try:
        network.serve()
        assert network.process is not None
        token = network.token()
        setup_seconds = affiliate_all(network, token, control_url, chapters)
        log(f"{chapters} chapters affiliated in {setup_seconds:.1f} s (not timed)")
        database = ChapterDatabase(network.data)
        _wait(lambda: not _unfinished(database), "the Accepts' deliveries to be recorded", SETUP_TIMEOUT_S)

        cpu_before = network.process.cpu_seconds()
        started = time.monotonic()
        proposal = network.api_post(token, "/api/v1/proposals", {
            "title": "Join the national day of action", "body": "Do we call our members out on the 14th?",
            "method": "yes-no", "closes_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            "scope": "chapters", "network_rule": "chapters",
        })
        offered = len(proposal.get("share_with") or [])  # type: ignore[arg-type]
        result: dict[str, Any] = {}

        def tallied() -> bool:
            nonlocal result
            result = network.api_get(token, f"/api/v1/proposals/{proposal['id']}")["result"]  # type: ignore[assignment]
            return sum(1 for row in result.get("chapters") or [] if row.get("verified")) >= chapters

        try:
            _wait(tallied, f"all {chapters} reports to be tallied", TALLY_TIMEOUT_S, interval=0.25)
            tally_complete = True
        except TimeoutError:
            tally_complete = False
        tally_seconds = time.monotonic() - started
        tally_cpu = network.process.cpu_seconds() - cpu_before
        stats_at_tally = peer_stats(control_url)
        log(f"tally {'complete' if tally_complete else 'INCOMPLETE'} in {tally_seconds:.1f} s, {tally_cpu:.1f} s CPU")

        relay_timeout = QUICK_RELAY_TIMEOUT_S if quick else RELAY_TIMEOUT_S
        try:
            _wait(lambda: not _unfinished(database), "the relays to be delivered", relay_timeout)
            relays_drained = True
        except TimeoutError:
            relays_drained = False
        relay_seconds = time.monotonic() - started
        relay_cpu = network.process.cpu_seconds() - cpu_before
        time.sleep(1.0)  # anything sent twice would arrive now
        stats = peer_stats(control_url)
        queue = database.delivery_states()
    finally:
        network.stop()
        peers.stop()

    rows = result.get("chapters") or []
    verified = sum(1 for row in rows if row.get("verified"))
    expected_relays = chapters * (chapters - 1)
    offer_seconds = (stats["first_offer"] - started) if stats["first_offer"] else float("nan")
    last_relay = (stats["last_relay"] - started) if stats["last_relay"] else float("nan")
    relay_rate = stats["relayed"] / last_relay if last_relay == last_relay and last_relay > 0 else 0.0
    ceiling_rate = float(delivery_ceiling["best"]) if delivery_ceiling else None
    ceiling_cpu = float(delivery_ceiling.get("cpu_ms_per_request", float("nan"))) if delivery_ceiling else None
    relay_cpu_ms = relay_cpu / max(1, stats["relayed"] + offered) * 1000
    figures = [
        Figure(f"networks: proposal offered to {chapters} chapters, every report in the tally", tally_seconds, "s",
               "—", tally_complete,
               note=f"wall time from the API call; network CPU {tally_cpu:.1f} s "
                    f"({tally_cpu / chapters * 1000:.0f} ms per chapter: offer, report checked, counted, relayed); "
                    f"first offer arrived after {offer_seconds:.2f} s"),
        Figure(f"networks: network CPU, proposal to the full tally ({chapters} chapters)", tally_cpu, "s CPU", "—",
               tally_complete, note="user+system of the network process; the stand-ins on the other core"),
        Figure("networks: reports counted in the tally, verified", float(verified), f"of {chapters} chapters",
               f"all {chapters}, verified", tally_complete and verified == chapters,
               note=f"offered to {offered}; the network answered the reports {stats_at_tally['reports']}; "
                    f"outcome {result.get('outcome')}; pending {len(result.get('pending') or [])}; "
                    f"stand-ins refused {stats['refused']} POSTs with bad signatures"),
        Figure(f"networks: reports relayed to the other {chapters - 1} chapters", relay_rate, "deliveries/s", "—",
               relays_drained and stats["relayed"] == expected_relays and stats["relayed_duplicates"] == 0,
               ceiling=ceiling_rate, ratio=(relay_rate / ceiling_rate) if ceiling_rate else None,
               note=f"{stats['relayed']:,} of {expected_relays:,} Announces arrived "
                    f"({'queue drained' if relays_drained else f'queue not drained after {relay_timeout:.0f} s'}) "
                    f"{last_relay:.1f} s after the API call; duplicates {stats['relayed_duplicates']}; "
                    f"network CPU {relay_cpu:.1f} s in all, {relay_cpu_ms:.2f} ms per delivery"
                    + (f" (ceiling {ceiling_cpu:.2f})" if ceiling_cpu is not None else "")
                    + f"; {stats['tally_updates']} tally Updates; queue {queue}"),
    ]
    raw = {"chapters": chapters, "offered": offered, "setup_seconds": setup_seconds, "tally_seconds": tally_seconds,
           "tally_cpu_seconds": tally_cpu, "tally_complete": tally_complete, "verified": verified,
           "relay_seconds": relay_seconds, "relay_cpu_seconds": relay_cpu, "relays_drained": relays_drained,
           "relay_rate": relay_rate, "queue_states": queue, "peers": stats, "peers_at_tally": stats_at_tally,
           "result": {key: value for key, value in result.items() if key != "chapters"}}
    return figures, raw


def _unfinished(database: ChapterDatabase) -> int:
    states = database.delivery_states()
    return states.get("queued", 0) + states.get("sending", 0)
