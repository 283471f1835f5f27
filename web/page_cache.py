"""Anonymous GETs of public pages answered from memory.

When a chapter's post travels, every Mastodon server that shows it fetches the
link preview, and readers follow the link: thousands of identical requests
for the same event page, actor or calendar within seconds, each from nobody
in particular. This keeps the last answer to such a request and sends it
again until anything that could change it is written.

What is kept, and for whom:
- only requests that identify nobody: a GET with no Authorization, no HTTP
  signature and no cookie but the language one. A member's, an API client's
  or a signing server's request always goes through the app, so members-only
  data is never stored here, and per-reader answers (blocks, follower-only
  documents) are never served from here;
- only answers the app meant for anyone: a 200 with no Set-Cookie and no
  ``Cache-Control: private`` / ``no-store``, of at most ``MAX_ENTRY_BYTES``;
- the key is everything the answer depends on for such a request: host,
  scheme, path, query string, Accept, Accept-Language and the language cookie.

When it is forgotten:
- at once when this process commits a write that may change a page (the
  database counts them, ``Database.page_changes``; queue bookkeeping such as
  storing an inbox row or a delivery's outcome does not count). The counter
  is read before the app runs, so an answer rendered while a write commits is
  stored under the old count and never served;
- after ``TTL_SECONDS`` in any case: that bounds how long a write made by
  *another* process (``fedchapter worker``, the other PostgreSQL web
  processes) or the passing of time ("upcoming" becoming "past") can go
  unseen by anonymous readers.

It sits inside the request id and security headers middlewares, so a kept
answer still gets a fresh request id and the headers, and the metrics count
it under its route.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.conditional import client_holds

TTL_SECONDS = 1.0
MAX_ENTRY_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024

# Request headers that say who is asking: such requests are never answered from here.
_IDENTIFYING = frozenset({b"authorization", b"signature", b"signature-input"})
_LANGUAGE_COOKIE = b"lang="
# What a kept answer is not sent again with: each answer gets its own.
_PER_ANSWER = frozenset({b"x-request-id", b"date", b"server"})
_ANSWER_304_KEEPS = frozenset({b"etag", b"cache-control", b"vary", b"last-modified"})


@dataclass(frozen=True)
class _Kept:
    version: int
    stored_at: float
    route: Any
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str | None
    last_modified: datetime | None


class PageCache:
    """The kept answers, least recently used first out when over ``max_bytes``."""

    def __init__(self, *, max_bytes: int = MAX_TOTAL_BYTES, ttl: float = TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.clock = clock
        self._entries: OrderedDict[tuple[bytes, ...], _Kept] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple[bytes, ...], version: int) -> _Kept | None:
        kept = self._entries.get(key)
        if kept is None:
            return None
        if kept.version != version or self.clock() - kept.stored_at > self.ttl:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return kept

    def put(self, key: tuple[bytes, ...], kept: _Kept) -> None:
        self._drop(key)
        self._entries[key] = kept
        self._bytes += len(kept.body)
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[bytes, ...]) -> None:
        kept = self._entries.pop(key, None)
        if kept is not None:
            self._bytes -= len(kept.body)

    def __len__(self) -> int:
        return len(self._entries)


def anonymous_key(scope: Scope) -> tuple[bytes, ...] | None:
    """The cache key of a request that identifies nobody, else None."""
    if scope["method"] != "GET":
        return None
    host = accept = language = cookie = b""
    for name, value in scope["headers"]:
        if name in _IDENTIFYING:
            return None
        if name == b"cookie":
            # Only the language cookie may come along (web/language_cookie.py).
            if not value.startswith(_LANGUAGE_COOKIE) or b";" in value:
                return None
            cookie = value
        elif name == b"host":
            host = value
        elif name == b"accept":
            accept = value
        elif name == b"accept-language":
            language = value
        elif name == b"content-length" and value != b"0":
            return None
    return (host, scope["scheme"].encode(), scope["raw_path"] or scope["path"].encode(),
            scope["query_string"], accept, language, cookie)


def _storable(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if status != 200:
        return False
    for name, value in headers:
        if name == b"set-cookie":
            return False
        if name == b"cache-control" and (b"private" in value or b"no-store" in value):
            return False
    return True


class PageCacheMiddleware:
    def __init__(self, app: ASGIApp, *, cache: PageCache | None = None) -> None:
        self.app = app
        self.cache = cache if cache is not None else PageCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        ctx = getattr(scope["app"].state, "ctx", None)
        key = anonymous_key(scope) if ctx is not None else None
        if key is None:
            await self.app(scope, receive, send)
            return
        # Read before the app runs: see the module's docstring.
        version = ctx.pages_version()
        kept = self.cache.get(key, version)
        if kept is not None:
            scope["route"] = kept.route
            await _send_kept(kept, scope, send)
            return
        await self._answer_and_keep(key, version, scope, receive, send)

    async def _answer_and_keep(self, key: tuple[bytes, ...], version: int,
                               scope: Scope, receive: Receive, send: Send) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        keep = True
        # The answer's age counts from before the app read anything.
        started = self.cache.clock()

        async def capture(message: Message) -> None:
            nonlocal status, headers, size, keep
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                keep = _storable(status, headers)
            elif message["type"] == "http.response.body" and keep:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_ENTRY_BYTES:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(chunk)
                if not message.get("more_body", False) and keep:
                    self.cache.put(key, _Kept(
                        version=version, stored_at=started, route=scope.get("route"),
                        headers=[(n, v) for n, v in headers if n not in _PER_ANSWER],
                        body=b"".join(chunks), etag=_header(headers, b"etag"),
                        last_modified=_date(_header(headers, b"last-modified")),
                    ))
            await send(message)

        await self.app(scope, receive, capture)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for header_name, value in headers:
        if header_name == name:
            return value.decode("latin-1")
    return None


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


async def _send_kept(kept: _Kept, scope: Scope, send: Send) -> None:
    if kept.etag is not None and client_holds(
        _header(scope["headers"], b"if-none-match"), _header(scope["headers"], b"if-modified-since"),
        kept.etag, kept.last_modified,
    ):
        await send({"type": "http.response.start", "status": 304,
                    "headers": [(n, v) for n, v in kept.headers if n in _ANSWER_304_KEEPS]})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": list(kept.headers)})
    await send({"type": "http.response.body", "body": kept.body})
