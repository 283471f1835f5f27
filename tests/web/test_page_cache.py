"""Anonymous GETs of public pages are answered from memory (web/page_cache.py):
the same answer again until this process writes something a page may show,
or a second passes for what other processes write; never for anyone who
says who they are, and never an answer meant for one reader."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from fedchapter.roles import Role
from storage.dialect import statement
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance, Network
from tests.support.web_forms import log_in
from web.page_cache import TTL_SECONDS, PageCache, _Kept

HTML = {"Accept": "text/html"}
PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(london: Instance) -> FakeClock:
    fake = FakeClock()
    london.app.state.page_cache.clock = fake
    return fake


async def _assembly(london: Instance, **changes: str) -> dict[str, object]:
    return await publish_event(london, {"title": "Assembly", "start": f"{YEAR}-03-04T18:00",
                                        "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London",
                                        "description": "Bring **banners**.", **changes})


def _write_from_another_process(london: Instance, sql: str, params: tuple[object, ...]) -> None:
    """A write this process's counter never sees, as `fedchapter worker` makes:
    through a connection of its own."""
    target = london.settings.database_target
    if isinstance(target, str):
        import psycopg

        with psycopg.connect(target, autocommit=True) as other:
            other.execute(statement(sql), params)
        return
    with sqlite3.connect(target) as other:
        other.execute(sql, params)


async def test_a_repeat_visit_is_the_kept_answer_until_a_second_passes(london: Instance, clock: FakeClock) -> None:
    created = await _assembly(london)
    url = f"/events/{created['id']}"
    first = await london.client.get(url, headers=HTML)
    _write_from_another_process(london, "UPDATE events SET title = ? WHERE id = ?", ("Moved assembly", created["id"]))
    again = await london.client.get(url, headers=HTML)
    assert again.text == first.text and "Moved assembly" not in again.text
    # Each answer still carries its own request id and the security headers.
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert again.headers["x-content-type-options"] == "nosniff"
    clock.now += TTL_SECONDS + 0.1
    assert "Moved assembly" in (await london.client.get(url, headers=HTML)).text


async def test_a_write_in_this_process_shows_at_once(london: Instance, clock: FakeClock) -> None:
    created = await _assembly(london)
    url = f"/events/{created['id']}"
    assert "<strong>banners</strong>" in (await london.client.get(url, headers=HTML)).text
    assert b"SUMMARY:Assembly" in (await london.client.get("/calendar.ics")).content
    edited = await london.client.patch(f"/api/v1/events/{created['id']}", json={"title": "Moved assembly"},
                                       headers=await facilitator(london))
    assert edited.status_code == 200, edited.text
    assert "Moved assembly" in (await london.client.get(url, headers=HTML)).text
    assert b"SUMMARY:Moved assembly" in (await london.client.get("/calendar.ics")).content


async def test_queue_bookkeeping_keeps_the_answers_and_a_post_does_not(net: Network) -> None:
    # No workers: nothing else writes while the counts are compared.
    london = await net.chapter("london", run_workers=False)
    before = london.ctx.pages_version()
    await london.ctx.repos.inbox.store(
        {"id": "https://elsewhere.example/activities/1", "type": "Like"},
        activity_id="https://elsewhere.example/activities/1", actor_id="https://elsewhere.example/users/ann",
        type="Like", local_actor_id=None, now=datetime.now(UTC),
    )
    assert london.ctx.pages_version() == before
    await _assembly(london)
    assert london.ctx.pages_version() > before


async def test_members_pages_are_never_kept_nor_served_to_others(london: Instance, clock: FakeClock) -> None:
    created = await _assembly(london, visibility="members")
    url = f"/events/{created['id']}"
    await london.ctx.accounts.create_user("mia", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mia", PASSWORD)
    member_view = await london.client.get(url, headers=HTML)
    assert member_view.status_code == 200 and "Assembly" in member_view.text
    assert len(london.app.state.page_cache) == 0
    london.client.cookies.clear()
    assert (await london.client.get(url, headers=HTML)).status_code == 404


async def test_readers_who_say_who_they_are_always_reach_the_app(london: Instance, clock: FakeClock) -> None:
    await london.client.get("/calendar.ics")
    kept = len(london.app.state.page_cache)
    assert kept == 1
    for headers in ({"Authorization": "Bearer nonsense"}, {"Signature": 'keyId="x"'},
                    {"Cookie": "fedchapter_session=abc"}):
        await london.client.get("/calendar.ics", headers=headers)
        assert len(london.app.state.page_cache) == kept


async def test_an_answer_that_sets_a_cookie_is_not_kept(london: Instance, clock: FakeClock) -> None:
    chosen = await london.client.get("/?lang=de", headers=HTML)
    assert "set-cookie" in chosen.headers
    assert len(london.app.state.page_cache) == 0


async def test_each_language_and_format_is_kept_apart(london: Instance, clock: FakeClock) -> None:
    created = await _assembly(london)
    url = f"/events/{created['id']}"
    english = await london.client.get(url, headers={**HTML, "Accept-Language": "en"})
    german = await london.client.get(url, headers={**HTML, "Accept-Language": "de"})
    document = await london.client.get(url, headers={"Accept": "application/activity+json"})
    assert "Mar" in english.text and "März" in german.text
    assert document.headers["content-type"].startswith("application/activity+json")
    assert (await london.client.get(url, headers={**HTML, "Accept-Language": "en"})).text == english.text
    assert len(london.app.state.page_cache) == 3


async def test_a_client_holding_the_kept_answer_gets_304(london: Instance, clock: FakeClock) -> None:
    first = await london.client.get("/calendar.ics")
    assert len(london.app.state.page_cache) == 1
    again = await london.client.get("/calendar.ics", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def _kept(body: bytes) -> _Kept:
    return _Kept(version=1, stored_at=0.0, route=None, headers=[], body=body, etag=None, last_modified=None)


def test_the_least_recently_used_answers_leave_when_memory_is_full() -> None:
    cache = PageCache(max_bytes=250, clock=lambda: 0.0)
    cache.put((b"a",), _kept(b"x" * 100))
    cache.put((b"b",), _kept(b"x" * 100))
    assert cache.get((b"a",), 1) is not None  # a is used: b is now the oldest
    cache.put((b"c",), _kept(b"x" * 100))
    assert cache.get((b"b",), 1) is None
    assert cache.get((b"a",), 1) is not None and cache.get((b"c",), 1) is not None


def test_an_answer_kept_under_an_older_count_is_forgotten() -> None:
    cache = PageCache(clock=lambda: 0.0)
    cache.put((b"a",), _kept(b"page"))
    assert cache.get((b"a",), 2) is None
    assert len(cache) == 0
