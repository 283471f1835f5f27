"""The files of deleted events, posts and minutes leave the media folder: the
background workers' sweep deletes the rows whose owner is gone, and only
after that commits removes their bytes. Files of owners still there stay,
and a row whose owner exists is never deleted by the sweep."""
from __future__ import annotations

from pathlib import Path

from fedchapter.media.model import MediaOwner, MediaRole, OwnerKind
from fedchapter.readers import Reader
from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import facilitator, publish_event
from tests.support.instances import Instance
from tests.support.media import jpeg, pdf
from tests.support.record import bearer, minutes_body

EDITOR = Reader(is_member=True, may_publish_minutes=True, may_publish_posts=True)


def _folders(london: Instance) -> set[str]:
    folder: Path = london.settings.media_folder
    return {path.name for path in folder.iterdir() if path.is_dir()} if folder.exists() else set()


async def _owners(london: Instance) -> list[tuple[str, str]]:
    rows = await london.ctx.database.fetchall("SELECT owner_kind, role FROM media ORDER BY owner_kind, role")
    return [tuple(row) for row in rows]


async def test_files_of_deleted_events_posts_and_minutes_are_swept(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    event = await publish_event(london, {"title": "March", "start": f"{YEAR}-05-01T12:00",
                                         "end": f"{YEAR}-05-01T15:00", "timezone": "Europe/London",
                                         "location": {"name": "Parliament Square", "locality": "London"}})
    minutes = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    posts = [(await london.client.post("/api/v1/posts", json={"title": title, "body": "Come!"},
                                       headers=secretary)).json() for title in ("Stall", "Kept")]
    media = london.ctx.media
    poster = await media.add_image(MediaOwner(OwnerKind.EVENT, event["id"]), MediaRole.POSTER, jpeg(),
                                   alt="A crowd", reader=EDITOR)
    paper = await media.add_document(MediaOwner(OwnerKind.EVENT, event["id"]), pdf(), title="Route",
                                     filename="route.pdf", reader=EDITOR)
    report = await media.add_document(MediaOwner(OwnerKind.MINUTES, minutes["id"]), pdf(), title="Report",
                                      filename="report.pdf", reader=EDITOR)
    photos = [await media.add_image(MediaOwner(OwnerKind.POST, post["id"]), MediaRole.PHOTO, jpeg(500, 500),
                                    alt="Our stall", reader=EDITOR) for post in posts]
    assert _folders(london) == {poster.id, paper.id, report.id, photos[0].id, photos[1].id}

    assert await london.ctx.media_sweeper.sweep() == 0  # every owner is there: nothing goes
    assert len(_folders(london)) == 5

    for path, headers in ((f"/api/v1/events/{event['id']}", await facilitator(london)),
                          (f"/api/v1/minutes/{minutes['id']}", secretary),
                          (f"/api/v1/posts/{posts[0]['id']}", secretary)):
        deleted = await london.client.delete(path, headers=headers)
        assert deleted.status_code in (200, 204), deleted.text
    assert await london.ctx.media_sweeper.sweep() == 4
    assert _folders(london) == {photos[1].id}
    assert await _owners(london) == [("post", "photo")]
    assert (await london.client.get(f"/media/{photos[1].id}/{photos[1].main_variant}")).status_code == 200
    assert await london.ctx.media_sweeper.sweep() == 0


async def test_the_sweep_never_deletes_a_row_whose_owner_exists(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    post = (await london.client.post("/api/v1/posts", json={"title": "Stall", "body": "Come!"},
                                     headers=secretary)).json()
    photo = await london.ctx.media.add_image(MediaOwner(OwnerKind.POST, post["id"]), MediaRole.PHOTO,
                                             jpeg(500, 500), alt="Our stall", reader=EDITOR)
    # Even a sweep that thinks the row is an orphan (its list read before the
    # owner came) deletes nothing: the DELETE checks the owner again.
    assert await london.ctx.repos.media.delete_orphan(photo.id) is False
    assert await _owners(london) == [("post", "photo")] and _folders(london) == {photo.id}
