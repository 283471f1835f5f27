"""Inbox POSTs come from other servers: they skip the session, the page
language and the password gate (web/page_layer.py), and still get the outer
layers (request id, security headers, request limits) and the router's
error handling."""
from __future__ import annotations

from tests.support.instances import Instance, Network
from tests.support.signed_posts import activity_from, inbox_count, post_signed


async def test_an_inbox_post_opens_no_session_and_sets_no_language(net: Network) -> None:
    london = await net.chapter("london", run_workers=False)
    bristol = await net.chapter("bristol", run_workers=False)
    activity = activity_from(bristol, "Like", london.ctx.urls.actor("london"))
    answer = await post_signed(bristol, london, activity, path="/inbox?lang=de",
                               extra_headers={"Cookie": "lang=en"})
    assert answer.status_code == 202
    assert "set-cookie" not in answer.headers
    assert answer.headers["x-request-id"] and answer.headers["x-content-type-options"] == "nosniff"
    assert await inbox_count(london) == 1


async def test_pages_still_get_their_language(london: Instance) -> None:
    page = await london.client.get("/?lang=de", headers={"Accept": "text/html"})
    assert "lang=de" in page.headers["set-cookie"] and '<html lang="de">' in page.text


async def test_a_too_large_inbox_post_is_still_refused_by_the_limits(london: Instance) -> None:
    answer = await london.client.post("/inbox", content=b"{" + b" " * 2_000_000 + b"}",
                                      headers={"Content-Type": "application/activity+json"})
    assert answer.status_code == 413
