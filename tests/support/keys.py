"""A small pool of RSA key pairs generated once per test session: real keys,
without paying ~100 ms of key generation for every actor of every test."""
from __future__ import annotations

import itertools
from collections.abc import Callable

from federation.keys import generate_rsa_keypair

_POOL: list[tuple[str, str]] = []
_POOL_SIZE = 12
_counter = itertools.count()


def pooled_keypair() -> tuple[str, str]:
    if not _POOL:
        _POOL.extend(generate_rsa_keypair() for _ in range(_POOL_SIZE))
    return _POOL[next(_counter) % _POOL_SIZE]


KEYPAIR_FACTORY: Callable[[], tuple[str, str]] = pooled_keypair
