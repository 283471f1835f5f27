"""Events on the fediverse: Create(Event) to a Mastodon-like follower with
the FEP-8a8e and Mobilizon fields; RSVPs from remote actors (Join answered
by Accept or Reject, Leave, Like as "interested", Undo) with the counts going
out in Update(Event); edits, cancellation and deletion; and a chapter that
follows another showing its events in the network calendar."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from federation.vocabulary import PUBLIC
from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.federation.test_minutes_federation import followed_by_alice
from tests.support.federation import follow, wait_until_drained
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance, Network

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "events"
LONDON_INBOX = "http://london.test/actors/london/inbox"
LONDON = "http://london.test/actors/london"
AS2 = {"Accept": "application/activity+json"}


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Tenants' union solidarity rally",
        "description": "Bring **banners**.",
        "start": f"{YEAR}-06-13T14:00",
        "end": f"{YEAR}-06-13T16:00",
        "timezone": "Europe/London",
        "location": {"name": "Parliament Square", "locality": "London", "postal_code": "SW1P 3BD",
                     "country": "UK", "lat": 51.5005, "lon": -0.1264},
        "capacity": 2,
        "category": "MOVEMENTS_POLITICS",
    }
    body.update(changes)
    return body


async def publish(instance: Instance, **changes: Any) -> dict[str, Any]:
    return await publish_event(instance, event_body(**changes))


def mobilizon_join(kind: str, actor: str, event_url: str, number: int = 1) -> dict[str, Any]:
    """Mobilizon's real Join (or Leave), from `actor`, aimed at our event."""
    activity: dict[str, Any] = json.loads((FIXTURES / f"mobilizon-{kind}-activity.json").read_text())
    activity.pop("signature")
    activity.update(actor=actor, object=event_url, id=f"{actor}/{kind}/event/{number}")
    return activity


async def test_an_event_reaches_a_mastodon_follower_as_create_event(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    created = await publish(london)
    await eventually(lambda: peer.activities("Create", "Event"), "the event reaches the follower")
    create = peer.activities("Create", "Event")[0]
    event = create["object"]
    assert create["actor"] == LONDON and PUBLIC in create["to"]
    assert event["id"] == event["url"] == created["ap_id"]
    assert event["name"] == "Tenants' union solidarity rally"
    assert event["startTime"] == f"{YEAR}-06-13T14:00:00+01:00"
    assert event["endTime"] == f"{YEAR}-06-13T16:00:00+01:00"
    assert event["timezone"] == "Europe/London"
    # Mastodon shows only the name, the summary and the link.
    assert event["summary"].endswith(" 13 Jun 14:00 BST – Parliament Square, London")
    assert "<strong>banners</strong>" in event["content"]
    assert event["location"] == {
        "type": "Place", "name": "Parliament Square",
        "address": {"type": "PostalAddress", "addressLocality": "London", "postalCode": "SW1P 3BD",
                    "addressCountry": "UK"},
        "latitude": 51.5005, "longitude": -0.1264,
    }
    assert event["attributedTo"] == event["audience"] == LONDON
    assert event["joinMode"] == "free"
    assert event["maximumAttendeeCapacity"] == 2 and event["remainingAttendeeCapacity"] == 2
    assert event["participantCount"] == 0
    assert event["category"] == "MOVEMENTS_POLITICS"
    assert event["status"] == event["ical:status"] == "CONFIRMED"
    assert event["commentsEnabled"] is True and event["repliesModerationOption"] == "allow_all"
    assert event["inLanguage"] == "en"
    assert event["published"] and event["updated"]
    assert event["replies"]["id"] == f"{created['ap_id']}/replies"
    served = (await london.client.get(created["url"], headers=AS2)).json()
    assert served["type"] == "Event" and served["startTime"] == event["startTime"]


async def test_a_hybrid_event_with_a_meetup_point_has_a_location_array(net: Network, london: Instance) -> None:
    created = await publish(london, online_url="https://meet.example.org/rally",
                            meetup={"start": f"{YEAR}-06-13T13:00",
                                    "location": {"name": "Westminster tube station", "locality": "London"}})
    event = (await london.client.get(created["url"], headers=AS2)).json()
    place, online, meetup = event["location"]
    assert place["type"] == "Place" and place["name"] == "Parliament Square"
    assert online == {"type": "VirtualLocation", "name": "Online", "url": "https://meet.example.org/rally"}
    assert meetup["type"] == "Place" and meetup["name"] == "Meet-up: Westminster tube station, London 13:00"
    assert event["fc:meetup"]["startTime"] == f"{YEAR}-06-13T13:00:00+01:00"


async def test_a_join_from_a_remote_actor_gets_accept_and_the_count_goes_up(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    bob = peer.add_account("bob")
    created = await publish(london)
    join = mobilizon_join("join", bob, created["ap_id"])
    assert (await peer.send("bob", join, LONDON_INBOX)).status_code == 202
    assert await processed(london, join["id"]) == "done"
    await eventually(lambda: peer.activities("Accept", "Join"), "the Join is accepted")
    accept = peer.activities("Accept", "Join")[0]
    assert accept["actor"] == LONDON and accept["object"]["id"] == join["id"]
    assert accept["object"]["actor"] == bob and accept["to"] == [bob]
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 1
    await eventually(lambda: [u for u in peer.activities("Update", "Event") if u["object"]["participantCount"] == 1],
                     "the new count reaches the followers")
    served = (await london.client.get(created["url"], headers=AS2)).json()
    assert served["participantCount"] == 1 and served["remainingAttendeeCapacity"] == 1
    leave = mobilizon_join("leave", bob, created["ap_id"])
    await peer.send("bob", leave, LONDON_INBOX)
    assert await processed(london, leave["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 0


async def test_a_join_is_rejected_when_full_cancelled_or_members_only(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    names = ["ann", "ben", "cat", "dan", "eve"]
    actors = {name: peer.add_account(name) for name in names}
    full = await publish(london, capacity=1)
    for number, name in enumerate(["ann", "ben"], start=1):
        join = mobilizon_join("join", actors[name], full["ap_id"], number)
        await peer.send(name, join, LONDON_INBOX)
        assert await processed(london, join["id"]) == "done"
    cancelled = await publish(london, status="cancelled")
    members_only = await publish(london, visibility="members")
    for name, target in (("cat", cancelled), ("dan", members_only)):
        join = mobilizon_join("join", actors[name], target["ap_id"])
        await peer.send(name, join, LONDON_INBOX)
        assert await processed(london, join["id"]) == "done"
    await eventually(lambda: len(peer.activities("Reject", "Join")) == 3, "three Joins are rejected")
    rejected = {reject["object"]["actor"]: reject["summary"] for reject in peer.activities("Reject", "Join")}
    assert rejected == {actors["ben"]: "the event is full", actors["cat"]: "the event is cancelled",
                        actors["dan"]: "no such event"}
    assert [a["object"]["actor"] for a in peer.activities("Accept", "Join")] == [actors["ann"]]
    # Join of something that is not one of our events: recorded, not dropped silently.
    stray = mobilizon_join("join", actors["eve"], "http://london.test/minutes/nothing")
    await peer.send("eve", stray, LONDON_INBOX)
    assert await processed(london, stray["id"]) == "ignored"


async def test_a_like_counts_as_interested_and_undo_takes_it_back(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    carol = peer.add_account("carol")
    created = await publish(london)
    like = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{carol}#likes/1", "type": "Like",
            "actor": carol, "object": created["ap_id"]}
    await peer.send("carol", like, LONDON_INBOX)
    assert await processed(london, like["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["interested_count"] == 1
    undo = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{carol}#likes/1/undo", "type": "Undo",
            "actor": carol, "object": like}
    await peer.send("carol", undo, LONDON_INBOX)
    assert await processed(london, undo["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["interested_count"] == 0
    join = mobilizon_join("join", carol, created["ap_id"])
    await peer.send("carol", join, LONDON_INBOX)
    assert await processed(london, join["id"]) == "done"
    undo_join = {"id": f"{carol}#joins/1/undo", "type": "Undo", "actor": carol, "object": join}
    await peer.send("carol", undo_join, LONDON_INBOX)
    assert await processed(london, undo_join["id"]) == "done"
    assert (await london.client.get(f"/api/v1/events/{created['id']}")).json()["participant_count"] == 0


async def test_edits_cancellation_and_deletion_federate(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    created = await publish(london)
    headers = await facilitator(london)
    path = f"/api/v1/events/{created['id']}"
    await london.client.patch(path, json={"title": "Rally for the tenants' union"}, headers=headers)
    await eventually(lambda: [u for u in peer.activities("Update", "Event")
                              if u["object"]["name"] == "Rally for the tenants' union"], "the edit arrives")
    await london.client.post(f"{path}/cancel", headers=headers)
    await eventually(lambda: [u for u in peer.activities("Update", "Event") if u["object"]["status"] == "CANCELLED"],
                     "the cancellation arrives")
    cancelled = [u for u in peer.activities("Update", "Event") if u["object"]["status"] == "CANCELLED"][0]
    assert cancelled["object"]["summary"].startswith("Cancelled: ")
    await london.client.delete(path, headers=headers)
    await eventually(lambda: peer.activities("Delete", "Tombstone"), "the deletion arrives")
    tombstone = peer.activities("Delete", "Tombstone")[0]["object"]
    assert tombstone["id"] == created["ap_id"] and tombstone["formerType"] == "Event"
    gone = await london.client.get(created["url"], headers=AS2)
    assert gone.status_code == 410
    assert (await london.client.get(created["url"])).status_code == 410


async def test_members_only_events_never_reach_followers(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    await publish(london, visibility="members", title="Members' strategy meeting")
    await publish(london, title="Public rally")
    await eventually(lambda: peer.activities("Create", "Event"), "the public event arrives")
    await wait_until_drained(london)
    assert [c["object"]["name"] for c in peer.activities("Create", "Event")] == ["Public rally"]


async def test_a_following_chapter_shows_the_event_in_its_network_calendar(net: Network, london: Instance) -> None:
    vienna = await net.chapter("vienna", name="Vienna Chapter", timezone="Europe/Vienna")
    await follow(vienna, london)
    await wait_until_drained(london, vienna)
    created = await publish(london, title="International coordination call", location=None,
                            online_url="https://meet.example.org/call", start=f"{YEAR}-07-01T15:00",
                            end=f"{YEAR}-07-01T16:00", timezone="UTC", rrule="FREQ=WEEKLY;COUNT=4")
    await wait_until_drained(london, vienna)
    network = (await vienna.client.get("/api/v1/events?scope=network")).json()["items"]
    [item] = network
    assert item["ap_id"] == created["ap_id"]
    assert item["chapter"] == {"id": LONDON, "name": "London Chapter"}
    assert item["rrule"] == "FREQ=WEEKLY;COUNT=4"
    assert (await vienna.client.get("/api/v1/events?scope=local")).json()["items"] == []
    page = (await vienna.client.get("/events/network?tz=Europe/Vienna")).text
    assert "International coordination call" in page and "London Chapter" in page
    assert "17:00" in page  # 15:00 UTC is 17:00 in Vienna in July
    calendar = (await vienna.client.get("/network/calendar.ics")).text
    assert "International coordination call" in calendar and "RRULE:FREQ=WEEKLY;COUNT=4" in calendar
    headers = await facilitator(london)
    await london.client.patch(f"/api/v1/events/{created['id']}", json={"title": "Coordination call"},
                              headers=headers)
    await wait_until_drained(london, vienna)
    [item] = (await vienna.client.get("/api/v1/events?scope=network")).json()["items"]
    assert item["title"] == "Coordination call"
    await london.client.delete(f"/api/v1/events/{created['id']}", headers=headers)
    await wait_until_drained(london, vienna)
    assert (await vienna.client.get("/api/v1/events?scope=network")).json()["items"] == []


async def test_events_from_actors_not_followed_are_ignored(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net, host="mobilizon.test")
    organiser = peer.add_account("alicia")
    activity = json.loads((FIXTURES / "mobilizon-post-activity.json").read_text())
    obj = activity["object"]
    obj.update(id="http://mobilizon.test/events/1", url="http://mobilizon.test/events/1",
               attributedTo=organiser, startTime=f"{YEAR}-02-12T14:08:20Z")
    activity.update(actor=organiser, id="http://mobilizon.test/events/1/activity")
    await peer.send("alicia", activity, LONDON_INBOX)
    assert await processed(london, activity["id"]) == "ignored"
    # Once the chapter follows the organiser, the same event is kept.
    chapter = await london.ctx.chapter_actor()
    await london.ctx.repos.following.add(chapter.id, organiser, "http://london.test/activities/f1")
    await london.ctx.repos.following.set_state(chapter.id, organiser, "accepted")
    activity["id"] = "http://mobilizon.test/events/1/activity-2"
    await peer.send("alicia", activity, LONDON_INBOX)
    assert await processed(london, activity["id"]) == "done"
    [item] = (await london.client.get("/api/v1/events?scope=network")).json()["items"]
    assert item["title"] == "My first event"
    assert item["location"]["street"] == "10 Rue Jangot"
    assert item["category"] == "MEETING"
    assert item["end_utc"] == f"{YEAR}-02-12T15:08:20Z"  # no endTime: an hour is assumed
