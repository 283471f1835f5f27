"""The id of the request being served, for every log line written while it is.

A context variable, so each request (each asyncio task) sees its own; the web
sets it, the log formatter reads it, and nothing else needs to pass it down.
"""
from __future__ import annotations

import contextvars

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "fedchapter_request_id", default=None
)
