"""Accounts and bodies the minutes, posts and comments tests share."""
from __future__ import annotations

from typing import Any

from fedchapter.roles import Role
from tests.support.instances import Instance

PASSWORD = "a long enough password"


async def bearer(instance: Instance, username: str, role: Role) -> dict[str, str]:
    """Headers of a new local account with this role."""
    await instance.ctx.accounts.create_user(username, PASSWORD, role)
    return {"Authorization": f"Bearer {await instance.ctx.accounts.create_token(username)}"}


def minutes_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "General meeting, October",
        "meeting_date": "2025-10-14",
        "attendance": 14,
        "agenda": [{"title": "Proposal Two", "notes": "Long discussion.\n\n<script>alert(1)</script>"}],
        "decisions": [{"text": "Support Proposal Two", "outcome": "carried", "decided_by": "unanimous"}],
        "actions": [{"text": "Book the room", "owner": "sam", "due": "2025-10-20"}],
        "next_meeting": {"date": "2025-10-28", "time": "18:30", "place": "Birkbeck"},
        "visibility": "public",
    }
    body.update(changes)
    return body
