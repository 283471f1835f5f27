"""Every list of the API pages the same way: ``limit`` (default 50, at most
500, anything else a 422 naming it) and a ``next`` URL that really answers the
following page, keeping the list's other query parameters."""
from __future__ import annotations

from typing import Any

import pytest

from fedchapter.roles import Role
from tests.federation.test_events_federation import event_body
from tests.support.events import publish_event
from tests.support.instances import Instance
from tests.support.record import bearer

# Every list route of /api/v1 (those under an event are checked with a real event).
LISTS = [
    "/api/v1/events", "/api/v1/events?scope=network", "/api/v1/minutes", "/api/v1/minutes/actions",
    "/api/v1/minutes/actions/mine", "/api/v1/posts", "/api/v1/proposals", "/api/v1/proposals/offers",
    "/api/v1/members", "/api/v1/followers", "/api/v1/followers?state=pending", "/api/v1/affiliations",
]


async def _walk(instance: Instance, url: str, headers: dict[str, str]) -> list[list[Any]]:
    """Every page's items, following ``next`` to the end."""
    pages = []
    while url:
        response = await instance.client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json()["items"])
        url = response.json()["next"]
    return pages


@pytest.mark.parametrize("bad", ["0", "501", "ten", "-1", "2.5"])
async def test_a_bad_limit_is_422_on_every_list(london: Instance, bad: str) -> None:
    admin = await bearer(london, "ada", Role.ADMIN)
    event = await publish_event(london, event_body())
    for path in [*LISTS, f"/api/v1/events/{event['id']}/requests", f"/api/v1/events/{event['id']}/invitations",
                 f"/api/v1/comments?object={event['ap_id']}"]:
        joiner = "&" if "?" in path else "?"
        response = await london.client.get(f"{path}{joiner}limit={bad}", headers=admin)
        assert response.status_code == 422, path
        assert response.json()["field"] == "limit"
    refused = await london.client.get("/api/v1/posts?offset=x", headers=admin)
    assert refused.status_code == 422 and refused.json()["field"] == "offset"


async def test_every_list_answers_items_and_next(london: Instance) -> None:
    admin = await bearer(london, "ada", Role.ADMIN)
    for path in LISTS:
        response = await london.client.get(path, headers=admin)
        assert response.status_code == 200, path
        assert set(response.json()) >= {"items", "next"} and response.json()["next"] is None, path


async def test_next_walks_posts_stored_in_the_database(london: Instance) -> None:
    secretary = await bearer(london, "sec", Role.SECRETARY)
    for number in range(5):
        created = await london.client.post("/api/v1/posts", json={"title": f"News {number}", "body": "Text."},
                                           headers=secretary)
        assert created.status_code == 201, created.text
    pages = await _walk(london, "/api/v1/posts?limit=2", secretary)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(post["title"] for page in pages for post in page) == [f"News {n}" for n in range(5)]
    # Exactly a page's worth: no "next" that would answer an empty page.
    assert [len(page) for page in await _walk(london, "/api/v1/posts?limit=5", secretary)] == [5]


async def test_next_walks_lists_held_whole_and_keeps_the_query(london: Instance) -> None:
    admin = await bearer(london, "ada", Role.ADMIN)
    for username in ("bea", "cy", "di"):
        await london.ctx.accounts.create_user(username, "a long enough password", Role.MEMBER)
    members = await _walk(london, "/api/v1/members?limit=2", admin)
    assert [len(page) for page in members] == [2, 2, 1]  # admin, ada and the three members
    for number in range(3):
        await publish_event(london, event_body(title=f"Rally {number}"))
    first = (await london.client.get("/api/v1/events?scope=network&limit=2")).json()
    assert "scope=network" in first["next"]
    assert [len(page) for page in await _walk(london, "/api/v1/events?scope=network&limit=2", {})] == [2, 1]
