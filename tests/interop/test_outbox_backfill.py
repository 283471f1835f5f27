"""A server that backfills from the chapter's outbox (signed GETs, page by
page, as Mastodon and Mobilizon do) sees each live object once, in its
current version, and nothing that was deleted."""

from __future__ import annotations

import pytest
from content import publish_event, publish_minutes

pytestmark = pytest.mark.interop


def backfill(peer, outbox_url: str, max_pages: int = 20) -> list[dict]:
    """Every item of the outbox, read through the peer's signed fetches."""
    collection = peer.fetch(outbox_url)["document"]
    items = list(collection.get("orderedItems") or collection.get("items") or [])
    page = collection.get("first")
    for _ in range(max_pages):
        if page is None:
            break
        document = page if isinstance(page, dict) and "orderedItems" in page \
            else peer.fetch(page if isinstance(page, str) else page["id"])["document"]
        items += document.get("orderedItems") or document.get("items") or []
        page = document.get("next")
    return items


def object_of(item) -> dict:
    """An outbox item's object: embedded in its Create (or the item itself)."""
    if isinstance(item, dict) and isinstance(item.get("object"), dict):
        return item["object"]
    return item if isinstance(item, dict) else {"id": item}


def test_backfill_shows_live_objects_once_and_no_deleted_one(peer, chapter):
    kept = publish_event(chapter, title=f"Backfilled meeting ({peer.kind})")
    edited = chapter.api.patch(f"events/{kept['id']}",
                               json={"title": f"Backfilled meeting, moved ({peer.kind})"})
    assert edited.status_code == 200, edited.text
    dropped_event = publish_event(chapter, title=f"Cancelled and deleted ({peer.kind})")
    dropped_minutes = publish_minutes(chapter, title=f"Minutes deleted ({peer.kind})")
    assert chapter.api.delete(f"events/{dropped_event['id']}").status_code in (200, 204)
    assert chapter.api.delete(f"minutes/{dropped_minutes['id']}").status_code in (200, 204)

    group = peer.fetch(chapter.actor)["document"]
    objects = [object_of(item) for item in backfill(peer, group["outbox"])]
    ids = [obj.get("id") for obj in objects]

    assert dropped_event["ap_id"] not in ids
    assert dropped_minutes["ap_id"] not in ids
    assert not [obj for obj in objects if obj.get("type") == "Tombstone"], objects
    assert ids.count(kept["ap_id"]) == 1, ids
    current = next(obj for obj in objects if obj.get("id") == kept["ap_id"])
    assert current["name"] == f"Backfilled meeting, moved ({peer.kind})"
    assert len(ids) == len(set(ids)), "an object appears more than once"
