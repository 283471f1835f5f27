"""Calendars and the Atom feed answer conditional GETs: an ETag on every 200,
304 with no body when the client already holds that answer, a new tag once an
event changes, and never a members' answer for anyone else."""
from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import log_in


async def publish(london: Instance, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Monthly meeting", "start": f"{YEAR}-06-02T18:30", "end": f"{YEAR}-06-02T20:30",
                            "timezone": "Europe/London", "location": {"name": "Birkbeck", "locality": "London"}}
    body.update(changes)
    return await publish_event(london, body)


async def test_the_calendar_answers_304_to_its_own_tag_and_a_new_tag_after_an_edit(london: Instance) -> None:
    created = await publish(london)
    first = await london.client.get("/calendar.ics")
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('W/"public-')
    assert first.headers["cache-control"] == "no-cache"
    assert {"Cookie", "Signature"} <= {name.strip() for name in first.headers["vary"].split(",")}

    again = await london.client.get("/calendar.ics", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b"" and again.headers["etag"] == tag
    assert "content-length" not in again.headers or again.headers["content-length"] == "0"

    edited = await london.client.patch(f"/api/v1/events/{created['id']}", json={"title": "Monthly assembly"},
                                       headers=await facilitator(london))
    assert edited.status_code == 200, edited.text
    after = await london.client.get("/calendar.ics", headers={"If-None-Match": tag})
    assert after.status_code == 200
    assert b"Monthly assembly" in after.content and after.headers["etag"] != tag


async def test_a_members_calendar_tag_never_answers_304_to_anyone_else(london: Instance) -> None:
    await publish(london)
    await publish(london, title="Members' strategy meeting", visibility="members")
    await bearer(london, "mia", Role.MEMBER)
    anonymous = await london.client.get("/calendar.ics")
    await log_in(london.client, "mia", PASSWORD)
    members = await london.client.get("/calendar.ics")
    assert b"strategy meeting" in members.content and b"strategy meeting" not in anonymous.content
    assert members.headers["etag"].startswith('W/"members-')
    assert members.headers["cache-control"] == "private, no-cache"
    assert members.headers["etag"] != anonymous.headers["etag"]

    london.client.cookies.clear()
    # Someone without the session, sending the member's tag, gets the public calendar in full.
    leaked = await london.client.get("/calendar.ics", headers={"If-None-Match": members.headers["etag"]})
    assert leaked.status_code == 200
    assert b"strategy meeting" not in leaked.content
    assert leaked.headers["etag"] == anonymous.headers["etag"]


async def test_one_events_ics_has_last_modified_and_answers_if_modified_since(london: Instance) -> None:
    created = await publish(london)
    # Stored as edited a while ago: a date in the current second is no validator yet.
    await london.ctx.database.execute("UPDATE events SET updated_at = ? WHERE id = ?",
                                      ("2020-01-02T03:04:05Z", created["id"]))
    first = await london.client.get(created["ics"])
    assert first.status_code == 200
    modified = first.headers["last-modified"]
    assert parsedate_to_datetime(modified).year == 2020
    assert first.headers["etag"].startswith('W/"public-')

    since = await london.client.get(created["ics"], headers={"If-Modified-Since": modified})
    assert since.status_code == 304 and since.content == b""
    by_tag = await london.client.get(created["ics"], headers={"If-None-Match": first.headers["etag"]})
    assert by_tag.status_code == 304 and by_tag.content == b""

    edited = await london.client.patch(f"/api/v1/events/{created['id']}", json={"title": "Moved meeting"},
                                       headers=await facilitator(london))
    assert edited.status_code == 200, edited.text
    after = await london.client.get(created["ics"], headers={"If-Modified-Since": modified,
                                                             "If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and b"Moved meeting" in after.content
    assert after.headers["etag"] != first.headers["etag"]


async def test_an_unreadable_if_modified_since_is_ignored(london: Instance) -> None:
    created = await publish(london)
    answer = await london.client.get(created["ics"], headers={"If-Modified-Since": "yesterday-ish"})
    assert answer.status_code == 200 and b"BEGIN:VCALENDAR" in answer.content


async def test_the_atom_feed_answers_304_until_a_new_post(london: Instance) -> None:
    writer = await bearer(london, "sam", Role.SECRETARY)
    made = await london.client.post("/api/v1/posts", json={"title": "Hello", "body": "First news."}, headers=writer)
    assert made.status_code == 201, made.text
    first = await london.client.get("/feed.atom")
    tag = first.headers["etag"]
    assert (await london.client.get("/feed.atom", headers={"If-None-Match": f'"x", {tag}'})).status_code == 304
    made = await london.client.post("/api/v1/posts", json={"title": "Again", "body": "More news."}, headers=writer)
    assert made.status_code == 201, made.text
    after = await london.client.get("/feed.atom", headers={"If-None-Match": tag})
    assert after.status_code == 200 and "Again" in after.text


async def test_a_stale_if_modified_since_gets_the_calendar(london: Instance) -> None:
    created = await publish(london)
    await london.ctx.database.execute("UPDATE events SET updated_at = ? WHERE id = ?",
                                      ("2020-01-02T03:04:05Z", created["id"]))
    older = format_datetime(parsedate_to_datetime("Wed, 01 Jan 2020 00:00:00 GMT"), usegmt=True)
    answer = await london.client.get(created["ics"], headers={"If-Modified-Since": older})
    assert answer.status_code == 200 and b"BEGIN:VCALENDAR" in answer.content
