"""One URL, two audiences: browsers get HTML, servers get ActivityStreams."""
from __future__ import annotations

import pytest

from tests.support.instances import Instance
from web.negotiation import parse_accept, prefers_activity_json, quality


@pytest.mark.parametrize(
    ("accept", "wants_json"),
    [
        ("application/activity+json", True),
        ('application/ld+json; profile="https://www.w3.org/ns/activitystreams"', True),
        ("application/ld+json", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("*/*", False),
        (None, False),
        ("text/html;q=0.5, application/activity+json", True),
        ("application/activity+json;q=0.4, text/html", False),
        ("application/activity+json;q=0", False),
        ("application/activity+json, application/ld+json", True),
        ("garbage", False),
    ],
)
def test_prefers_activity_json(accept: str | None, wants_json: bool) -> None:
    assert prefers_activity_json(accept) is wants_json


def test_the_most_specific_range_decides_the_quality() -> None:
    ranges = parse_accept("text/*;q=0.3, text/html;q=0.7, */*;q=0.1")
    assert quality(ranges, "text/html") == 0.7
    assert quality(ranges, "text/plain") == 0.3
    assert quality(ranges, "image/png") == 0.1


async def test_a_browser_gets_the_home_page_and_a_server_gets_the_group(london: Instance) -> None:
    page = await london.client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "@london@london.test" in page.text
    assert '<link rel="alternate" type="text/calendar"' in page.text
    document = await london.client.get("/", headers={"Accept": "application/activity+json"})
    assert document.json()["type"] == "Group"
    browser_on_actor = await london.client.get("/actors/london", headers={"Accept": "text/html"})
    assert browser_on_actor.status_code == 303
    assert browser_on_actor.headers["location"] == "http://london.test/"
