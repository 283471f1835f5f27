"""Media rows round trip (SQLite or PostgreSQL), and the media folder takes
only the keys we make: nothing can be written or read outside it."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from fedchapter.media.model import MediaFile, MediaKind, MediaOwner, MediaRole, OwnerKind
from storage.media import MediaRepository
from storage.media_files import LocalMediaFiles
from storage.migrations import open_database
from tests.support.postgres import database_for

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
EVENT = MediaOwner(OwnerKind.EVENT, "ev1")


def picture(media_id: str, owner: MediaOwner = EVENT, **changes: object) -> MediaFile:
    fields: dict[str, object] = dict(
        id=media_id, kind=MediaKind.IMAGE, owner=owner, role=MediaRole.POSTER, media_type="image/jpeg",
        name="A banner", width=1280, height=720, blurhash="LEHV6nWB2yk8", variants=("320.jpg", "1280.jpg"),
        size=1234, created_at=NOW,
    )
    fields.update(changes)
    return MediaFile(**fields)  # type: ignore[arg-type]


async def test_media_rows_round_trip(tmp_path: Path) -> None:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    try:
        repository = MediaRepository(database)
        await repository.add(picture("m1"))
        remote = MediaOwner(OwnerKind.COMMENT, "https://masto.test/statuses/1")
        await repository.add(picture("m2", remote, role=MediaRole.ATTACHMENT, source_url="https://masto.test/a.jpg"))
        assert await repository.get("m1") == picture("m1")
        assert [m.id for m in await repository.of_owner(EVENT)] == ["m1"]
        assert [m.id for m in await repository.of_owners(OwnerKind.COMMENT, [remote.id, "other"])] == ["m2"]
        found = await repository.by_source("https://masto.test/a.jpg")
        assert found is not None and found.owner == remote
        assert await repository.delete("m1") and await repository.get("m1") is None
    finally:
        await database.close()


async def test_the_folder_takes_only_our_keys(tmp_path: Path) -> None:
    files = LocalMediaFiles(tmp_path / "media")
    await files.put("m1/640.jpg", b"jpeg")
    assert await files.get("m1/640.jpg") == b"jpeg"
    assert await files.get("m1/320.jpg") is None
    for bad in ("../outside.jpg", "m1/../../x.jpg", "/etc/passwd", "m1/640.jpg/x"):
        with pytest.raises(ValueError):
            await files.put(bad, b"x")
    with pytest.raises(ValueError):
        await files.remove("..")
    await files.remove("m1")
    assert not (tmp_path / "media" / "m1").exists() and not (tmp_path / "outside.jpg").exists()


async def _comment(database: object, ap_id: str, state: str) -> None:
    await database.execute(  # type: ignore[attr-defined]
        "INSERT INTO comments (id, ap_id, target, in_reply_to, author_actor_id, author_name, author_url,"
        " author_handle, content_html, state, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ap_id.rsplit("/", 1)[1], ap_id, "https://ours.test/minutes/1", "https://ours.test/minutes/1",
         "https://masto.test/users/a", "A", "https://masto.test/@a", "@a@masto.test", "<p>hi</p>", state,
         NOW.isoformat()),
    )


async def test_orphans_are_the_files_whose_owner_is_gone(tmp_path: Path) -> None:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    try:
        repository = MediaRepository(database)
        for state in ("visible", "hidden", "deleted"):
            await _comment(database, f"https://masto.test/statuses/{state}", state)
            owner = MediaOwner(OwnerKind.COMMENT, f"https://masto.test/statuses/{state}")
            await repository.add(picture(f"c-{state}", owner, role=MediaRole.ATTACHMENT))
        await repository.add(picture("gone-event"))  # no event ev1
        remote_event = MediaOwner(OwnerKind.REMOTE_EVENT, "https://mobilizon.test/e/1")
        await repository.add(picture("gone-remote", remote_event, role=MediaRole.ATTACHMENT))
        assert sorted(m.id for m in await repository.orphans(10)) == ["c-deleted", "gone-event", "gone-remote"]
        assert [m.id for m in await repository.orphans(1)] == ["c-deleted"]
        assert not await repository.delete_orphan("c-visible") and not await repository.delete_orphan("c-hidden")
        assert await repository.delete_orphan("gone-event") and await repository.get("gone-event") is None
        assert await repository.rename("c-visible", "A new description")
        renamed = await repository.get("c-visible")
        assert renamed is not None and renamed.name == "A new description"
    finally:
        await database.close()
