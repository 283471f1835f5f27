"""The raw ceilings every figure is divided by, served by the same stack
(uvicorn + Starlette) on the same core as fedchapter in the same run:

- page ceiling: a Starlette endpoint answering a small JSON document;
- inbox ceiling: a Starlette endpoint that verifies one draft-cavage RSA
  signature and inserts one SQLite row (WAL) before answering 202;
- delivery ceiling: a bare loop of signed POSTs through fedchapter's own
  delivery client (``FederationClient.post_activity``: the same signing, the
  same aiohttp session and SSRF guard the delivery worker uses), with the
  worker's concurrency, to the same sinks the fan-out uses: no queue, no
  database.

Run one: ``python -m bench.ceilings page --port P``,
``python -m bench.ceilings inbox --port P --db FILE --public-keys FILE`` or
``python -m bench.ceilings delivery --targets FILE --body FILE``.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
import uvicorn
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def page_app() -> Starlette:
    async def page(request: Request) -> Response:
        return JSONResponse({"id": "https://example.org/actors/bench", "type": "Group", "name": "Bench"})

    return Starlette(routes=[Route("/", page)])


def _signature_fields(header: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in header.split(","):
        name, _, value = part.partition("=")
        fields[name.strip()] = value.strip().strip('"')
    return fields


def inbox_app(database_path: Path, public_keys_pem: dict[str, str]) -> Starlette:
    """``public_keys_pem``: keyId -> PEM, the senders' keys (kept in memory: the
    cheapest key lookup there is)."""
    public_keys = {key_id: serialization.load_pem_public_key(pem.encode()) for key_id, pem in public_keys_pem.items()}
    state: dict[str, aiosqlite.Connection] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        connection = await aiosqlite.connect(database_path, isolation_level=None)
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY, body TEXT)")
        state["db"] = connection
        yield
        await connection.close()

    async def inbox(request: Request) -> Response:
        body = await request.body()
        fields = _signature_fields(request.headers.get("signature", ""))
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if request.headers.get("digest") != digest:
            return Response(status_code=401)
        lines = []
        for name in fields.get("headers", "date").split():
            if name == "(request-target)":
                lines.append(f"(request-target): {request.method.lower()} {request.url.path}")
            else:
                lines.append(f"{name}: {request.headers.get(name, '')}")
        public_key = public_keys.get(fields.get("keyId", ""))
        if not isinstance(public_key, rsa.RSAPublicKey):
            return Response(status_code=401)
        try:
            public_key.verify(
                base64.b64decode(fields.get("signature", "")), "\n".join(lines).encode(),
                padding.PKCS1v15(), hashes.SHA256(),
            )
        except (InvalidSignature, ValueError):
            return Response(status_code=401)
        await state["db"].execute("INSERT INTO inbox (body) VALUES (?)", (body.decode(),))
        return Response(status_code=202)

    return Starlette(routes=[Route("/inbox", inbox, methods=["POST"])], lifespan=lifespan)


async def delivery_rounds(targets: list[str], body: dict[str, object], *, rounds: int, concurrency: int) -> dict[str, object]:
    """Each round: a fresh client (new connections, as a fan-out to servers it
    has not talked to lately), every target once, ``concurrency`` in flight."""
    from federation.safe_http import FederationClient
    from federation.signatures import SigningKey

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = SigningKey("http://127.0.0.1/actors/bench#main-key", "http://127.0.0.1/actors/bench", private)
    results = []
    for _ in range(rounds):
        client = FederationClient(dev=True, instance_key=key, user_agent="fedchapter-bench")
        activity_id = f"http://127.0.0.1/activities/ceiling-{uuid.uuid4().hex}"
        payload = json.dumps({**body, "id": activity_id}, separators=(",", ":")).encode()
        gate = asyncio.Semaphore(concurrency)
        statuses: dict[str, int] = {}

        async def one(inbox: str) -> None:
            async with gate:
                outcome = await client.post_activity(inbox, payload, key)
            label = str(outcome.status) if outcome.status else (outcome.error or "error")[:60]
            statuses[label] = statuses.get(label, 0) + 1

        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(inbox) for inbox in targets))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        await client.aclose()
        ok = statuses.get("202", 0)
        results.append({"seconds": seconds, "ok": ok, "rate": ok / seconds, "statuses": statuses,
                        "cpu_ms_per_request": cpu / len(targets) * 1000})
    best = max(results, key=lambda round_: round_["rate"])
    return {"rounds": results, "best": best["rate"],
            "cpu_ms_per_request": min(round_["cpu_ms_per_request"] for round_ in results)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["page", "inbox", "delivery"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--public-keys", type=Path, help="JSON: keyId -> PEM")
    parser.add_argument("--targets", type=Path)
    parser.add_argument("--body", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    if args.kind == "delivery":
        targets = [line for line in args.targets.read_text().splitlines() if line]
        body = json.loads(args.body.read_text())
        result = asyncio.run(delivery_rounds(targets, body, rounds=args.rounds, concurrency=args.concurrency))
        print("CEILING " + json.dumps(result), flush=True)
        return
    app = page_app() if args.kind == "page" else inbox_app(args.db, json.loads(args.public_keys.read_text()))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
