"""Real activities as Mastodon, Mobilizon, Gancio and Lemmy send them, through
the inbox worker and its handlers. The signature layer is tested in
tests/web/test_inbox.py; here rows are stored as the intake would store them."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fedchapter.actors import RemoteActor
from fedchapter.clock import utc_now
from federation.inbox.activity import ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.dispatch import InboxDispatch, ObjectKind
from federation.inbox.worker import InboxWorker
from tests.support.instances import Instance, Network
from tests.support.receivers import RecordingReceiver

FIXTURES = Path(__file__).parents[2] / "fixtures" / "activities"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
async def quiet_london(net: Network) -> Instance:
    """London with its workers stopped: each test drives the inbox worker itself."""
    return await net.chapter("london", run_workers=False)


async def remember(instance: Instance, actor_id: str, *, shared_inbox: str | None = None) -> RemoteActor:
    actor = RemoteActor(id=actor_id, type="Person", inbox=actor_id + "/inbox", public_key_id=actor_id + "#main-key",
                        public_key_pem="unused here", fetched_at=utc_now(), shared_inbox=shared_inbox)
    await instance.ctx.repos.remote_actors.save(actor)
    return actor


def with_receiver(instance: Instance, kind: ObjectKind, receiver: RecordingReceiver) -> InboxDispatch:
    """The chapter's dispatch table with one kind of object going to ``receiver``."""
    dispatch = instance.ctx.inbox.context.dispatch
    return replace(dispatch, objects={**dispatch.objects, kind: receiver})


async def receive(
    instance: Instance, activity: dict[str, Any], dispatch: InboxDispatch | None = None
) -> tuple[str, str | None]:
    """Store the activity as the intake would and run the inbox worker once
    (with another dispatch table where a test gives one)."""
    actor = activity["actor"] if isinstance(activity["actor"], str) else activity["actor"]["id"]
    await instance.ctx.repos.inbox.store(activity, activity_id=activity["id"], actor_id=actor,
                                         type=activity["type"], local_actor_id=None, now=utc_now())
    worker = instance.ctx.inbox.worker
    if dispatch is not None:
        worker = InboxWorker(replace(instance.ctx.inbox.context, dispatch=dispatch), instance.ctx.repos.inbox)
    await worker.run_once()
    row = await instance.ctx.repos.inbox.by_activity_id(activity["id"])
    assert row is not None
    return row.state, row.error


async def group_id(instance: Instance) -> int:
    return (await instance.ctx.chapter()).actor_id


@pytest.mark.parametrize(("name", "shared_inbox"), [
    ("mastodon_follow.json", "https://social.tcit.fr/inbox"),
    ("lemmy_follow.json", None),
])
async def test_a_follow_is_accepted_at_once(quiet_london: Instance, name: str, shared_inbox: str | None) -> None:
    follow = fixture(name)
    follow["object"] = quiet_london.ctx.urls.actor("london")
    follower = await remember(quiet_london, follow["actor"], shared_inbox=shared_inbox)
    assert await receive(quiet_london, follow) == ("done", None)
    row = await quiet_london.ctx.repos.followers.get(await group_id(quiet_london), follower.id)
    assert row is not None and (row.state, row.follow_activity_id) == ("accepted", follow["id"])
    accept_row = await quiet_london.ctx.database.fetchone(
        "SELECT o.payload, d.target FROM outbox o JOIN deliveries d USING (activity_id) WHERE o.type = 'Accept'")
    accept = json.loads(accept_row["payload"])
    assert accept["object"]["id"] == follow["id"] and accept["actor"] == quiet_london.ctx.urls.actor("london")
    assert accept_row["target"] == follower.delivery_inbox


@pytest.mark.parametrize("name", ["mastodon_undo_follow.json", "lemmy_undo_follow.json"])
async def test_undo_follow_removes_the_follower(quiet_london: Instance, name: str) -> None:
    undo = fixture(name)
    undo["object"]["object"] = quiet_london.ctx.urls.actor("london")
    await quiet_london.ctx.repos.followers.upsert(
        await group_id(quiet_london), actor_id=undo["actor"], inbox=undo["actor"] + "/inbox", shared_inbox=None,
        follow_activity_id=undo["object"]["id"], state="accepted")
    assert await receive(quiet_london, undo) == ("done", None)
    assert await quiet_london.ctx.repos.followers.count(await group_id(quiet_london)) == 0


@pytest.mark.parametrize("name", ["lemmy_accept_follow.json", "mobilizon_accept_follow.json"])
async def test_accept_settles_the_follow_we_sent(quiet_london: Instance, name: str) -> None:
    accept = fixture(name)
    group = await group_id(quiet_london)
    await quiet_london.ctx.repos.following.add(group, accept["actor"], accept["object"]["id"])
    assert await receive(quiet_london, accept) == ("done", None)
    assert await quiet_london.ctx.repos.following.is_following(group, accept["actor"])


async def test_an_accept_from_someone_else_settles_nothing(quiet_london: Instance) -> None:
    accept = fixture("lemmy_accept_follow.json")
    group = await group_id(quiet_london)
    await quiet_london.ctx.repos.following.add(group, "http://other.example/c/main", accept["object"]["id"])
    state, _ = await receive(quiet_london, accept)
    assert state == "ignored"
    assert not await quiet_london.ctx.repos.following.is_following(group, "http://other.example/c/main")


@pytest.mark.parametrize(("name", "kind"), [
    ("mastodon_create_note.json", ObjectKind.COMMENT), ("gancio_create_event.json", ObjectKind.EVENT),
])
async def test_create_goes_to_the_receiver_of_its_kind(quiet_london: Instance, name: str, kind: ObjectKind) -> None:
    recorder = RecordingReceiver()
    create = fixture(name)
    assert await receive(quiet_london, create, with_receiver(quiet_london, kind, recorder)) == ("done", None)
    assert [obj["id"] for obj in recorder.created] == [create["object"]["id"]]


async def test_create_of_a_kind_nobody_takes_is_ignored(quiet_london: Instance) -> None:
    dispatch = quiet_london.ctx.inbox.context.dispatch
    without_events = replace(dispatch, objects={
        kind: receiver for kind, receiver in dispatch.objects.items() if kind is not ObjectKind.EVENT})
    state, error = await receive(quiet_london, fixture("gancio_create_event.json"), without_events)
    assert state == "ignored" and "Event" in (error or "")


async def test_an_object_of_another_host_is_fetched_from_its_origin_or_dropped(quiet_london: Instance) -> None:
    recorder = RecordingReceiver()
    forged = fixture("mastodon_create_note.json")
    forged["object"]["id"] = "https://mamot.fr/users/retiolus/statuses/1"  # words put in mamot.fr's mouth
    state, error = await receive(quiet_london, forged, with_receiver(quiet_london, ObjectKind.COMMENT, recorder))
    assert state == "ignored" and "origin" in (error or "")
    assert recorder.created == []


async def test_announce_fetches_the_boosted_object_from_its_origin(quiet_london: Instance) -> None:
    state, error = await receive(quiet_london, fixture("mastodon_announce.json"))
    assert state == "ignored" and "could not fetch" in (error or "")


async def test_lemmy_announce_of_a_create_hands_the_inner_page_on_as_a_comment(quiet_london: Instance) -> None:
    recorder = RecordingReceiver()
    announce = fixture("lemmy_announce_create_page.json")
    announce["object"]["object"]["inReplyTo"] = quiet_london.ctx.urls.post("abc")
    dispatch = with_receiver(quiet_london, ObjectKind.COMMENT, recorder)
    assert await receive(quiet_london, announce, dispatch) == ("done", None)
    assert [obj["id"] for obj in recorder.created] == ["http://enterprise.lemmy.ml/post/7"]


@pytest.mark.parametrize(("name", "object_id"), [
    ("mastodon_delete_tombstone.json", "http://mastodon.example.org/users/gargron/statuses/99620895606148759"),
    ("lemmy_delete_page.json", "http://ds9.lemmy.ml/post/1"),
])
async def test_delete_reaches_the_receivers(quiet_london: Instance, name: str, object_id: str) -> None:
    recorder = RecordingReceiver()
    dispatch = replace(quiet_london.ctx.inbox.context.dispatch, objects={kind: recorder for kind in ObjectKind})
    assert await receive(quiet_london, fixture(name), dispatch) == ("done", None)
    assert recorder.deleted == [object_id]


async def test_an_account_deleting_itself_stops_following(quiet_london: Instance) -> None:
    delete = fixture("mastodon_delete_user.json")
    await quiet_london.ctx.repos.followers.upsert(
        await group_id(quiet_london), actor_id=delete["actor"], inbox=delete["actor"] + "/inbox", shared_inbox=None,
        follow_activity_id="https://framapiaf.org/f/1", state="accepted")
    assert await receive(quiet_london, delete) == ("done", None)
    assert await quiet_london.ctx.repos.followers.count(await group_id(quiet_london)) == 0


async def test_a_failing_handler_marks_its_row_failed_and_the_worker_goes_on(quiet_london: Instance) -> None:
    async def broken(ctx: InboxContext, activity: ReceivedActivity) -> None:
        raise KeyError("boom")

    dispatch = quiet_london.ctx.inbox.context.dispatch
    dispatch = replace(dispatch, activities={**dispatch.activities, "Like": broken})
    like = {"id": "https://masto.example/likes/1", "type": "Like", "actor": "https://masto.example/users/a",
            "object": quiet_london.ctx.urls.absolute("/events/1")}
    state, error = await receive(quiet_london, like, dispatch)
    assert state == "failed" and "KeyError" in (error or "")
    assert await receive(quiet_london, fixture("mastodon_delete_user.json"), dispatch) == ("done", None)


async def test_a_blocked_actors_stored_activity_is_ignored(quiet_london: Instance) -> None:
    follow = fixture("mastodon_follow.json")
    follow["object"] = quiet_london.ctx.urls.actor("london")
    await quiet_london.ctx.federation.blocks.block_domain("social.tcit.fr")
    state, error = await receive(quiet_london, follow)
    assert state == "ignored" and "blocked" in (error or "")
