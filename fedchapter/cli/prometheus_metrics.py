"""The metrics port (``fedchapter.metrics``) on prometheus-client, with a
registry of its own per running chapter: nothing is registered in the
library's global registry, so two chapters in one process (the tests) or a
second import never share or collide, and a process with ``metrics = false``
never imports prometheus_client at all (the composition root imports this
module only when it is on).

Counters and the latency histogram count this process's events; the queue
gauges are read from the database at each scrape (``QueueSnapshot``), so
every process on one database reports the same queues.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from fedchapter.clock import utc_now
from fedchapter.metrics import QueueSnapshot
from fedchapter.queue_states import DeliveryState, InboxState

DELIVERY_STATES = tuple(DeliveryState)
INBOX_STATES = tuple(InboxState)


class _QueueCollector(Collector):
    """Yields the gauges of the snapshot taken for the scrape in progress."""

    def __init__(self) -> None:
        self.snapshot: QueueSnapshot | None = None
        self.now: datetime = utc_now()

    def collect(self) -> Iterator[Metric]:
        snapshot = self.snapshot
        if snapshot is None:
            return
        depth = GaugeMetricFamily("fedchapter_queue_depth", "Rows waiting to be processed or delivered",
                                  labels=["queue"])
        depth.add_metric(["inbox"], snapshot.inbox_pending)
        depth.add_metric(["deliveries"], snapshot.deliveries_pending)
        yield depth
        age = GaugeMetricFamily("fedchapter_queue_oldest_age_seconds",
                                "Age of the oldest row still waiting (0 when none waits)", labels=["queue"])
        for queue, oldest in (("inbox", snapshot.inbox_oldest), ("deliveries", snapshot.deliveries_oldest)):
            age.add_metric([queue], 0.0 if oldest is None else max(0.0, (self.now - oldest).total_seconds()))
        yield age
        deliveries = GaugeMetricFamily("fedchapter_deliveries", "Delivery rows by state (outcome)",
                                       labels=["state"])
        for state in _states(DELIVERY_STATES, snapshot.deliveries_by_state):
            deliveries.add_metric([state], snapshot.deliveries_by_state.get(state, 0))
        yield deliveries
        inbox = GaugeMetricFamily("fedchapter_inbox_rows", "Stored inbox activities by state", labels=["state"])
        for state in _states(INBOX_STATES, snapshot.inbox_by_state):
            inbox.add_metric([state], snapshot.inbox_by_state.get(state, 0))
        yield inbox
        yield GaugeMetricFamily("fedchapter_delivery_hosts_unavailable",
                                "Servers marked unavailable (failing on several distinct days)",
                                value=snapshot.hosts_unavailable)
        yield GaugeMetricFamily("fedchapter_delivery_hosts_paused",
                                "Servers whose deliveries are paused after a burst of failures",
                                value=snapshot.hosts_paused)


def _states(known: tuple[str, ...], seen: dict[str, int]) -> list[str]:
    # Every known state is always present (a zero, not a gap), and any newer one too.
    return [*known, *sorted(set(seen) - set(known))]


class PrometheusMetrics:
    """Implements ``fedchapter.metrics.Metrics`` and renders the exposition."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        accepted = Counter("fedchapter_inbox_accepted", "Activities the inbox accepted (202)",
                           registry=self.registry)
        self._refused = Counter("fedchapter_inbox_refused", "Activities the inbox refused, by reason",
                                ["reason"], registry=self.registry)
        self._latency = Histogram("fedchapter_http_request_duration_seconds", "Time to answer a request",
                                  ["method", "route", "status"], registry=self.registry)
        # Bound once: the inbox's hot path then costs one locked add.
        self._accepted = accepted
        self._queues = _QueueCollector()
        self.registry.register(self._queues)

    def inbox_accepted(self) -> None:
        self._accepted.inc()

    def inbox_refused(self, reason: str) -> None:
        self._refused.labels(reason).inc()

    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None:
        self._latency.labels(method, route, str(status)).observe(seconds)

    def render(self, queues: QueueSnapshot) -> bytes:
        """The text exposition, with the queue gauges from ``queues``.

        Synchronous from snapshot to bytes, so concurrent scrapes on one event
        loop never see each other's snapshot."""
        self._queues.snapshot = queues
        self._queues.now = utc_now()
        return generate_latest(self.registry)
