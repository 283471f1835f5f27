"""Accounts, tokens and proposals for the proposals' web and federation tests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fedchapter.clock import to_iso
from tests.support.instances import Instance

async def admin_headers(instance: Instance) -> dict[str, str]:
    token = await instance.ctx.accounts.create_token("admin")
    return {"Authorization": f"Bearer {token}"}


def in_days(days: float) -> str:
    return to_iso(datetime.now(timezone.utc) + timedelta(days=days))


def proposal_body(method: str, **extra: Any) -> dict[str, Any]:
    return {"title": f"A {method} proposal", "body": "Please decide.", "method": method,
            "closes_at": in_days(7), **extra}


async def create(instance: Instance, headers: dict[str, str], method: str, **extra: Any) -> dict[str, Any]:
    response = await instance.client.post("/api/v1/proposals", json=proposal_body(method, **extra), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def move_clock(instance: Instance, by: timedelta) -> None:
    """Let the proposal services believe `by` has passed (closing times, batch intervals)."""
    service = instance.ctx.proposals.proposals
    service.clock = lambda: datetime.now(timezone.utc) + by
