"""The member chapters of the networks benchmark: 200 stand-in chapters in
one aiohttp process on the load core, each on its own loopback server
(127.0.0.A:PORT), answering a network as a fedchapter chapter would
(docs/networks.md), without a database or a web UI:

- ``GET /actors/{name}`` serves the chapter's ``Group`` with its RSA
  ``publicKey`` and its Ed25519 ``assertionMethod`` (FEP-521a);
- every ``POST`` to its inboxes is checked as Mastodon checks one: the
  draft-cavage signature must verify against the sender's key, fetched over
  HTTP once per key (401 otherwise, counted);
- ``POST /join`` on the control port: every chapter sends the network a
  signed ``Join`` (affiliation); the network's ``Accept`` of it is counted;
- a ``Create(Question)`` with ``fc:scope: "chapters"`` (the network offering a
  proposal) is answered at once with the chapter's report: a
  ``Create(Note{fc:result})`` carrying the chapter's FEP-8b32 integrity proof
  (eddsa-jcs-2022, federation/integrity.py), served at its own URL too;
- the network's relayed reports (``Announce`` of a Note with ``fc:result``)
  and its tally Updates (``Update(Question)`` with ``fc:tally``) are counted
  per chapter and by activity id (so a relay sent twice shows). Their
  integrity proofs are not re-checked here: the network checked each report
  before relaying it, and 40,000 JCS canonicalisations would make the load
  core the bottleneck.
- ``GET /stats`` on the control port for the harness.

The chapters share a few RSA keys (making one costs ~0.1 s; the network
cannot tell), each has its own Ed25519 key.

Run: ``python -m bench.network_peers --control-port P --network ACTOR --addresses 20 --ports P1,...``
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from bench.peers import listen_on_loopback
from federation.integrity import DATA_INTEGRITY_CONTEXT, MULTIKEY_CONTEXT, key_id, multikey, sign
from federation.signatures import (
    PublicKeyInfo,
    SignatureError,
    SigningKey,
    sign_request,
    verify_request,
)
from federation.vocabulary import context

RSA_KEYS = 4
SEND_CONCURRENCY = 16  # the chapters' reports in flight at once, as a few busy servers would send them
AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@dataclass
class StandInChapter:
    base: str  # http://127.0.0.A:PORT
    name: str
    private: rsa.RSAPrivateKey
    public_pem: str
    ed25519_key: ed25519.Ed25519PrivateKey
    join_id: str = ""
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)  # served at their ids

    @property
    def actor(self) -> str:
        return f"{self.base}/actors/{self.name}"

    def document(self) -> dict[str, Any]:
        actor = self.actor
        return {
            "@context": [*context(), DATA_INTEGRITY_CONTEXT, MULTIKEY_CONTEXT],
            "id": actor, "type": "Group", "preferredUsername": self.name, "name": f"Stand-in {self.name}",
            "inbox": f"{actor}/inbox", "outbox": f"{actor}/outbox", "followers": f"{actor}/followers",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": self.public_pem},
            "assertionMethod": [multikey(actor, self.ed25519_key.public_key())],
        }

    def signing_key(self) -> SigningKey:
        return SigningKey(f"{self.actor}#main-key", self.actor, self.private)


@dataclass
class Counters:
    accepts: set[str] = field(default_factory=set)  # chapters whose Join was accepted
    offers: dict[str, float] = field(default_factory=dict)  # chapter -> when the Question arrived
    reports: Counter[int] = field(default_factory=Counter)  # the network's status for each report
    report_errors: int = 0
    relayed: Counter[tuple[str, str]] = field(default_factory=Counter)  # (chapter, Announce's object id)
    tally_updates: int = 0
    largest_tally: int = 0  # the most chapters any tally Update listed
    refused: int = 0  # POSTs whose signature did not verify
    other: Counter[str] = field(default_factory=Counter)
    first_offer: float | None = None
    last_report: float | None = None
    last_relay: float | None = None

    def stats(self) -> dict[str, Any]:
        per_chapter = Counter(chapter for chapter, _ in self.relayed)
        return {
            "accepted": len(self.accepts), "offers": len(self.offers), "reports": dict(self.reports),
            "report_errors": self.report_errors, "relayed": len(self.relayed),
            "relayed_duplicates": sum(count - 1 for count in self.relayed.values()),
            "relayed_min_per_chapter": min(per_chapter.values(), default=0),
            "tally_updates": self.tally_updates, "largest_tally": self.largest_tally,
            "refused": self.refused, "other": dict(self.other),
            "first_offer": self.first_offer, "last_report": self.last_report, "last_relay": self.last_relay,
        }


def make_chapters(addresses: int, ports: list[int]) -> list[StandInChapter]:
    rsa_keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(RSA_KEYS)]
    chapters = []
    for address in range(1, addresses + 1):
        for port in ports:
            number = len(chapters)
            private = rsa_keys[number % RSA_KEYS]
            public_pem = private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
            chapters.append(StandInChapter(f"http://127.0.0.{address}:{port}", f"c{number}", private, public_pem,
                                           ed25519.Ed25519PrivateKey.generate()))
    return chapters


class StandIns:
    def __init__(self, chapters: list[StandInChapter], network: str) -> None:
        self.chapters = chapters
        self.by_host = {chapter.base.removeprefix("http://"): chapter for chapter in chapters}
        self.network = network
        self.network_inbox = f"{network}/inbox"
        self.counters = Counters()
        self.keys: dict[str, PublicKeyInfo] = {}
        self.session: aiohttp.ClientSession | None = None
        self.sending = asyncio.Semaphore(SEND_CONCURRENCY)
        self.tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60),
                                             connector=aiohttp.TCPConnector(limit=SEND_CONCURRENCY * 2))

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def fetch_key(self, key: str, refresh: bool) -> PublicKeyInfo | None:
        if key in self.keys and not refresh:
            return self.keys[key]
        assert self.session is not None
        async with self.session.get(key.split("#")[0], headers={"Accept": "application/activity+json"}) as response:
            if response.status != 200:
                return None
            document = await response.json(content_type=None)
        public_key = document.get("publicKey") or {}
        if public_key.get("id") != key:
            return None
        info = PublicKeyInfo(key_id=key, owner=public_key["owner"], public_key_pem=public_key["publicKeyPem"])
        self.keys[key] = info
        return info

    async def post(self, chapter: StandInChapter, activity: dict[str, Any]) -> int:
        assert self.session is not None
        body = json.dumps(activity).encode()
        headers = sign_request("POST", self.network_inbox, key=chapter.signing_key(), body=body)
        async with self.sending:
            async with self.session.post(self.network_inbox, data=body, headers=headers) as response:
                await response.read()
                return response.status

    def spawn(self, job: Any) -> None:
        task = asyncio.get_running_loop().create_task(job)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # Affiliation ---------------------------------------------------------
    async def join_all(self) -> dict[str, int]:
        async def join(chapter: StandInChapter) -> int:
            chapter.join_id = f"{chapter.actor}/activities/{uuid.uuid4().hex}"
            return await self.post(chapter, {"@context": context(), "id": chapter.join_id, "type": "Join",
                                             "actor": chapter.actor, "object": self.network,
                                             "to": [self.network]})

        statuses = await asyncio.gather(*(join(chapter) for chapter in self.chapters), return_exceptions=True)
        return dict(Counter(str(status) if isinstance(status, int) else "error" for status in statuses))

    # What arrives ----------------------------------------------------------
    def receive(self, chapter: StandInChapter, activity: dict[str, Any]) -> None:
        kind = activity.get("type")
        obj = activity.get("object")
        obj_type = obj.get("type") if isinstance(obj, dict) else None
        counters = self.counters
        if kind == "Accept" and isinstance(obj, dict) and obj.get("id") == chapter.join_id:
            counters.accepts.add(chapter.actor)
        elif kind == "Create" and obj_type == "Question" and isinstance(obj, dict) and obj.get("fc:scope") == "chapters":
            if chapter.actor not in counters.offers:
                counters.offers[chapter.actor] = time.monotonic()
                counters.first_offer = counters.first_offer or time.monotonic()
                self.spawn(self.report(chapter, obj))
        elif kind == "Update" and obj_type == "Question" and isinstance(obj, dict) and "fc:tally" in obj:
            counters.tally_updates += 1
            counters.largest_tally = max(counters.largest_tally, len(obj["fc:tally"].get("chapters") or []))
        elif kind == "Announce" and isinstance(obj, dict) and "fc:result" in obj:
            counters.relayed[(chapter.actor, str(obj.get("id")))] += 1
            counters.last_relay = time.monotonic()
        else:
            counters.other[f"{kind}({obj_type or 'id'})"] += 1

    async def report(self, chapter: StandInChapter, question: dict[str, Any]) -> None:
        signed = report_note(chapter, str(question["id"]), self.network)
        chapter.notes[signed["id"]] = signed
        activity = {"@context": context(), "id": f"{chapter.actor}/activities/{uuid.uuid4().hex}",
                    "type": "Create", "actor": chapter.actor, "object": signed, "to": [self.network]}
        try:
            status = await self.post(chapter, activity)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            self.counters.report_errors += 1
            return
        self.counters.reports[status] += 1
        self.counters.last_report = time.monotonic()


def report_note(chapter: StandInChapter, question: str, network: str) -> dict[str, Any]:
    """The chapter's decision on ``question``, signed (FEP-8b32) as
    federation/to_as/proposals.py:decision_to_as makes one."""
    local = f"{chapter.actor.replace('/actors/', '/proposals/')}-{uuid.uuid4().hex[:8]}"
    number = int(chapter.name.removeprefix("c"))
    agree = 3 + number % 5
    disagree = number % 4
    outcome = "passed" if agree > disagree else "rejected"
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    note = {
        "@context": [*context(), DATA_INTEGRITY_CONTEXT],
        "id": f"{local}/decision", "type": "Note", "attributedTo": chapter.actor,
        "inReplyTo": question, "url": local, "published": now,
        "content": f"<p>{chapter.name} decided: {outcome} ({agree + disagree} voters).</p>",
        "to": [network], "cc": [AS_PUBLIC],
        "fc:proposal": local,
        "fc:result": {"outcome": outcome, "counts": {"agree": agree, "abstain": 0, "disagree": disagree,
                                                     "block": 0},
                      "voters": agree + disagree, "quorum_met": True, "winners": []},
    }
    return sign(note, chapter.ed25519_key, key_id(chapter.actor), now)


def build_handler(standins: StandIns) -> Any:
    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        chapter = standins.by_host.get(f"{sockname[0]}:{sockname[1]}") if sockname else None
        if chapter is not None:
            if request.method == "POST" and (path == "/inbox" or path == f"/actors/{chapter.name}/inbox"):
                body = await request.read()
                target = path + (f"?{request.query_string}" if request.query_string else "")
                try:
                    await verify_request("POST", target, request.headers, body, standins.fetch_key,
                                         expected_host=chapter.base.removeprefix("http://"), scheme="http")
                except SignatureError as error:
                    standins.counters.refused += 1
                    return web.json_response({"error": str(error)}, status=401)
                try:
                    standins.receive(chapter, json.loads(body))
                except (ValueError, AttributeError, TypeError):
                    return web.Response(status=400)
                return web.Response(status=202)
            if request.method == "GET" and path == f"/actors/{chapter.name}":
                return web.Response(body=json.dumps(chapter.document()).encode(),
                                    content_type="application/activity+json")
            note = chapter.notes.get(f"{chapter.base}{path}")
            if request.method == "GET" and note is not None:
                return web.Response(body=json.dumps(note).encode(), content_type="application/activity+json")
            return web.Response(status=404)
        if path == "/stats":
            return web.json_response(standins.counters.stats())
        if path == "/join" and request.method == "POST":
            return web.json_response(await standins.join_all())
        if path == "/":
            return web.Response(text="ok")
        return web.Response(status=404)

    return handle


async def serve(control_port: int, network: str, addresses: int, ports: list[int]) -> None:
    standins = StandIns(make_chapters(addresses, ports), network)
    await standins.start()
    try:
        await listen_on_loopback(build_handler(standins), control_port, addresses, ports,
                                 f"network peers: {len(standins.chapters)} chapters ready")
    finally:
        await standins.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--network", required=True, help="the network's actor URL")
    parser.add_argument("--addresses", type=int, default=20)
    parser.add_argument("--ports", required=True)
    args = parser.parse_args()
    ports = [int(port) for port in args.ports.split(",") if port]
    asyncio.run(serve(args.control_port, args.network, args.addresses, ports))


if __name__ == "__main__":
    main()
