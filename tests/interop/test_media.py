"""A peer following the chapter receives an event's poster as the Event's
`image` (and in its `attachment`) and a PDF on minutes as a `Document`
attachment, read by its own library: Fedify's vocabulary classes, bovine's
stored JSON-LD. The files are uploaded with the site's forms, as people do."""

from __future__ import annotations

import re

import httpx
import pytest
from chapter import ADMIN_PASSWORD, ADMIN_USERNAME
from content import as_list, publish_event, publish_minutes
from peerlib import verify

from tests.support.media import jpeg, pdf

pytestmark = pytest.mark.interop

ALT = "A hand-painted banner: Rent strike now"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(chapter) -> httpx.Client:
    """The admin's browser session on the chapter's site (the forms need one)."""
    client = httpx.Client(base_url=chapter.base, verify=verify(), trust_env=False, timeout=30.0)
    token = _CSRF.search(client.get("/login").text)
    assert token
    logged_in = client.post("/login", data={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD,
                                            "csrf_token": token.group(1)})
    assert logged_in.status_code == 303, logged_in.text
    yield client
    client.close()


def upload(site: httpx.Client, page: str, action: str, file: tuple[str, bytes, str], **fields: str) -> None:
    token = _CSRF.search(site.get(page).text)
    assert token, f"no form on {page}"
    answer = site.post(action, data={"csrf_token": token.group(1), **fields}, files={"file": file})
    assert answer.status_code == 303, answer.text


def _media(obj: dict, peer_kind: str) -> tuple[dict | None, list[dict]]:
    """(image, attachments) as the peer read them."""
    if peer_kind == "fedify":
        return obj.get("image"), obj.get("attachments") or []
    image = obj.get("image")
    return (image[0] if isinstance(image, list) else image), as_list(obj.get("attachment") or [])


def _url(value) -> str:
    return value if isinstance(value, str) else (value or {}).get("href", "")


def test_peer_receives_the_events_poster_as_its_image(peer, chapter, site):
    chapter.ensure_follower(peer)
    event = publish_event(chapter, title=f"Poster meeting ({peer.kind})")
    peer.wait_for(type="Create", object_id=event["ap_id"])
    since = peer.mark()
    page = f"/events/{event['id']}"
    upload(site, page, f"{page}/poster", ("poster.jpg", jpeg(1200, 800), "image/jpeg"), alt=ALT)
    got = peer.wait_for(type="Update", object_id=event["ap_id"], since=since,
                        match=lambda entry: _media(entry["object"] or {}, peer.kind)[0] is not None)
    assert got["parsed_ok"], got["error"]
    image, attachments = _media(got["object"], peer.kind)
    assert image["type"] == "Image" and image["mediaType"] == "image/jpeg" and image["name"] == ALT
    assert (int(image["width"]), int(image["height"])) == (1200, 800)
    assert _url(image["url"]).startswith(f"{chapter.base}/media/")
    assert [_url(item["url"]) for item in attachments] == [_url(image["url"])]
    served = httpx.get(_url(image["url"]), verify=verify(), trust_env=False)
    assert served.headers["content-type"] == "image/jpeg"


def test_peer_receives_a_minutes_document(peer, chapter, site):
    chapter.ensure_follower(peer)
    minutes = publish_minutes(chapter, title=f"Minutes with papers ({peer.kind})")
    peer.wait_for(type="Create", object_id=minutes["ap_id"])
    since = peer.mark()
    page = f"/minutes/{minutes['id']}"
    upload(site, page, f"{page}/documents", ("budget.pdf", pdf(pages=2), "application/pdf"), title="Budget 2030")
    got = peer.wait_for(type="Update", object_id=minutes["ap_id"], since=since,
                        match=lambda entry: bool(_media(entry["object"] or {}, peer.kind)[1]))
    assert got["parsed_ok"], got["error"]
    [document] = _media(got["object"], peer.kind)[1]
    assert (document["type"], document["mediaType"], document["name"]) == ("Document", "application/pdf", "Budget 2030")
    assert _url(document["url"]).startswith(f"{chapter.base}/media/")
