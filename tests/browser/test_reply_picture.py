"""A remote reply's picture in a real browser: a stand-in Mastodon server on
127.0.0.1 delivers a signed Create(Note) replying to the chapter's public
minutes, with an image attachment; the chapter copies the picture (through
its address guard, re-encoded) and the minutes page shows our copy, from our
own host, described by the attachment's name, never the peer's URL. The page
passes axe-core."""
from __future__ import annotations

import time

import httpx
from playwright.sync_api import Browser, expect
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.browser.conftest import Server
from tests.browser.pages import check_page, new_page
from tests.support.media import jpeg
from tests.support.standin_peer import running_peer

ALT = "Our banner at the tenants' union rally"
AS2 = {"Accept": "application/activity+json"}
PROCESSING_SECONDS = 30


def test_a_remote_replys_picture_is_shown_from_our_copy(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    page.goto("/minutes")
    href = page.get_by_role("link", name="General meeting").first.get_attribute("href")
    assert href
    minutes_path = href.removeprefix(server.base_url)
    minutes = httpx.get(server.base_url + minutes_path, headers=AS2, timeout=10).json()

    with running_peer() as peer:
        picture = jpeg(960, 640, exif_text="Where Alice lives")

        async def media(request: Request) -> Response:
            return Response(picture, media_type="image/jpeg")

        peer.app.router.routes.append(Route("/system/{name}", media))
        banner = f"{peer.base_url}/system/banner.jpg"
        peer.add_account("alice")
        note = peer.note("alice", minutes["id"], content="<p>We were there with the banner!</p>",
                         attachment=[{"type": "Document", "mediaType": "image/jpeg", "url": banner,
                                      "name": ALT, "blurhash": "LEHV6nWB2yk8", "width": 960, "height": 640}])
        reply = peer.activity("alice", "Create", note)
        assert peer.send("alice", reply, f"{server.base_url}/inbox").status_code == 202

        # The inbox worker takes the reply and copies the picture while the peer still serves it.
        image = page.get_by_role("img", name=ALT)
        deadline = time.monotonic() + PROCESSING_SECONDS
        page.goto(minutes_path)
        while image.count() == 0 and time.monotonic() < deadline:
            page.wait_for_timeout(250)
            page.goto(minutes_path)
    expect(page.get_by_text("We were there with the banner!")).to_be_visible()
    expect(image).to_be_visible()
    source = image.evaluate("img => img.src")
    assert source.startswith(f"{server.base_url}/media/"), source
    assert banner not in page.content()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    copy = page.request.get(source)
    assert copy.headers["content-type"] == "image/jpeg" and b"Where Alice lives" not in copy.body()
    check_page(page, minutes_path, "reply-picture")
