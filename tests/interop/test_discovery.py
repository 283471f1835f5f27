"""Discovery: each side finds the other by `@name@host:port` (WebFinger)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.interop


def test_peer_finds_the_chapters_group_by_webfinger(peer, chapter):
    name_at_host = chapter.handle.lstrip("@")           # reds@127.0.0.1:PORT (with the port)
    found = peer.webfinger(f"acct:{name_at_host}")
    assert found["actor"] == chapter.actor

    group = peer.fetch(found["actor"])["document"]       # signed GET of the actor
    assert group["id"] == chapter.actor
    assert group["type"] == "Group"
    assert group["preferredUsername"] == name_at_host.split("@")[0]
    assert group["inbox"].startswith(chapter.origin)


def test_fedify_parses_the_group_as_an_actor(fedify_peer, chapter):
    fetched = fedify_peer.fetch(chapter.actor)
    assert fetched["parsed_ok"], fetched["error"]
    assert fetched["object"]["type"] == "Group"
    assert fetched["object"]["inbox"] == fetched["document"]["inbox"]


def test_chapter_finds_the_peer_by_handle(peer, chapter):
    # `fedchapter follow @name@host` resolves the handle by WebFinger and
    # prints the actor it found (the follow itself is checked in
    # test_chapter_follows_peer.py, which follows the same way).
    assert chapter.follow(peer.handle) == peer.actor


def test_discovery_runs_over_https_only(peer, chapter):
    """Every server here speaks only TLS (the session CA's certificate), so
    the lookups above went over https, as between deployed servers: a plain
    http request to the chapter's WebFinger gets no answer at all."""
    assert chapter.actor.startswith("https://") and peer.actor.startswith("https://")
    plain = chapter.origin.replace("https://", "http://", 1)
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{plain}/.well-known/webfinger",
                  params={"resource": f"acct:{chapter.handle.lstrip('@')}"},
                  trust_env=False, timeout=5.0)
