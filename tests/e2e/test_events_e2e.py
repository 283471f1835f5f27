"""Events between two real ``fedchapter serve`` processes on 127.0.0.1: beta
follows alpha; an event published on alpha through the API reaches beta as
Create(Event) and shows in beta's network calendar with alpha as its chapter;
alpha's edit and deletion follow it there.

Every wait is bounded; every process is killed at teardown (the fixture).
"""
from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from tests.e2e.test_two_chapters import Chapter, chapters, finish, following_state, start, wait_for

pytestmark = pytest.mark.e2e
__all__ = ["chapters"]  # the fixture, shared with the other end-to-end test

YEAR = date.today().year + 1


def network_items(chapter: Chapter) -> list[dict[str, Any]]:
    response = httpx.get(f"{chapter.base_url}/api/v1/events", params={"scope": "network"}, timeout=5)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_an_event_on_one_chapter_appears_in_the_network_calendar_of_another(
    chapters: tuple[Chapter, Chapter],
) -> None:
    alpha, beta = chapters
    start(alpha, beta)
    finish(beta.cli("follow", f"{alpha.base_url}/actors/alpha"))
    wait_for(lambda: following_state(beta, alpha) == "accepted", "alpha to accept beta's follow")
    [token] = finish(alpha.cli("token", "create", "--username", "admin"))
    headers = {"Authorization": f"Bearer {token}"}
    body = {"title": "International coordination call", "start": f"{YEAR}-07-01T15:00",
            "end": f"{YEAR}-07-01T16:00", "timezone": "UTC", "online_url": "https://meet.example.org/call",
            "rrule": "FREQ=WEEKLY;COUNT=8", "description": "Every chapter's delegates."}
    created = httpx.post(f"{alpha.base_url}/api/v1/events", json=body, headers=headers, timeout=10)
    assert created.status_code == 201, created.text
    event = created.json()

    wait_for(lambda: bool(network_items(beta)), "the event to reach beta")
    [item] = network_items(beta)
    assert item["ap_id"] == event["ap_id"]
    assert item["chapter"]["id"] == f"{alpha.base_url}/actors/alpha"
    assert (item["start_utc"], item["rrule"]) == (f"{YEAR}-07-01T15:00:00Z", "FREQ=WEEKLY;COUNT=8")
    stored = beta.value("SELECT COUNT(*) FROM inbox WHERE type = 'Create' AND state = 'done'")
    assert stored == 1
    page = httpx.get(f"{beta.base_url}/events/network", params={"tz": "Australia/Melbourne"}, timeout=5).text
    assert "International coordination call" in page and "01:00–02:00 AEST" in page
    calendar = Calendar.from_ical(httpx.get(f"{beta.base_url}/network/calendar.ics", timeout=5).content)
    assert [str(v["summary"]) for v in calendar.walk("VEVENT")] == ["International coordination call"]

    edited = httpx.patch(f"{alpha.base_url}/api/v1/events/{event['id']}", json={"title": "Coordination call"},
                         headers=headers, timeout=10)
    assert edited.status_code == 200, edited.text
    wait_for(lambda: [i["title"] for i in network_items(beta)] == ["Coordination call"], "the edit to reach beta")
    deleted = httpx.delete(f"{alpha.base_url}/api/v1/events/{event['id']}", headers=headers, timeout=10)
    assert deleted.status_code == 204
    wait_for(lambda: network_items(beta) == [], "the deletion to reach beta")
    assert httpx.get(event["url"], headers={"Accept": "application/activity+json"}, timeout=5).status_code == 410
