"""Publishing events through the API as a facilitator, for the event tests."""
from __future__ import annotations

from datetime import date
from typing import Any

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer

# Dates next year, so the test events are always upcoming.
NEXT_YEAR = date.today().year + 1


async def facilitator(instance: Instance, username: str = "tom") -> dict[str, str]:
    """Headers of a facilitator's token (the account is made the first time)."""
    if await instance.ctx.repos.users.by_username(username) is None:
        return await bearer(instance, username, Role.FACILITATOR)
    return {"Authorization": f"Bearer {await instance.ctx.accounts.create_token(username)}"}


async def publish_event(instance: Instance, body: dict[str, Any]) -> dict[str, Any]:
    """POST /api/v1/events as a facilitator; the 201 answer."""
    response = await instance.client.post("/api/v1/events", json=body, headers=await facilitator(instance))
    assert response.status_code == 201, response.text
    return dict(response.json())
