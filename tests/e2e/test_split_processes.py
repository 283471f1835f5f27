"""The process model deploy/README.md documents: ``fedchapter serve
--no-workers`` answering HTTP and two ``fedchapter worker`` processes doing
the inbox and the deliveries, on one database, all real processes on
127.0.0.1, with a stand-in Mastodon server (tests/e2e/standin_peer.py) that
verifies every signature it is sent.

Remote replies to an event, minutes, a news post and a proposal become
comments; a poll vote and an RSVP count; the RSVP's Accept reaches the peer
signed by the chapter; every activity acknowledged with 202 is processed
(nothing acknowledged is lost).
"""
from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.standin_peer import StandInPeer, running_peer
from tests.e2e.test_two_chapters import FEDCHAPTER, ROOT, Chapter, finish, free_port, wait_for

pytestmark = pytest.mark.e2e

YEAR = date.today().year + 1


class SplitChapter(Chapter):
    """A chapter served by one web process without workers and two worker processes."""

    workers: list[subprocess.Popen[bytes]]

    def launch_split(self, worker_count: int) -> None:
        self.workers = []
        for number in range(worker_count):
            log = self.data.parent / f"worker-{number}.log"
            self.log.append(log)
            with log.open("wb") as output:
                self.workers.append(subprocess.Popen(
                    [*FEDCHAPTER, "--data", str(self.data), "worker"], stdout=output, stderr=subprocess.STDOUT,
                    cwd=ROOT,
                ))
        log = self.data.parent / "web.log"
        self.log.append(log)
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [*FEDCHAPTER, "--data", str(self.data), "serve", "--no-workers", "--port", str(self.port)],
                stdout=output, stderr=subprocess.STDOUT, cwd=ROOT,
            )

    def stop_all(self) -> None:
        self.stop(kill=True)
        for worker in getattr(self, "workers", []):
            worker.kill()
            worker.wait(timeout=10)

    def workers_alive(self) -> bool:
        return all(worker.poll() is None for worker in self.workers)


@pytest.fixture
def london(tmp_path: Path) -> Iterator[SplitChapter]:
    chapter = SplitChapter("london", tmp_path / "london", free_port())
    finish(chapter.cli("init", "--base-url", chapter.base_url, "--handle", "london", "--name", "London",
                       "--admin-password", "a long password", "--dev"))
    try:
        yield chapter
    finally:
        chapter.stop_all()


class Api:
    def __init__(self, chapter: Chapter, token: str) -> None:
        self.base_url = chapter.base_url
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.post(self.base_url + path, json=body, headers=self.headers, timeout=10)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = httpx.get(self.base_url + path, params=params, headers=self.headers, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def _publish_everything(api: Api) -> dict[str, dict[str, Any]]:
    closes = (datetime.now(timezone.utc) + timedelta(days=7)).isoformat(timespec="seconds")
    return {
        "event": api.post("/api/v1/events", {
            "title": "Tenants' union assembly", "description": "All welcome.", "start": f"{YEAR}-03-03T18:30",
            "end": f"{YEAR}-03-03T20:30", "timezone": "Europe/London", "visibility": "public"}),
        "minutes": api.post("/api/v1/minutes", {
            "title": "General meeting", "meeting_date": "2026-10-14", "attendance": 12,
            "agenda": [{"title": "Rent strike", "notes": "Discussed."}], "decisions": [], "actions": [],
            "visibility": "public"}),
        "post": api.post("/api/v1/posts", {"title": "We won the repairs", "body": "Thanks to everyone."}),
        "proposal": api.post("/api/v1/proposals", {
            "title": "Join the national rent strike", "body": "Shall we?", "method": "yes-no",
            "closes_at": closes}),
    }


def _comment_texts(api: Api, ap_id: str) -> list[str]:
    return [item["content"] for item in api.get("/api/v1/comments", object=ap_id)["items"]]


def test_serve_without_workers_and_two_workers_lose_nothing(london: SplitChapter) -> None:
    [token] = finish(london.cli("token", "create", "--username", "admin"))
    london.launch_split(worker_count=2)
    london.wait_until_serving()
    api = Api(london, token)
    published = _publish_everything(api)

    with running_peer() as peer:
        _remote_member_replies_votes_and_rsvps(london, api, peer, published)


def _remote_member_replies_votes_and_rsvps(
    london: SplitChapter, api: Api, peer: StandInPeer, published: dict[str, dict[str, Any]]
) -> None:
    alice = peer.add_account("alice")
    api.post("/api/v1/members", {"actor": alice, "role": "member"})  # so her poll vote counts
    inbox = f"{london.base_url}/inbox"
    sent: list[str] = []
    for kind, item in published.items():
        reply = peer.activity("alice", "Create", peer.note("alice", item["ap_id"],
                                                           content=f"<p>Reply to the {kind}</p>"))
        assert peer.send("alice", reply, inbox).status_code == 202
        sent.append(reply["id"])
    vote = peer.activity("alice", "Create", peer.note("alice", published["proposal"]["ap_id"], name="yes"))
    join = peer.activity("alice", "Join", published["event"]["ap_id"])
    for activity in (vote, join):
        assert peer.send("alice", activity, inbox).status_code == 202
        sent.append(activity["id"])

    def all_processed() -> bool:
        states = london.query("SELECT state FROM inbox")
        return len(states) == len(sent) and all(state in ("done", "ignored", "failed") for (state,) in states)

    wait_for(all_processed, "the workers to process every acknowledged activity", timeout=60)
    rows = london.query("SELECT activity_id, state, error FROM inbox")
    assert {row[0] for row in rows} == set(sent)
    assert [row for row in rows if row[1] != "done"] == []  # none dropped as "nothing of ours"

    for kind, item in published.items():
        assert _comment_texts(api, item["ap_id"]) == [f"<p>Reply to the {kind}</p>"], kind
    proposal = api.post(f"/api/v1/proposals/{published['proposal']['id']}/close")
    assert proposal["result"]["counts"]["yes"] == 1
    event = api.get(f"/api/v1/events/{published['event']['id']}")
    assert event["participant_count"] == 1

    # The RSVP is answered: an Accept from the chapter, verified by the peer.
    wait_for(lambda: any(activity["type"] == "Accept" for activity in peer.received),
             "the chapter's Accept of the RSVP to reach the peer", timeout=30)
    assert peer.refused == []
    assert london.workers_alive()
