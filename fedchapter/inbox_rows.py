"""What the inbox queue stores for each accepted POST (the intake builds it,
storage writes it, the inbox worker later reads the row back)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class InboxEntry:
    """An activity a POST brought, checked and ready to store as received."""

    activity_id: str
    actor_id: str
    type: str
    local_actor_id: int | None
    payload: str  # the JSON text as it arrived
    received_at: datetime
