"""Links that came from elsewhere (another server, a form) and will be stored
or put in an ``href``/``src``: only absolute http(s) URLs are kept.

Escaping does not help against ``javascript:`` or ``data:`` in an ``href``:
the browser runs them all the same. So every remote link passes through
:func:`http_url` before it is stored, and once more where a cached value
is read back (rows written before the check existed).
"""
from __future__ import annotations

from urllib.parse import urlsplit

MAX_URL = 2_000


def http_url(value: object) -> str | None:
    """``value`` stripped, if it is an absolute http(s) URL with a host; else None."""
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if not candidate or len(candidate) > MAX_URL:
        return None
    # Browsers drop tabs and newlines inside a scheme ("java\tscript:"), and
    # control characters have no place in a link: refuse rather than clean.
    if any(ord(character) < 0x21 or ord(character) == 0x7F for character in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an invalid IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate
