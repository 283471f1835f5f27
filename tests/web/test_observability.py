"""Request ids: echoed or made, and on every log line written for the request."""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from fedchapter.cli.logging_setup import JsonFormatter, RequestIdFilter
from tests.support.instances import Instance


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("fedchapter.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        access.removeHandler(handler)
        access.setLevel(level)


async def test_a_sane_request_id_is_echoed(london: Instance) -> None:
    response = await london.client.get("/", headers={"X-Request-Id": "abc-123.proxy"})
    assert response.headers["x-request-id"] == "abc-123.proxy"


async def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(london: Instance) -> None:
    first = (await london.client.get("/")).headers["x-request-id"]
    second = (await london.client.get("/", headers={"X-Request-Id": "no spaces\tor tabs"})).headers["x-request-id"]
    assert len(first) == 32 and len(second) == 32 and first != second


async def test_every_answer_carries_one_even_an_error(london: Instance) -> None:
    response = await london.client.get("/no/such/page")
    assert response.status_code == 404 and "x-request-id" in response.headers


async def test_the_access_line_is_json_with_the_request_id(london: Instance, json_log: io.StringIO) -> None:
    response = await london.client.get("/healthz", headers={"X-Request-Id": "probe-1"})
    assert response.status_code == 200
    line = json.loads(json_log.getvalue().splitlines()[-1])
    assert line["request_id"] == "probe-1"
    assert (line["level"], line["logger"], line["method"], line["path"], line["status"]) == (
        "info", "fedchapter.access", "GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)


async def test_latency_is_labelled_by_route_template_not_path(london: Instance) -> None:
    from fedchapter.cli.prometheus_metrics import PrometheusMetrics

    metrics = PrometheusMetrics()
    # ChapterServices is frozen; a test may still swap the port in.
    object.__setattr__(london.ctx, "metrics", metrics)
    await london.client.get("/actors/london")
    await london.client.get("/actors/nobody")
    routes = {labels[1] for labels in metrics._latency._metrics}
    assert routes == {"/actors/{username}"}
