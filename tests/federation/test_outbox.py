"""The outbox as a backfilling server reads it: each live object once, in its
current version, nothing about a deleted one (issue 14, item 1)."""
from __future__ import annotations

from typing import Any

from tests.support.instances import Instance

AP = {"Accept": "application/activity+json"}


async def _publish(london: Instance, kind: str, object_id: str, content: str | None = None) -> str:
    activity_id = london.ctx.federation.outbound.new_activity_id()
    obj: dict[str, Any] = ({"id": object_id, "type": "Tombstone", "formerType": "Note"} if kind == "Delete"
                           else {"id": object_id, "type": "Note", "content": content})
    group = await london.ctx.chapter_actor()
    await london.ctx.repos.outbox.add(group.id, {"id": activity_id, "type": kind, "object": obj}, public=True)
    return activity_id


async def _outbox(london: Instance) -> tuple[int, list[dict[str, Any]]]:
    collection = (await london.client.get("/actors/london/outbox", headers=AP)).json()
    page = (await london.client.get("/actors/london/outbox?page=1", headers=AP)).json()
    return collection["totalItems"], page["orderedItems"]


async def test_an_edited_object_shows_once_as_its_create_with_the_current_version(london: Instance) -> None:
    note = london.ctx.urls.post("n1")
    create = await _publish(london, "Create", note, "Assembly on Tuesday")
    await _publish(london, "Update", note, "Assembly on Wednesday")
    update = await _publish(london, "Update", note, "Assembly on Thursday")

    total, items = await _outbox(london)

    assert total == 1
    assert [(item["type"], item["object"]["content"]) for item in items] == [("Create", "Assembly on Thursday")]
    # The Create served at its id is current too; the Update is still served at its own.
    served = await london.client.get(create.removeprefix(london.settings.base_url), headers=AP)
    assert served.json()["object"]["content"] == "Assembly on Thursday"
    assert (await london.client.get(update.removeprefix(london.settings.base_url), headers=AP)).status_code == 200


async def test_a_deleted_object_leaves_the_outbox_entirely(london: Instance) -> None:
    await _publish(london, "Create", london.ctx.urls.post("kept"), "Still on")
    gone = london.ctx.urls.post("gone")
    stale_create = await _publish(london, "Create", gone, "Picnic")
    await _publish(london, "Update", gone, "Picnic, moved")

    await _publish(london, "Delete", gone)

    total, items = await _outbox(london)
    assert total == 1
    assert [item["object"]["content"] for item in items] == ["Still on"]
    served = await london.client.get(stale_create.removeprefix(london.settings.base_url), headers=AP)
    assert served.status_code == 404


async def test_an_update_of_something_never_created_here_is_listed_once(london: Instance) -> None:
    profile = london.ctx.urls.actor("london")
    await _publish(london, "Update", profile, "first")
    await _publish(london, "Update", profile, "second")

    total, items = await _outbox(london)

    assert total == 1 and items[0]["type"] == "Update" and items[0]["object"]["content"] == "second"
