"""The production HTTP clients, in process: a chapter built by the composition
root with no test transport, served by uvicorn on 127.0.0.1, talks to a
stand-in Mastodon server on 127.0.0.1 that verifies every signature as a real
server would. Deliveries go through the aiohttp poster and fetches through
the guarded httpx client, both over real sockets.

The other in-process tests route HTTP between apps by host; this one keeps
the real clients honest.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import uvicorn

from fedchapter.cli.chapter_services import ChapterServices
from fedchapter.cli.composition import chapter_app
from tests.support.instances import make_chapter_folder
from tests.support.standin_peer import free_port, running_peer

WAIT_SECONDS = 20.0


async def _eventually(condition: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            while not condition():
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def test_a_follow_is_accepted_and_an_event_delivered_over_real_sockets(tmp_path: Path) -> None:
    port = free_port()
    settings = await make_chapter_folder(tmp_path / "london", host=f"127.0.0.1:{port}")  # dev: loopback allowed
    server = uvicorn.Server(uvicorn.Config(chapter_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        await _eventually(lambda: server.started, "the chapter to serve")
        ctx: ChapterServices = server.config.loaded_app.app.state.ctx  # type: ignore[attr-defined]
        with running_peer() as peer:
            alice = peer.add_account("alice")
            follow = peer.activity("alice", "Follow", ctx.urls.actor("london"))
            answer = await asyncio.to_thread(peer.send, "alice", follow, settings.base_url + "/inbox")
            assert answer.status_code == 202, answer.text
            await _eventually(lambda: any(item["type"] == "Accept" for item in peer.received),
                              "the Accept of alice's Follow to reach her server")

            token = await ctx.accounts.create_token("admin")
            created = await asyncio.to_thread(peer.http_post, settings.base_url + "/api/v1/events", {
                "title": "Assembly", "description": "All welcome.", "start": "2031-03-03T18:30",
                "end": "2031-03-03T20:30", "timezone": "Europe/London", "visibility": "public",
            }, {"Authorization": f"Bearer {token}"})
            assert created.status_code == 201, created.text
            event_id = created.json()["ap_id"]
            await _eventually(
                lambda: any(item["type"] == "Create" and item["object"]["id"] == event_id for item in peer.received),
                "the Create(Event) to reach the follower")
    finally:
        server.should_exit = True
        await serving
    assert peer.refused == []  # every delivery carried a signature the peer verified
    accepted = [item for item in peer.received if item["type"] == "Accept"]
    assert accepted[0]["object"]["actor"] == alice
