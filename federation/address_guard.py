"""Which network addresses the server may contact (SSRF protection).

A remote peer chooses the URLs we fetch (actor ids, key ids, inboxes), so
without a check it could make us reach the admin panel of a router on the
LAN or a cloud metadata service. Every host is resolved and *every* address
must be public. The check runs twice: on the URL before each request (clear
errors, and it also guards redirects), and again when a connection is opened,
connecting to the very address that was checked so that a DNS answer that
changes between the two (DNS rebinding) cannot slip through.

Under ``dev`` the loopback and private ranges are allowed, so several
instances can federate on 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
import typing
from collections.abc import Awaitable, Callable, Iterable

import httpcore

# host, port -> the IP addresses it resolves to.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_CACHE_SECONDS = 60.0


class BlockedAddress(Exception):
    """The host is, or resolves to, an address we refuse to contact."""


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# IPv6 ranges whose last 32 bits are an IPv4 address the packet ends up at:
# IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks),
# SIIT IPv4-translated (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96 and the
# local-use 64:ff9b:1::/48).
_EMBEDDING_LOW_32 = tuple(ipaddress.ip_network(net) for net in (
    "::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48",
))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it embeds one."""
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        return ip.ipv4_mapped
    if ip.sixtofour is not None:  # 2002:AABB:CCDD::/48, 6to4
        return ip.sixtofour
    if ip.teredo is not None:  # 2001::/32: the client's address (the server's is public)
        return ip.teredo[1]
    if ip in (ipaddress.IPv6Address("::"), ipaddress.IPv6Address("::1")):
        return None  # unspecified and loopback: judged as IPv6 below
    if any(ip in network for network in _EMBEDDING_LOW_32):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_forbidden(address: str, *, dev: bool) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # Judge a form that embeds IPv4 by the IPv4 address: ::127.0.0.1,
        # 64:ff9b::10.0.0.1 or 2002:7f00:1:: reach a loopback or private host.
        ip = embedded_ipv4(ip) or ip
    if ip.is_multicast or ip.is_unspecified:
        return True
    if dev:
        return False
    # is_global is False for loopback, private, link-local, shared (CGNAT),
    # reserved and documentation ranges.
    return not ip.is_global


class AddressGuard:
    def __init__(self, *, dev: bool, resolver: Resolver | None = None) -> None:
        self.dev = dev
        self._resolver = resolver or system_resolver
        # A delivery burst sends many requests to one host: resolve it once a minute.
        self._cache: dict[tuple[str, int], tuple[float, list[str]]] = {}

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses, all allowed; raise BlockedAddress otherwise."""
        host = host.strip("[]")
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            addresses = await self._resolve(host, port)
        else:
            addresses = [host]
        if not addresses:
            raise BlockedAddress(f"{host} does not resolve")
        for address in addresses:
            if is_forbidden(address, dev=self.dev):
                raise BlockedAddress(f"{host} resolves to the non-public address {address}")
        return addresses

    async def _resolve(self, host: str, port: int) -> list[str]:
        key = (host.lower(), port)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        try:
            addresses = await self._resolver(host, port)
        except OSError as error:
            raise BlockedAddress(f"{host} does not resolve: {error}") from None
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = (time.monotonic() + _CACHE_SECONDS, addresses)
        return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to checked addresses (TLS still verifies the name)."""

    def __init__(self, guard: AddressGuard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._guard.checked_addresses(host, port)
        except BlockedAddress as error:
            raise httpcore.ConnectError(str(error)) from None
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used for federation")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
