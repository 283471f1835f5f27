"""Accepting a POST to an inbox: the checks, then one stored row, then 202.

Independent of the web framework: the route passes the method, the request
target, the headers and the body and turns the answer into a response.
Order: size and shape first (cheap), then backpressure, blocks, and only
then the signature (which may fetch the sender's key).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fedchapter.clock import utc_now
from federation.inbox.activity import host_of, id_of, type_of
from federation.ports import BlockStore, DeliveryHostStore, DeliveryStore, InboxStore
from federation.signatures import KeyLookup, SignatureError, verify_request

MAX_BODY_BYTES = 1_000_000
RETRY_AFTER_SECONDS = 60
# The backlog is counted at most this often; in between, each stored row adds
# one to the last count. Counting on every POST was a database trip per POST.
BACKLOG_RECOUNT_SECONDS = 1.0


@dataclass(frozen=True)
class IntakeAnswer:
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


ACCEPTED = IntakeAnswer(202, "accepted")


class InboxIntake:
    def __init__(
        self,
        *,
        inbox: InboxStore,
        blocks: BlockStore,
        hosts: DeliveryHostStore,
        deliveries: DeliveryStore,
        key_lookup: KeyLookup,
        backlog_limit: int,
        on_stored: Callable[[], None] = lambda: None,
        on_host_restored: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.inbox = inbox
        self.blocks = blocks
        self.hosts = hosts
        self.deliveries = deliveries
        self.key_lookup = key_lookup
        self.backlog_limit = backlog_limit
        self.on_stored = on_stored
        self.on_host_restored = on_host_restored
        self.clock = clock
        self._backlog_estimate = 0
        self._backlog_counted_at: datetime | None = None

    async def _backlog(self) -> int:
        now = self.clock()
        counted_at = self._backlog_counted_at
        if counted_at is None or (now - counted_at).total_seconds() >= BACKLOG_RECOUNT_SECONDS or now < counted_at:
            self._backlog_estimate = await self.inbox.backlog()
            self._backlog_counted_at = now
        return self._backlog_estimate

    async def receive(
        self, *, target: str, headers: Mapping[str, str], body: bytes, local_actor_id: int | None
    ) -> IntakeAnswer:
        if len(body) > MAX_BODY_BYTES:
            return IntakeAnswer(413, f"activities are limited to {MAX_BODY_BYTES} bytes")
        activity, problem = parse_activity(body)
        if activity is None:
            return IntakeAnswer(400, problem)
        actor_id = id_of(activity["actor"])
        assert actor_id is not None
        if await self._backlog() >= self.backlog_limit:
            return IntakeAnswer(503, "busy; try again later", {"Retry-After": str(RETRY_AFTER_SECONDS)})
        if await self.blocks.is_blocked(actor_id):
            return IntakeAnswer(403, "this server does not accept activities from you")
        try:
            verified = await verify_request("POST", target, headers, body, self.key_lookup, now=self.clock())
        except SignatureError as error:
            if _is_self_deletion(activity, actor_id):
                # A deleted account's farewell: its key is gone, so it cannot verify. Nothing to store.
                return ACCEPTED
            return IntakeAnswer(error.status, error.reason)
        if verified.owner != actor_id:
            return IntakeAnswer(401, "the signing key does not belong to the activity's actor")
        if await self.blocks.is_domain_blocked(host_of(verified.key_id)):
            return IntakeAnswer(403, "this server does not accept activities from you")
        await self.inbox.store(
            activity, activity_id=activity["id"], actor_id=actor_id, type=type_of(activity) or "",
            local_actor_id=local_actor_id, now=self.clock(),
        )
        self._backlog_estimate += 1
        self.on_stored()
        # The peer is alive: its deliveries need not wait any longer.
        host = host_of(actor_id)
        if await self.hosts.restore(host, self.clock()):
            await self.deliveries.release_host(host, self.clock())
            self.on_host_restored()
        return ACCEPTED


def parse_activity(body: bytes) -> tuple[dict[str, Any] | None, str]:
    """The activity, or None and why it is refused."""
    try:
        activity = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None, "the body is not JSON"
    if not isinstance(activity, dict):
        return None, "an activity is a JSON object"
    if not isinstance(activity.get("id"), str) or not activity["id"].startswith(("https://", "http://")):
        return None, "the activity has no id"
    if type_of(activity) is None:
        return None, "the activity has no type"
    actor_id = id_of(activity.get("actor"))
    if actor_id is None or not actor_id.startswith(("https://", "http://")):
        return None, "the activity has no actor"
    if host_of(activity["id"]) != host_of(actor_id):
        return None, "the activity's id is not on its actor's server"
    return activity, ""


def _is_self_deletion(activity: dict[str, Any], actor_id: str) -> bool:
    return type_of(activity) == "Delete" and id_of(activity.get("object")) == actor_id
