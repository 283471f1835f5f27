"""Accepting a POST to an inbox: the checks, then one stored row, then 202.

Independent of the web framework: the route passes the method, the request
target, the headers and the body and turns the answer into a response.
Order: size and shape first (cheap), then backpressure, blocks, and only
then the signature (which may fetch the sender's key).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fedchapter.clock import utc_now
from fedchapter.inbox_rows import InboxEntry
from fedchapter.metrics import NO_METRICS, InboxMetrics
from federation.inbox.activity import host_of, id_of, type_of
from federation.inbox.group_commit import GroupCommit
from federation.ports import BlockCheck, DeliveryHostStore, DeliveryStore, InboxStore
from federation.signatures import KeyLookup, SignatureError, verify_request

MAX_BODY_BYTES = 1_000_000
# Real activities nest a handful of levels (Create > Note > tag > Link); 64
# leaves room for any extension while keeping every recursive walk far from
# Python's recursion limit.
MAX_DEPTH = 64
RETRY_AFTER_SECONDS = 60
# The backlog is counted at most this often; in between, each stored row adds
# one to the last count. Counting on every POST was a database trip per POST.
BACKLOG_RECOUNT_SECONDS = 1.0
# A sender's server found healthy (nothing to restore) is not looked up again
# for this long: that look-up was a database trip on every POST. A server that
# starts failing meanwhile is restored by its next activity after this delay,
# far inside the delivery back-off (its first retry waits 30 s).
HEALTHY_HOST_RECHECK_SECONDS = 10.0
# The memory of healthy hosts is dropped whole when it grows past this.
HEALTHY_HOSTS_REMEMBERED = 10_000


@dataclass(frozen=True)
class IntakeAnswer:
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)
    # A short fixed name for the metrics (too_large, malformed, busy, blocked,
    # signature); the message is for the peer and may vary.
    reason: str = ""


ACCEPTED = IntakeAnswer(202, "accepted")


class InboxIntake:
    def __init__(
        self,
        *,
        inbox: InboxStore,
        blocks: BlockCheck,
        hosts: DeliveryHostStore,
        deliveries: DeliveryStore,
        key_lookup: KeyLookup,
        backlog_limit: int,
        on_stored: Callable[[], None] = lambda: None,
        on_host_restored: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utc_now,
        metrics: InboxMetrics = NO_METRICS,
    ) -> None:
        self.inbox = inbox
        self.metrics = metrics
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
        self._healthy_hosts: dict[str, datetime] = {}  # host -> when it was found healthy
        self._group_commit = GroupCommit(inbox.store_received)

    async def _backlog(self) -> int:
        now = self.clock()
        counted_at = self._backlog_counted_at
        if counted_at is None or (now - counted_at).total_seconds() >= BACKLOG_RECOUNT_SECONDS or now < counted_at:
            self._backlog_estimate = await self.inbox.backlog()
            self._backlog_counted_at = now
        return self._backlog_estimate

    async def receive(
        self, *, target: str, headers: Mapping[str, str], body: bytes, local_actor_id: int | None,
        base_url: str | None = None,
    ) -> IntakeAnswer:
        """``base_url`` (ours, from the settings): peers must have signed for its
        host, and its scheme rebuilds an RFC 9421 ``@target-uri``."""
        answer = await self._receive(target, headers, body, local_actor_id, base_url)
        if answer.status == 202:
            self.metrics.inbox_accepted()
        else:
            self.metrics.inbox_refused(answer.reason or str(answer.status))
        return answer

    async def _receive(
        self, target: str, headers: Mapping[str, str], body: bytes, local_actor_id: int | None,
        base_url: str | None,
    ) -> IntakeAnswer:
        own = urlsplit(base_url) if base_url else None
        if len(body) > MAX_BODY_BYTES:
            return IntakeAnswer(413, f"activities are limited to {MAX_BODY_BYTES} bytes", reason="too_large")
        parsed, problem = parse_body(body)
        if parsed is None:
            return IntakeAnswer(400, problem, reason="malformed")
        activity, text = parsed
        actor_id = id_of(activity["actor"])
        assert actor_id is not None
        if await self._backlog() >= self.backlog_limit:
            return IntakeAnswer(503, "busy; try again later", {"Retry-After": str(RETRY_AFTER_SECONDS)},
                                reason="busy")
        if await self.blocks.is_blocked(actor_id):
            return IntakeAnswer(403, "this server does not accept activities from you", reason="blocked")
        try:
            verified = await verify_request(
                "POST", target, headers, body, self.key_lookup, now=self.clock(),
                expected_host=own.netloc if own else None, scheme=own.scheme if own else "https",
            )
        except SignatureError as error:
            if _is_self_deletion(activity, actor_id):
                # A deleted account's farewell: its key is gone, so it cannot verify. Nothing to store.
                return ACCEPTED
            return IntakeAnswer(error.status, error.reason, reason="signature")
        if verified.owner != actor_id:
            return IntakeAnswer(401, "the signing key does not belong to the activity's actor", reason="signature")
        host = host_of(actor_id)
        key_host = host_of(verified.key_id)
        # is_blocked above already covered the actor's domain; only a key kept
        # on another server needs its own look-up.
        if key_host != host and await self.blocks.is_domain_blocked(key_host):
            return IntakeAnswer(403, "this server does not accept activities from you", reason="blocked")
        # The body as received: it is the JSON just parsed, so serialising the
        # activity again would only cost time. Committed (with the POSTs that
        # arrived together) before the 202.
        await self._group_commit.store(InboxEntry(
            activity_id=activity["id"], actor_id=actor_id, type=type_of(activity) or "",
            local_actor_id=local_actor_id, payload=text, received_at=self.clock(),
        ))
        self._backlog_estimate += 1
        self.on_stored()
        # The peer is alive: its deliveries need not wait any longer.
        await self._restore(host)
        return ACCEPTED

    async def _restore(self, host: str) -> None:
        now = self.clock()
        seen = self._healthy_hosts.get(host)
        if seen is not None and timedelta(0) <= now - seen < timedelta(seconds=HEALTHY_HOST_RECHECK_SECONDS):
            return
        if await self.hosts.restore(host, now):
            await self.deliveries.release_host(host, now)
            self.on_host_restored()
        if len(self._healthy_hosts) >= HEALTHY_HOSTS_REMEMBERED:
            self._healthy_hosts.clear()
        self._healthy_hosts[host] = now


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); Python would accept them.
    raise ValueError(f"{name} is not JSON")


# One decoder: json.loads with parse_constant would build a new one per POST.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


# A JSON escape of a UTF-16 surrogate (\\ud800-\\udfff), paired or not.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _plainly_safe(text: str) -> bool:
    """True when the text alone shows that :func:`_shape_problem` would find
    nothing, in a few scans at C speed instead of a walk over every value:
    fewer brackets than the depth limit cannot nest deeper than it, and with
    no raw surrogate (it encodes) and no escaped one there is no lone surrogate."""
    if text.count("{") + text.count("[") > MAX_DEPTH or _SURROGATE_ESCAPE.search(text) is not None:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shape_problem(document: Any) -> str | None:
    """Why a parsed document cannot be stored or processed safely, or None.

    Walked without recursion, so the check cannot itself run out of stack."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                # A lone surrogate ("\ud800"): valid JSON syntax, but no text; SQLite and
                # every page that showed it would fail on it.
                return "the activity contains a lone surrogate (not Unicode text)"
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                return f"the activity is nested deeper than {MAX_DEPTH} levels"
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
    return None


def parse_body(body: bytes) -> tuple[tuple[dict[str, Any], str] | None, str]:
    """The activity and the body's text (the JSON to store), or None and why it
    is refused (never an exception: a peer gets a 400)."""
    try:
        # As json.loads(bytes) decodes (UTF-8, -16 or -32, a BOM dropped), but
        # keeping the text: it is what the inbox row stores.
        text = body.decode(json.detect_encoding(body), "surrogatepass")
        activity = _DECODER.decode(text)
    except RecursionError:
        return None, f"the activity is nested deeper than {MAX_DEPTH} levels"
    except UnicodeDecodeError:
        return None, "the body is not UTF-8"
    except ValueError as error:
        # Includes integers over Python's 4,300-digit conversion limit.
        return None, f"the body is not JSON ({str(error)[:120]})"
    problem = None if _plainly_safe(text) else _shape_problem(activity)
    if problem is not None:
        return None, problem
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
    return (activity, text), ""


def _is_self_deletion(activity: dict[str, Any], actor_id: str) -> bool:
    return type_of(activity) == "Delete" and id_of(activity.get("object")) == actor_id
