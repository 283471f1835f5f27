"""Links from other servers are http(s) only: a remote actor whose `url` or
icon is `javascript:` replies to our minutes, and neither the page nor the
API carries the link (issue 13.1)."""
from __future__ import annotations

import pytest

from fedchapter.links import http_url
from tests.federation.mastodon_peer import MastodonPeer, eventually, processed
from tests.federation.test_minutes_federation import LONDON_INBOX, mastodon_reply, publish
from tests.support.instances import Instance, Network


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>",
    "vbscript:x", "//evil.test/x", "/relative", "http://", "mailto:a@b.test", "http://[::1", 42, None,
    "https://x.test/" + "a" * 2_100,
])
def test_only_http_urls_pass(value: object) -> None:
    assert http_url(value) is None


def test_http_urls_pass_unchanged() -> None:
    assert http_url(" https://mastodon.test/@alice ") == "https://mastodon.test/@alice"
    assert http_url("http://x.test/a?b=c#d") == "http://x.test/a?b=c#d"


async def test_a_javascript_actor_url_reaches_neither_page_nor_api(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    mallory = peer.add_account("mallory", url="javascript:alert(1)",
                               icon={"type": "Image", "url": "javascript:alert(2)"})
    minutes = await publish(london)
    reply = mastodon_reply(minutes["ap_id"], id=f"{mallory}/statuses/1", attributedTo=mallory)
    reply["actor"] = mallory
    assert (await peer.send("mallory", reply, LONDON_INBOX)).status_code == 202
    assert await processed(london, reply["id"]) == "done"

    [comment] = (await london.client.get("/api/v1/comments", params={"object": minutes["ap_id"]})).json()["items"]
    assert comment["author"]["url"] == mallory  # falls back to the actor id, an http URL
    page = (await london.client.get(f"/minutes/{minutes['id']}")).text
    assert "Count me in for the stall on Saturday." in page
    assert "javascript:" not in page.lower()
    cached = await london.ctx.repos.remote_actors.get(mallory)
    assert cached is not None and cached.url is None and cached.icon_url is None


async def test_a_javascript_url_cached_before_the_check_is_not_read_back(net: Network, london: Instance) -> None:
    peer = MastodonPeer(net)
    alice = peer.add_account("alice")
    await eventually(lambda: london.ctx.federation.resolver.get(alice), "alice is cached")
    await london.ctx.database.execute(
        "UPDATE remote_actors SET url = 'javascript:alert(1)', icon_url = 'data:x' WHERE id = ?", (alice,))
    cached = await london.ctx.repos.remote_actors.get(alice)
    assert cached is not None and (cached.url, cached.icon_url) == (None, None)
