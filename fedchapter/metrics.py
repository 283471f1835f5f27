"""The metrics port: what the running code tells about itself, as it happens.

Only events that a single process sees are recorded here (an inbox POST
refused, a request's latency); what the database knows (queue depth, the
deliveries by outcome) is read from it when the metrics are scraped, so
several processes on one database never disagree about it.

The composition root hands in an implementation (Prometheus when
``metrics = true``, :data:`NO_METRICS` otherwise); nothing registers a metric
at import time, so a process that imports less never behaves differently.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class InboxMetrics(Protocol):
    """What the inbox intake reports: called once per POST, on the hot path,
    so an implementation must not block or touch the database."""

    def inbox_accepted(self) -> None: ...

    def inbox_refused(self, reason: str) -> None: ...


class RequestMetrics(Protocol):
    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None: ...


class Metrics(InboxMetrics, RequestMetrics, Protocol):
    pass


class NoMetrics:
    """Records nothing: the default, when ``metrics`` is off."""

    def inbox_accepted(self) -> None:
        pass

    def inbox_refused(self, reason: str) -> None:
        pass

    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None:
        pass


NO_METRICS = NoMetrics()


@dataclass(frozen=True)
class QueueSnapshot:
    """The queues as the database holds them at one moment (shared by all processes)."""

    # Rows not yet processed / delivered, and when the oldest of them arrived.
    inbox_pending: int
    inbox_oldest: datetime | None
    deliveries_pending: int
    deliveries_oldest: datetime | None
    # Every row by its state: queued, sending, delivered, failed, cancelled;
    # the inbox's queued, processing, done, ignored, failed.
    deliveries_by_state: dict[str, int] = field(default_factory=dict)
    inbox_by_state: dict[str, int] = field(default_factory=dict)
    # Servers we deliver to: marked unavailable (failing on several days), paused now.
    hosts_unavailable: int = 0
    hosts_paused: int = 0


class MetricsExport(Protocol):
    """What serves ``/metrics``: the recorded events and the queues, as text."""

    content_type: str

    def render(self, queues: QueueSnapshot) -> bytes: ...
