"""API tokens: random, shown once, stored only as a SHA-256 hash."""
from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_short_id() -> str:
    """Ids for events, minutes, proposals: short, URL-safe, unguessable."""
    return secrets.token_urlsafe(9)
