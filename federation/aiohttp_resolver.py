"""The address guard as aiohttp's resolver: aiohttp connects only to the
addresses the guard returns, so the SSRF guard applies at connect time to
deliveries too. Imported with aiohttp, on the first delivery (see
``federation.inbox_poster``)."""
from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult

from federation.address_guard import AddressGuard, BlockedAddress


class GuardedResolver(AbstractResolver):
    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        try:
            addresses = await self._guard.checked_addresses(host, port)
        except BlockedAddress as error:
            raise OSError(str(error)) from None
        return [
            ResolveResult(
                hostname=host, host=address, port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET, proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None
