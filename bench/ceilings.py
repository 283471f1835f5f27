"""The raw ceilings every figure is divided by, served by the same stack
(uvicorn + Starlette) on the same core as fedchapter in the same run:

- page ceiling: a Starlette endpoint answering a small JSON document;
- inbox ceiling: a Starlette endpoint that verifies one draft-cavage RSA
  signature and inserts one SQLite row (WAL) before answering 202.

Run one: ``python -m bench.ceilings page --port P`` or
``python -m bench.ceilings inbox --port P --db FILE --public-key FILE``.
"""
from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import base64
import hashlib
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


def inbox_app(database_path: Path, public_key_pem: bytes) -> Starlette:
    public_key = serialization.load_pem_public_key(public_key_pem)
    assert isinstance(public_key, rsa.RSAPublicKey)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["page", "inbox"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--public-key", type=Path)
    args = parser.parse_args()
    app = page_app() if args.kind == "page" else inbox_app(args.db, args.public_key.read_bytes())
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
