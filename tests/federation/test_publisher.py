"""Publishing domain changes: the activity, its addressing, the outbox, the
deliveries (one per server), tombstones, and all of it in the caller's
transaction. A tiny domain object with its converter stands in for features."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from fedchapter.publishing import Change, Verb
from fedchapter.visibility import Visibility
from federation.inbox.dispatch import ObjectKind
from federation.inbox.table import build_inbox_dispatch
from federation.to_as.registry import ConversionContext, Converters
from federation.to_as.table import build_converters
from federation.vocabulary import PUBLIC
from tests.support.federation import follow, wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.receivers import RecordingReceiver


@dataclass(frozen=True)
class Notice:
    slug: str
    text: str


def notice_to_as(notice: Notice, ctx: ConversionContext) -> dict[str, Any]:
    # A reply, so that the receiving chapter's dispatch hands it to its comment receiver.
    return {"id": ctx.urls.post(notice.slug), "type": "Note", "content": notice.text,
            "attributedTo": ctx.actor_url, "inReplyTo": "https://elsewhere.example/notes/1"}


class FixedMembers:
    def __init__(self, *actor_ids: str) -> None:
        self.actor_ids = list(actor_ids)

    async def member_actor_ids(self) -> list[str]:
        return self.actor_ids


@pytest.fixture
def notice_converter() -> RecordingReceiver:
    """What the chapters of a test received as comments."""
    return RecordingReceiver()


@pytest.fixture
def net(net: Network, notice_converter: RecordingReceiver) -> Network:
    """Chapters that publish Notices (a stand-in feature) and record received ones."""
    converters = Converters({**build_converters().by_type, Notice: notice_to_as})
    dispatch = build_inbox_dispatch()
    dispatch = replace(dispatch, objects={**dispatch.objects, ObjectKind.COMMENT: notice_converter})
    start = net.chapter

    async def chapter(handle: str, **options: Any) -> Instance:
        return await start(handle, converters=converters, inbox_dispatch=dispatch, **options)

    net.chapter = chapter  # type: ignore[method-assign]
    return net


async def _deliveries(instance: Instance) -> list[tuple[str, str]]:
    rows = await instance.ctx.database.fetchall("SELECT activity_id, target FROM deliveries ORDER BY id")
    return [(row[0], row[1]) for row in rows]


async def test_a_public_change_reaches_followers(net: Network, notice_converter: RecordingReceiver) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    await follow(paris, london)
    await wait_until_drained(london, paris)

    await london.ctx.federation.publisher.publish(Change(Verb.CREATE, Notice("n1", "Assembly on Tuesday")))
    await wait_until_drained(london, paris)

    assert [obj["content"] for obj in notice_converter.created] == ["Assembly on Tuesday"]
    create = (await london.ctx.repos.outbox.public_page((await london.ctx.chapter()).actor_id, 5, 0))[0]
    assert (create["type"], create["to"], create["cc"]) == ("Create", [PUBLIC], [london.ctx.urls.followers("london")])
    assert create["object"]["to"] == [PUBLIC]
    # Peers can fetch the activity at its id.
    served = await paris.client.get(create["id"], headers={"Accept": "application/activity+json"})
    assert served.status_code == 200 and served.json()["id"] == create["id"]


async def test_followers_on_one_server_get_one_post(london: Instance) -> None:
    group_id = (await london.ctx.chapter()).actor_id
    for name in ("ana", "ben", "cleo"):
        await london.ctx.repos.followers.upsert(
            group_id, actor_id=f"https://masto.example/users/{name}", inbox=f"https://masto.example/users/{name}/inbox",
            shared_inbox="https://masto.example/inbox", follow_activity_id=f"https://masto.example/f/{name}",
            state="accepted",
        )
    await london.ctx.repos.followers.upsert(
        group_id, actor_id="https://gancio.example/u/g", inbox="https://gancio.example/u/g/inbox",
        shared_inbox=None, follow_activity_id="https://gancio.example/f/1", state="accepted",
    )
    await london.ctx.federation.publisher.publish(Change(Verb.CREATE, Notice("n2", "x")))
    targets = sorted(target for _, target in await _deliveries(london))
    assert targets == ["https://gancio.example/u/g/inbox", "https://masto.example/inbox"]


async def test_members_only_goes_to_members_never_followers(net: Network) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    rome = await net.chapter("rome", name="Rome Chapter", timezone="Europe/Rome")
    await follow(paris, london)
    await wait_until_drained(london, paris)
    rome_actor = rome.ctx.urls.actor("rome")
    london.ctx.federation.publisher.members = FixedMembers(rome_actor, london.ctx.urls.actor("admin"))
    await london.ctx.federation.publisher.publish(
        Change(Verb.CREATE, Notice("n3", "minutes"), visibility=Visibility.MEMBERS))
    activity_id, target = (await _deliveries(london))[-1]
    assert target == rome_actor  # resolved by the worker; local members are not posted to
    activity = await london.ctx.repos.outbox.by_id(activity_id)
    assert activity is not None and PUBLIC not in activity["to"] and activity["cc"] == []
    assert await london.ctx.repos.outbox.public_by_id(activity_id) is None
    served = await london.client.get(activity_id.removeprefix(london.settings.base_url))
    assert served.status_code == 404
    await wait_until_drained(london, paris, rome)
    assert await rome.ctx.repos.inbox.by_activity_id(activity_id) is not None
    assert await paris.ctx.repos.inbox.by_activity_id(activity_id) is None


async def test_delete_sends_a_tombstone_and_the_url_is_gone(net: Network, notice_converter: RecordingReceiver) -> None:
    london = await net.chapter("london")
    paris = await net.chapter("paris", name="Paris Chapter", timezone="Europe/Paris")
    await follow(paris, london)
    await wait_until_drained(london, paris)
    notice = Notice("n4", "to be withdrawn")
    await london.ctx.federation.publisher.publish(Change(Verb.DELETE, notice))
    await wait_until_drained(london, paris)
    url = london.ctx.urls.post("n4")
    assert await london.ctx.repos.tombstones.is_gone(url)
    # Sent and served at its id, but no longer in the outbox (servers backfill from it).
    activity_id, _ = (await _deliveries(london))[-1]
    delete = await london.ctx.repos.outbox.by_id(activity_id)
    assert delete is not None and delete["type"] == "Delete"
    assert await london.ctx.repos.outbox.public_page((await london.ctx.chapter()).actor_id, 1, 0) == []
    assert {key: delete["object"][key] for key in ("id", "type", "formerType")} == {
        "id": url, "type": "Tombstone", "formerType": "Note"}
    assert "deleted" in delete["object"]
    assert notice_converter.deleted == [url]


async def test_extra_recipients_are_addressed_and_delivered(net: Network) -> None:
    london = await net.chapter("london")
    rome = await net.chapter("rome", name="Rome Chapter", timezone="Europe/Rome")
    rome_actor = rome.ctx.urls.actor("rome")
    await london.ctx.federation.publisher.publish(Change(Verb.UPDATE, Notice("n5", "x"), recipients=(rome_actor,)))
    activity_id, target = (await _deliveries(london))[-1]
    activity = await london.ctx.repos.outbox.by_id(activity_id)
    assert activity is not None and activity["type"] == "Update" and rome_actor in activity["cc"]
    await wait_until_drained(london, rome)
    assert await rome.ctx.repos.inbox.by_activity_id(activity_id) is not None


async def test_nothing_is_stored_when_the_callers_transaction_fails(london: Instance) -> None:
    with pytest.raises(RuntimeError):
        async with london.ctx.database.transaction():
            await london.ctx.federation.publisher.publish(
                Change(Verb.CREATE, Notice("n6", "x"), recipients=("https://peer.example/users/a",)))
            raise RuntimeError("the feature's own write failed")
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outbox") == 0
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM deliveries") == 0


async def test_an_unregistered_type_is_a_clear_error(london: Instance) -> None:
    with pytest.raises(LookupError, match="no ActivityStreams converter"):
        await london.ctx.federation.publisher.publish(Change(Verb.CREATE, object()))
