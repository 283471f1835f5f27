"""The event page keeps its dates in words and its description as HTML in
memory, and never shows them stale: an edit (even within the same second as
the last one, which the stored updated_at cannot tell apart) shows at once,
and each language gets its own words."""
from __future__ import annotations

from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance
from web.fragments import Fragments

HTML = {"Accept": "text/html"}


async def test_an_edit_shows_at_once_on_the_event_page(london: Instance) -> None:
    created = await publish_event(london, {"title": "Assembly", "start": f"{YEAR}-03-04T18:00",
                                           "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London",
                                           "description": "Bring **banners**."})
    url = f"/events/{created['id']}"
    assert "<strong>banners</strong>" in (await london.client.get(url, headers=HTML)).text
    edited = await london.client.patch(f"/api/v1/events/{created['id']}",
                                       json={"description": "Bring **leaflets**.", "start": f"{YEAR}-03-05T18:00",
                                             "end": f"{YEAR}-03-05T20:00"},
                                       headers=await facilitator(london))
    assert edited.status_code == 200, edited.text
    page = (await london.client.get(url, headers=HTML)).text
    assert "<strong>leaflets</strong>" in page and "banners" not in page
    assert "5 Mar" in page and "4 Mar" not in page


async def test_a_change_written_behind_the_services_back_shows_at_once(london: Instance) -> None:
    """A statement no service made (as another `serve` would write) changes
    the row within the same second: the stored updated_at does not move, the
    fragments do, since they are keyed on what is stored. (For anonymous
    readers the page cache in front adds at most a second when the writer is
    another process: tests/web/test_page_cache.py.)"""
    created = await publish_event(london, {"title": "Assembly", "start": f"{YEAR}-03-04T18:00",
                                           "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London",
                                           "description": "Bring **banners**."})
    url = f"/events/{created['id']}"
    assert "<strong>banners</strong>" in (await london.client.get(url, headers=HTML)).text
    first_ics = await london.client.get(created["ics"])
    assert b"SUMMARY:Assembly" in (await london.client.get("/calendar.ics")).content
    await london.ctx.database.execute("UPDATE events SET description = ?, title = ? WHERE id = ?",
                                      ("Bring **leaflets**.", "Moved assembly", created["id"]))
    page = (await london.client.get(url, headers=HTML)).text
    assert "<strong>leaflets</strong>" in page and "banners" not in page
    ics = await london.client.get(created["ics"], headers={"If-None-Match": first_ics.headers["etag"]})
    assert ics.status_code == 200 and b"Moved assembly" in ics.content
    calendar = await london.client.get("/calendar.ics")
    assert b"Moved assembly" in calendar.content


async def test_each_language_gets_its_own_dates(london: Instance) -> None:
    created = await publish_event(london, {"title": "Assembly", "start": f"{YEAR}-03-04T18:00",
                                           "end": f"{YEAR}-03-04T20:00", "timezone": "Europe/London"})
    url = f"/events/{created['id']}"
    english = (await london.client.get(url, headers={**HTML, "Accept-Language": "en"})).text
    german = (await london.client.get(url, headers={**HTML, "Accept-Language": "de"})).text
    assert "Mar" in english and "März" in german and "März" not in english


def test_a_fragment_is_made_afresh_when_its_source_changed_under_the_same_key() -> None:
    fragments: Fragments[str] = Fragments(2)
    assert fragments.get("event-1", ("Assembly",), lambda: "made from Assembly") == "made from Assembly"
    assert fragments.get("event-1", ("Assembly",), lambda: "made again") == "made from Assembly"
    assert fragments.get("event-1", ("General assembly",), lambda: "made from General") == "made from General"


def test_the_least_recently_used_fragment_leaves_first() -> None:
    fragments: Fragments[str] = Fragments(2)
    fragments.get("a", 1, lambda: "A")
    fragments.get("b", 1, lambda: "B")
    fragments.get("a", 1, lambda: "A again")  # a is used: b is now the oldest
    fragments.get("c", 1, lambda: "C")
    assert len(fragments) == 2
    assert fragments.get("a", 1, lambda: "A made") == "A"
    assert fragments.get("b", 1, lambda: "B made") == "B made"
