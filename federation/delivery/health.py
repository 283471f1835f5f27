"""The health of outgoing federation, read from the durable delivery queue:
counts by state, each server's figures and state, the latest pending and
failed rows. The admin page and ``fedchapter deliveries`` show the same."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fedchapter.queue_states import DeliveryState


class QueuedDelivery(Protocol):
    id: int
    inbox: str | None
    recipient_actor_id: str | None
    state: str
    attempts: int
    next_try_at: datetime
    last_status: int | None
    last_error: str | None


class HostHealth(Protocol):
    host: str
    available: bool
    paused_until: datetime | None
    failure_days: int


class _Deliveries(Protocol):
    async def count_by_state(self) -> dict[str, int]: ...

    async def per_host(self) -> list[dict[str, Any]]: ...

    async def listing(self, states: tuple[str, ...], limit: int) -> Sequence[QueuedDelivery]: ...


class _Hosts(Protocol):
    async def all(self) -> Sequence[HostHealth]: ...


@dataclass(frozen=True)
class DeliveryReport:
    counts: Mapping[str, int]
    # One row per server: host, pending, delivered, failed, next_try_at.
    hosts: list[dict[str, Any]]
    host_states: Mapping[str, HostHealth]
    pending: Sequence[QueuedDelivery]
    failed: Sequence[QueuedDelivery]


class DeliveryHealth:
    def __init__(self, deliveries: _Deliveries, hosts: _Hosts) -> None:
        self.deliveries = deliveries
        self.hosts = hosts

    async def report(self, *, limit: int) -> DeliveryReport:
        return DeliveryReport(
            counts=await self.deliveries.count_by_state(),
            hosts=await self.deliveries.per_host(),
            host_states={state.host: state for state in await self.hosts.all()},
            pending=await self.deliveries.listing(DeliveryState.pending(), limit),
            failed=await self.deliveries.listing((DeliveryState.FAILED,), limit),
        )
