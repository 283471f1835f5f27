"""``/healthz`` and ``/metrics`` as a load balancer and Prometheus see them."""
from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.instances import Instance, Network, make_chapter_folder
from tests.support.signed_posts import activity_from, post_signed
from web import probes


async def test_healthz_answers_ok_while_the_database_answers(london: Instance) -> None:
    response = await london.client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")
    assert response.headers["cache-control"] == "no-store"


async def test_healthz_answers_503_and_why_when_the_database_is_gone(net: Network) -> None:
    rome = await net.chapter("rome", run_workers=False)
    await rome.ctx.database.close()
    response = await rome.client.get("/healthz")
    assert response.status_code == 503
    assert response.text.startswith("database: ") and "not connected" in response.text


async def test_healthz_answers_503_when_the_database_hangs(
    net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    rome = await net.chapter("rome", run_workers=False)

    async def hang(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(30)

    monkeypatch.setattr(probes, "HEALTH_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(rome.ctx.database, "fetchvalue", hang)
    response = await rome.client.get("/healthz")
    assert (response.status_code, response.text) == (503, "database: no answer within 0.05s")


async def test_metrics_are_not_served_unless_switched_on(london: Instance) -> None:
    assert (await london.client.get("/metrics")).status_code == 404


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_count_the_inbox_queues_and_latency(net: Network, london: Instance) -> None:
    # No workers run there, so what its inbox accepts stays queued for the gauges to see.
    watched = await _metered(net)
    follow = activity_from(london, "Follow", watched.ctx.urls.actor(watched.settings.handle))
    assert (await post_signed(london, watched, follow)).status_code == 202
    assert (await post_signed(london, watched, activity_from(london, "Like", "x"), sign=False)).status_code == 401
    assert (await post_signed(london, watched, body=b"{not json")).status_code == 400
    big = b"[" * 1_000_001
    assert (await watched.client.post("/inbox", content=big)).status_code == 413

    response = await watched.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    assert samples[("fedchapter_inbox_accepted_total", ())] == 1
    assert samples[("fedchapter_inbox_refused_total", (("reason", "signature"),))] == 1
    assert samples[("fedchapter_inbox_refused_total", (("reason", "malformed"),))] == 1
    assert samples[("fedchapter_inbox_refused_total", (("reason", "too_large"),))] == 1
    assert samples[("fedchapter_queue_depth", (("queue", "inbox"),))] == 1
    assert samples[("fedchapter_queue_oldest_age_seconds", (("queue", "inbox"),))] >= 0
    assert samples[("fedchapter_queue_depth", (("queue", "deliveries"),))] == 0
    assert samples[("fedchapter_inbox_rows", (("state", "queued"),))] == 1
    assert samples[("fedchapter_deliveries", (("state", "failed"),))] == 0
    assert samples[("fedchapter_delivery_hosts_unavailable", ())] == 0
    inbox_posts = ("fedchapter_http_request_duration_seconds_count",
                   (("method", "POST"), ("route", "/inbox"), ("status", "202")))
    assert samples[inbox_posts] == 1


async def test_the_queue_gauges_see_pending_deliveries_and_unavailable_servers(net: Network) -> None:
    watched = await _metered(net)
    database = watched.ctx.database
    actor_id = (await watched.ctx.chapter()).actor_id
    await database.execute(
        "INSERT INTO outbox (activity_id, local_actor_id, type, public, payload, created_at)"
        " VALUES ('http://metered.test/a/1', ?, 'Note', 1, '{}', '2020-01-01T00:00:00Z')", (actor_id,))
    for number, state in enumerate(("queued", "failed", "failed")):
        await database.execute(
            "INSERT INTO deliveries (activity_id, local_actor_id, target, inbox, host, state, next_try_at,"
            " created_at) VALUES ('http://metered.test/a/1', ?, ?, ?, 'far.test', ?, '2020-01-01T00:00:00Z',"
            " '2020-01-01T00:00:00Z')", (actor_id, f"t{number}", f"http://far.test/{number}", state))
    await database.execute("INSERT INTO delivery_hosts (host, available) VALUES ('far.test', 0)")
    samples = _samples((await watched.client.get("/metrics")).text)
    assert samples[("fedchapter_queue_depth", (("queue", "deliveries"),))] == 1
    assert samples[("fedchapter_queue_oldest_age_seconds", (("queue", "deliveries"),))] > 86400
    assert samples[("fedchapter_deliveries", (("state", "failed"),))] == 2
    assert samples[("fedchapter_delivery_hosts_unavailable", ())] == 1


async def _metered(net: Network) -> Instance:
    settings = await make_chapter_folder(net.root / "metered", handle="metered", host="metered.test")
    return await net.start(replace(settings, metrics=True), run_workers=False)


def test_metrics_do_not_register_anything_in_the_global_registry() -> None:
    from prometheus_client import REGISTRY

    from fedchapter.cli.prometheus_metrics import PrometheusMetrics

    before = set(REGISTRY._names_to_collectors)
    PrometheusMetrics()
    PrometheusMetrics()  # a second chapter in the same process must not collide
    assert set(REGISTRY._names_to_collectors) == before
