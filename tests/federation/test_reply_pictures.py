"""A remote reply's pictures are copied when the reply arrives: fetched from
the sender's server (through the address guard, size-limited), re-encoded,
and shown from our own /media URLs, never hot-linked. What is not a picture
stays a plain link, and the reply is kept either way."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.federation.mastodon_peer import processed
from tests.federation.test_minutes_federation import LONDON_INBOX, followed_by_alice, mastodon_reply, publish
from tests.support.instances import Instance, Network
from tests.support.media import PHP_AS_JPG, jpeg


def _picture(url: str, name: str) -> dict[str, str]:
    return {"type": "Document", "mediaType": "image/jpeg", "url": url, "name": name, "blurhash": "LEHV6nWB2yk8"}


async def test_a_replys_picture_is_shown_from_our_copy(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    photo = jpeg(800, 600, exif_text="Alice's flat")

    async def media(request: Request) -> Response:
        name = request.path_params["name"]
        body = photo if name == "banner.jpg" else PHP_AS_JPG
        return Response(body, media_type="image/jpeg")

    peer.app.router.routes.append(Route("/system/{name}", media))
    minutes = await publish(london)
    banner, shell = f"http://{peer.host}/system/banner.jpg", f"http://{peer.host}/system/shell.jpg"
    reply = mastodon_reply(minutes["ap_id"], attachment=[
        _picture(banner, "Our banner at the march"), _picture(shell, "Not really a picture"),
        _picture("file:///etc/passwd", "A local file"),
    ])
    assert (await peer.send("alice", reply, LONDON_INBOX)).status_code == 202
    assert await processed(london, reply["id"]) == "done"

    page = (await london.client.get(f"/minutes/{minutes['id']}")).text
    assert 'alt="Our banner at the march"' in page and '<img src="/media/' in page
    assert f'src="{banner}"' not in page and "/etc/passwd" not in page
    assert f'href="{shell}"' in page  # refused as a picture: a link, as before
    rows = await london.ctx.database.fetchall("SELECT source_url, owner_kind, width FROM media")
    assert [tuple(row) for row in rows] == [(banner, "comment", 800)]
    copy = page.split('<img src="')[1].split('"')[0]
    served = await london.client.get(copy)
    assert served.headers["content-type"] == "image/jpeg" and b"Alice's flat" not in served.content


async def test_an_edited_reply_brings_its_new_pictures_and_drops_the_old_ones(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    fetched: list[str] = []

    async def media(request: Request) -> Response:
        fetched.append(request.path_params["name"])
        return Response(jpeg(640, 480), media_type="image/jpeg")

    peer.app.router.routes.append(Route("/system/{name}", media))
    minutes = await publish(london)
    page = f"/minutes/{minutes['id']}"
    kept, dropped, added = (f"http://{peer.host}/system/{name}.jpg" for name in ("kept", "dropped", "added"))
    reply = mastodon_reply(minutes["ap_id"], attachment=[_picture(kept, "The stall"), _picture(dropped, "A typo")])
    note = reply["object"]
    assert (await peer.send("alice", reply, LONDON_INBOX)).status_code == 202
    assert await processed(london, reply["id"]) == "done"
    assert 'alt="A typo"' in (await london.client.get(page)).text
    before = {row[0]: row[1] for row in await london.ctx.database.fetchall("SELECT source_url, id FROM media")}

    update = {"id": f"{note['id']}#updates/1", "type": "Update", "actor": note["attributedTo"],
              "object": {**note, "attachment": [_picture(kept, "Our stall at the fair"),
                                                _picture(added, "The banner")]}}
    assert (await peer.send("alice", update, LONDON_INBOX)).status_code == 202
    assert await processed(london, update["id"]) == "done"

    shown = (await london.client.get(page)).text
    assert 'alt="Our stall at the fair"' in shown and 'alt="The banner"' in shown
    assert "A typo" not in shown and 'alt="The stall"' not in shown
    after = {row[0]: row[1] for row in await london.ctx.database.fetchall("SELECT source_url, id FROM media")}
    assert set(after) == {kept, added}
    assert after[kept] == before[kept] and fetched.count("kept.jpg") == 1  # the same copy, not fetched again
    assert (await london.client.get(f"/media/{before[dropped]}/640.jpg")).status_code == 404
    assert not (london.settings.media_folder / before[dropped]).exists()
    assert (london.settings.media_folder / after[added]).is_dir()

    # Deleted by its author: the background sweep takes the copies (the row, then the bytes).
    delete = {"id": f"{note['id']}#delete", "type": "Delete", "actor": note["attributedTo"],
              "object": {"id": note["id"], "type": "Tombstone"}}
    assert (await peer.send("alice", delete, LONDON_INBOX)).status_code == 202
    assert await processed(london, delete["id"]) == "done"
    assert await london.ctx.media_sweeper.sweep() == 2
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM media") == 0
    assert [path for path in london.settings.media_folder.iterdir() if path.is_dir()] == []
