"""FEP-7888: an object's `context` is its thread, served as a collection that
servers can fetch (issue 14, item 2); a 410 Tombstone names its formerType."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.web.test_minutes_pages import AS2, bearer


async def test_an_events_context_lists_the_thread(london: Instance) -> None:
    facilitator = await bearer(london, "fay", Role.FACILITATOR)
    event = (await london.client.post("/api/v1/events", json={
        "title": "General meeting", "start": "2030-10-14T18:30", "end": "2030-10-14T20:30",
        "timezone": "Europe/London", "visibility": "public",
    }, headers=facilitator)).json()
    comment = (await london.client.post("/api/v1/comments", json={
        "object": event["ap_id"], "content": "I'll bring the banner", "summary": "Logistics",
    }, headers=facilitator)).json()
    document = (await london.client.get(event["ap_id"], headers=AS2)).json()
    assert document["context"] == document["conversation"] == event["ap_id"] + "/context"
    assert document["attachment"] == []

    collection = (await london.client.get(document["context"], headers=AS2)).json()
    page = (await london.client.get(collection["first"], headers=AS2)).json()

    assert (collection["type"], collection["totalItems"]) == ("OrderedCollection", 2)
    assert page["orderedItems"] == [event["ap_id"], comment["ap_id"]]
    note = (await london.client.get(comment["ap_id"], headers=AS2)).json()
    assert note["context"] == document["context"]
    assert (note["sensitive"], note["summary"]) == (True, "Logistics")
    assert (comment["sensitive"], comment["summary"]) == (True, "Logistics")
    # People are sent to the thread on the page.
    html = await london.client.get(document["context"], follow_redirects=False)
    assert html.status_code == 303 and html.headers["location"].endswith("#comments")


async def test_a_deleted_objects_tombstone_names_its_former_type(london: Instance) -> None:
    facilitator = await bearer(london, "fay", Role.FACILITATOR)
    comment_target = (await london.client.post("/api/v1/events", json={
        "title": "Picnic", "start": "2030-10-14T12:00", "end": "2030-10-14T14:00",
        "timezone": "Europe/London", "visibility": "public",
    }, headers=facilitator)).json()
    comment = (await london.client.post("/api/v1/comments", json={
        "object": comment_target["ap_id"], "content": "Oops"}, headers=facilitator)).json()
    assert (await london.client.delete(f"/api/v1/comments/{comment['id']}", headers=facilitator)).status_code < 300
    gone = await london.client.get(comment["ap_id"], headers=AS2)
    assert gone.status_code == 410
    assert (gone.json()["type"], gone.json()["formerType"]) == ("Tombstone", "Note")
