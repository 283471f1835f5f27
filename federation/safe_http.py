"""The one HTTP client federation uses: signed, size-limited, SSRF-safe.

- ``get_json`` fetches ActivityPub documents, signed as the instance actor so
  servers in authorized-fetch mode answer; redirects are followed by hand (at
  most three) so that every hop is checked and signed again. Signed GETs
  double-knock like deliveries: the scheme the server last accepted first
  (draft-cavage for one we do not know), the other on a 401, and the one
  that worked is remembered per server (``delivery_hosts.signature_scheme``,
  shared with the delivery worker).
- ``post_activity`` delivers one activity and never raises for network
  trouble: the delivery worker stores the outcome and decides on retries.
  It runs on aiohttp (see ``federation.inbox_poster`` for why) unless a test
  injects an httpx transport.
- ``webfinger`` turns ``@name@host`` into an actor URL.

Tests inject ``transport`` (an in-process app per host) and ``resolver``.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import quote, urljoin, urlsplit

import httpcore
import httpx

from federation.address_guard import AddressGuard, BlockedAddress, GuardedNetworkBackend, Resolver
from federation.inbox_poster import DeliveryFailed, InboxPoster, PostResponse
from federation.message_signatures import sign_request_rfc9421
from federation.signatures import SigningKey, sign_request

AS2_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
JRD_ACCEPT = "application/jrd+json, application/json"
AS2_MEDIA_TYPES = ("application/activity+json", "application/ld+json")
MAX_REDIRECTS = 3
# Signature schemes for deliveries (see federation.delivery.worker's double-knocking).
CAVAGE = "cavage"
RFC9421 = "rfc9421"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Fetches (GETs: senders' keys, actors, objects) in flight at once: the pull
# budget, apart from deliveries (aiohttp, their own limits). httpcore's pool
# scans every pooled connection and every waiting request each time a
# request starts or ends, so a follower surge's hundreds of concurrent key
# fetches to hundreds of servers spent a third of the server's CPU in that
# bookkeeping (py-spy, docs/performance.md). Past this many, fetches wait
# here, outside the pool, and the pool keeps no more idle connections.
FETCHES_IN_FLIGHT = 16


class SchemeMemory(Protocol):
    """The signature scheme each server (``host[:port]``) last accepted."""

    async def signature_scheme(self, host: str) -> str | None: ...

    async def remember_signature_scheme(self, host: str, scheme: str) -> None: ...


class FetchError(Exception):
    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status  # the peer's HTTP status when it answered one


@dataclass(frozen=True)
class PostOutcome:
    status: int | None  # None: no HTTP answer (refused address, network error, timeout)
    retry_after: datetime | None
    error: str | None


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """``Retry-After`` is either delay-seconds or an HTTP date."""
    if not value:
        return None
    now = now or datetime.now(timezone.utc)
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), 7 * 24 * 3600))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _guarded_transport(guard: AddressGuard, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(trust_env=False, limits=limits)
    # httpx does not expose httpcore's network_backend; swap in a pool that
    # connects only to addresses the guard has checked.
    transport._pool = httpcore.AsyncConnectionPool(
        # trust_env=True here reads only SSL_CERT_FILE / SSL_CERT_DIR (an extra
        # CA, e.g. a test CA on loopback), as aiohttp deliveries already do
        # through OpenSSL's defaults; proxies stay ignored (client trust_env=False).
        ssl_context=httpx.create_ssl_context(trust_env=True),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedNetworkBackend(guard),
    )
    return transport


class FederationClient:
    def __init__(
        self,
        *,
        dev: bool,
        instance_key: SigningKey,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        timeout: float = 10,
        max_bytes: int = 1_000_000,
        max_connections: int = 200,
        schemes: SchemeMemory | None = None,
    ) -> None:
        self.dev = dev
        self.schemes = schemes
        self.instance_key = instance_key
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.guard = AddressGuard(dev=dev, resolver=resolver)
        limits = httpx.Limits(max_connections=max_connections,
                              max_keepalive_connections=min(max_connections, FETCHES_IN_FLIGHT))
        self._fetch_slots = asyncio.Semaphore(FETCHES_IN_FLIGHT)
        self._http = httpx.AsyncClient(
            transport=transport or _guarded_transport(self.guard, limits),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
        )
        # Deliveries go over aiohttp (much faster under fan-out, see inbox_poster),
        # except when a test routes requests to in-process apps through `transport`.
        self._poster = None if transport is not None else InboxPoster(
            self.guard, max_connections=max_connections, timeout=timeout
        )

    def open_delivery_client(self) -> None:
        """Load and open what deliveries are sent with now, not on the first
        one (aiohttp: about 90 ms and 13 MB, kept out of a `serve` that may
        never deliver). For processes whose work is delivering: `worker`."""
        if self._poster is not None:
            self._poster.open()

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._poster is not None:
            await self._poster.aclose()

    async def check_url(self, url: str) -> None:
        """Raise FetchError unless we may contact ``url``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"scheme {parts.scheme or '(none)'} is not allowed")
        if parts.scheme == "http" and not self.dev:
            raise FetchError(url, "plain http is only allowed in development")
        if not parts.hostname:
            raise FetchError(url, "URL has no host")
        if parts.username or parts.password:
            raise FetchError(url, "URL carries credentials")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            await self.guard.checked_addresses(parts.hostname, port)
        except BlockedAddress as error:
            raise FetchError(url, str(error)) from None
        except ValueError:
            raise FetchError(url, "URL has an invalid port") from None

    # Fetching -------------------------------------------------------------

    async def get_json(self, url: str, *, signed: bool = True, accept: str = AS2_ACCEPT) -> dict[str, Any]:
        try:
            async with asyncio.timeout(self.timeout * 2):
                return await self._get_json(url, signed=signed, accept=accept)
        except TimeoutError:
            raise FetchError(url, "timed out") from None

    async def _get_json(self, url: str, *, signed: bool, accept: str) -> dict[str, Any]:
        current = url.split("#", 1)[0]
        for _ in range(MAX_REDIRECTS + 1):
            await self.check_url(current)
            scheme = await self._preferred_scheme(current) if signed else None
            status, location, body = await self._get_once(current, accept, scheme)
            if status == 401 and scheme is not None:
                # Double-knocking: perhaps it verifies only the other scheme.
                other = RFC9421 if scheme == CAVAGE else CAVAGE
                second = await self._get_once(current, accept, other)
                if second[0] != 401:
                    status, location, body = second
                    if self.schemes is not None and (status == 200 or location is not None):
                        await self.schemes.remember_signature_scheme(_origin(current), other)
            if location is not None:
                current = urljoin(current, location).split("#", 1)[0]
                continue
            if status != 200 or body is None:
                raise FetchError(current, f"HTTP {status}", status)
            return self._parse_json_object(current, body)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    async def get_bytes(self, url: str, *, max_bytes: int, accept: str = "image/*") -> bytes:
        """An unsigned GET of a file (a remote reply's picture): every hop of a
        redirect checked by the address guard, the body cut off at ``max_bytes``."""
        try:
            async with asyncio.timeout(self.timeout * 2):
                current = url.split("#", 1)[0]
                for _ in range(MAX_REDIRECTS + 1):
                    await self.check_url(current)
                    status, location, body = await self._get_once(current, accept, None, max_bytes=max_bytes)
                    if location is not None:
                        current = urljoin(current, location).split("#", 1)[0]
                        continue
                    if status != 200 or body is None:
                        raise FetchError(current, f"HTTP {status}", status)
                    return body
                raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
        except TimeoutError:
            raise FetchError(url, "timed out") from None

    async def _preferred_scheme(self, url: str) -> str:
        known = None if self.schemes is None else await self.schemes.signature_scheme(_origin(url))
        return known or CAVAGE

    async def _get_once(
        self, url: str, accept: str, scheme: str | None, *, max_bytes: int | None = None
    ) -> tuple[int, str | None, bytes | None]:
        """One GET, signed with ``scheme`` (None: unsigned): (status, redirect target, body of a 200,
        at most ``max_bytes``, by default the client's limit)."""
        headers = {"Accept": accept, "User-Agent": self.user_agent}
        if scheme is not None:
            sign = sign_request_rfc9421 if scheme == RFC9421 else sign_request
            headers = sign("GET", url, key=self.instance_key, extra_headers=headers)
        try:
            async with self._fetch_slots, self._http.stream("GET", url, headers=headers) as response:
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    return response.status_code, response.headers["location"], None
                if response.status_code != 200:
                    return response.status_code, None, None
                return 200, None, await self._read_limited(url, response, max_bytes)
        except httpx.HTTPError as error:
            raise FetchError(url, f"{type(error).__name__}: {error}") from None

    async def _read_limited(self, url: str, response: httpx.Response, max_bytes: int | None = None) -> bytes:
        limit = self.max_bytes if max_bytes is None else max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response larger than {limit} bytes", 413)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"response larger than {limit} bytes", 413)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _parse_json_object(url: str, body: bytes) -> dict[str, Any]:
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise FetchError(url, "response is not JSON") from None
        if not isinstance(document, dict):
            raise FetchError(url, "response is not a JSON object")
        return document

    # Delivering -----------------------------------------------------------

    async def post_activity(
        self, inbox_url: str, body: bytes, key: SigningKey, *, scheme: str = CAVAGE
    ) -> PostOutcome:
        """``scheme``: sign with draft-cavage (``CAVAGE``) or RFC 9421 (``RFC9421``)."""
        try:
            await self.check_url(inbox_url)
        except FetchError as error:
            return PostOutcome(None, None, error.reason)
        sign = sign_request_rfc9421 if scheme == RFC9421 else sign_request
        headers = sign(
            "POST", inbox_url, key=key, body=body,
            extra_headers={"User-Agent": self.user_agent, "Content-Type": "application/activity+json"},
        )
        try:
            async with asyncio.timeout(self.timeout):
                if self._poster is not None:
                    response = await self._poster.post(inbox_url, body, headers)
                else:
                    response = await self._post_with_httpx(inbox_url, body, headers)
        except TimeoutError:
            return PostOutcome(None, None, "timed out")
        except DeliveryFailed as error:  # its message already names aiohttp's error
            return PostOutcome(None, None, str(error))
        except (httpx.HTTPError, OSError) as error:
            return PostOutcome(None, None, f"{type(error).__name__}: {error}".rstrip(": "))
        retry_after = parse_retry_after(response.retry_after)
        if 200 <= response.status < 300:
            return PostOutcome(response.status, retry_after, None)
        text = response.snippet[:200].decode("utf-8", "replace").strip()
        return PostOutcome(response.status, retry_after, f"HTTP {response.status} {text}".strip())

    async def _post_with_httpx(self, url: str, body: bytes, headers: dict[str, str]) -> PostResponse:
        async with self._http.stream("POST", url, content=body, headers=headers) as response:
            # Keep the start of an error page for the queue's "last error"; never the whole of it.
            snippet = b""
            async for chunk in response.aiter_bytes():
                snippet += chunk
                if len(snippet) >= 1024:
                    break
            return PostResponse(response.status_code, response.headers.get("retry-after"), snippet)

    # Discovery ------------------------------------------------------------

    async def webfinger(self, handle: str) -> str:
        """``@name@host[:port]`` (or ``acct:name@host``) to the actor's URL."""
        name, host = split_handle(handle)
        resource = f"acct:{name}@{host}"
        # Handles are looked up over https, as every server does; development
        # falls back to http when nothing answers TLS (a plain-http dev peer).
        schemes = ("https", "http") if self.dev else ("https",)
        for scheme in schemes:
            url = f"{scheme}://{host}/.well-known/webfinger?resource={quote(resource, safe=':@')}"
            try:
                document = await self.get_json(url, signed=False, accept=JRD_ACCEPT)
                break
            except FetchError as error:
                if error.status is not None or scheme == schemes[-1]:
                    raise
        for link in document.get("links") or []:
            if not isinstance(link, dict) or link.get("rel") != "self":
                continue
            media_type = str(link.get("type", "")).split(";", 1)[0].strip()
            href = link.get("href")
            if media_type in AS2_MEDIA_TYPES and isinstance(href, str):
                return href
        raise FetchError(url, f"no ActivityPub self link for {resource}")


def _origin(url: str) -> str:
    """The server, as the delivery side keys it (``delivery_hosts.host``)."""
    return urlsplit(url).netloc.lower()


def split_handle(handle: str) -> tuple[str, str]:
    text = handle.strip()
    if text.startswith("acct:"):
        text = text[5:]
    text = text.lstrip("@")
    name, separator, host = text.partition("@")
    if not separator or not name or not host or "@" in host or "/" in host:
        raise ValueError(f"not a handle: {handle!r}")
    return name, host.lower()
