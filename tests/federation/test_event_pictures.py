"""An event's poster on the fediverse: followers receive it as the Event's
`image` and in its `attachment` (Image with mediaType, name, width, height,
blurhash); a following chapter shows the poster from its own copy, fetched
once through the address guard and re-encoded, never hot-linked."""
from __future__ import annotations

from fedchapter.media.model import MediaOwner, MediaRole, OwnerKind
from fedchapter.readers import Reader
from tests.federation.mastodon_peer import eventually
from tests.federation.test_events_federation import publish
from tests.federation.test_minutes_federation import followed_by_alice
from tests.support.federation import follow, wait_until_drained
from tests.support.instances import Instance, Network
from tests.support.media import jpeg

ORGANISER = Reader(is_member=True)
ALT = "Poster: a green bicycle and the date"


async def _poster(london: Instance, event_id: str) -> None:
    await london.ctx.media.add_image(MediaOwner(OwnerKind.EVENT, event_id), MediaRole.POSTER, jpeg(900, 1200),
                                     alt=ALT, reader=ORGANISER)


async def test_a_follower_receives_the_poster_as_image_and_attachment(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    created = await publish(london)
    await _poster(london, created["id"])
    await eventually(lambda: [u for u in peer.activities("Update", "Event") if "image" in u["object"]],
                     "the Update with the poster reaches the follower")
    event = [u for u in peer.activities("Update", "Event") if "image" in u["object"]][-1]["object"]
    image = event["image"]
    assert image["type"] == "Image" and image["mediaType"] == "image/jpeg" and image["name"] == ALT
    assert (image["width"], image["height"]) == (900, 1200) and len(image["blurhash"]) >= 6
    assert image["url"].startswith("http://london.test/media/")
    assert event["attachment"] == [image]


async def test_a_following_chapter_shows_its_own_copy_of_the_poster(net: Network, london: Instance) -> None:
    vienna = await net.chapter("vienna", name="Vienna Chapter", timezone="Europe/Vienna")
    await follow(vienna, london)
    await wait_until_drained(london, vienna)
    created = await publish(london, title="Bike ride")
    await _poster(london, created["id"])
    await wait_until_drained(london, vienna)
    rows = await vienna.ctx.database.fetchall("SELECT owner_kind, owner_id, source_url, name FROM media")
    [(kind, owner, source, name)] = [tuple(row) for row in rows]
    assert (kind, owner, name) == ("remote_event", created["ap_id"], ALT)
    assert source.startswith("http://london.test/media/")
    page = (await vienna.client.get("/events/network")).text
    assert 'class="card-picture" src="/media/' in page and f'alt="{ALT}"' in page
    assert "london.test/media" not in page


async def test_a_series_shows_its_picture_once_in_the_network_calendar(net: Network, london: Instance) -> None:
    created = await publish(london, title="Weekly call", rrule="FREQ=WEEKLY;COUNT=4")
    await _poster(london, created["id"])
    page = (await london.client.get("/events/network")).text
    assert page.count("Weekly call") == 4 and page.count('class="card-picture"') == 1
