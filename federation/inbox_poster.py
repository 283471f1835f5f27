"""Delivery POSTs on aiohttp.

Measured on the 2-core dev machine (2,000-3,000 signed 1 kB POSTs to a
keep-alive sink on 127.0.0.1, 100 in flight, other work running): aiohttp
140-240 requests/s with p99 under 1.2 s; httpx 30-60 requests/s with p99 of
7-13 s, and some requests ran past a 10 s timeout waiting in its pool.
Fan-out to thousands of inboxes is the server's heaviest job, so delivery
uses aiohttp; fetching stays on httpx (fewer requests, and tests inject an
httpx transport).

aiohttp is imported with the first delivery, not with this module: it is
~11 MB of resident memory that a web-only process (``serve --no-workers``)
never needs, nor a chapter until it sends something (docs/performance.md).
A ``fedchapter worker`` process, whose work is delivering, opens it at start
(``FederationClient.open_delivery_client``).
Its errors leave here as :class:`DeliveryFailed`, an ``OSError``, so callers
need not import it to catch them.

aiohttp connects only to the addresses our resolver returns
(``federation.aiohttp_resolver``), so the SSRF guard applies at connect time
here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from federation.address_guard import AddressGuard

if TYPE_CHECKING:
    import aiohttp

_SNIPPET_BYTES = 1024


@dataclass(frozen=True)
class PostResponse:
    status: int
    retry_after: str | None
    snippet: bytes  # the start of the body, for the queue's "last error"


class DeliveryFailed(OSError):
    """No HTTP answer (aiohttp's ClientError); the message names aiohttp's error."""


class InboxPoster:
    """One aiohttp session, opened on first use (it must be made inside the event loop)."""

    def __init__(self, guard: AddressGuard, *, max_connections: int, timeout: float) -> None:
        self._guard = guard
        self._max_connections = max_connections
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def open(self) -> aiohttp.ClientSession:
        if self._session is None:
            # Here, not at the top: see the module's note.
            import aiohttp

            from federation.aiohttp_resolver import GuardedResolver

            connector = aiohttp.TCPConnector(
                limit=self._max_connections,
                resolver=GuardedResolver(self._guard),
                use_dns_cache=False,  # the guard caches, and checks, every answer
            )
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=self._timeout), trust_env=False)
        return self._session

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResponse:
        """Raises DeliveryFailed or TimeoutError when no HTTP answer came."""
        session = self.open()
        import aiohttp  # loaded by open()

        try:
            async with session.post(url, data=body, headers=headers, allow_redirects=False) as response:
                snippet = await response.content.read(_SNIPPET_BYTES)
                return PostResponse(response.status, response.headers.get("Retry-After"), snippet)
        except aiohttp.ClientError as error:
            if isinstance(error, TimeoutError):  # aiohttp's timeouts are both
                raise
            raise DeliveryFailed(f"{type(error).__name__}: {error}".rstrip(": ")) from error

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
