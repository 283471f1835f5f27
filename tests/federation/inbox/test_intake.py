"""The inbox's request path, against a real database: the least work per POST
(the body stored as received, one block look-up, a healthy sender's server
not looked up again on every POST) without giving up a check."""
from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from federation.inbox.intake import HEALTHY_HOST_RECHECK_SECONDS, InboxIntake
from federation.signatures import PublicKeyInfo, SigningKey, sign_request
from storage.migrations import open_database
from storage.repositories import Repositories
from tests.support.clock import FakeClock
from tests.support.counting import Counting
from tests.support.instances import make_chapter_folder
from tests.support.keys import pooled_keypair

ACTOR = "https://peer.example/users/ana"


@dataclass
class Setup:
    repos: Repositories
    intake: InboxIntake
    hosts: Counting
    blocks: Counting
    clock: FakeClock
    key: SigningKey
    base_url: str
    keys: dict[str, PublicKeyInfo]

    async def post(self, body: bytes, *, key: SigningKey | None = None) -> int:
        headers = sign_request("POST", self.base_url + "/inbox", key=key or self.key, body=body, now=self.clock.now)
        answer = await self.intake.receive(target="/inbox", headers=headers, body=body, local_actor_id=None,
                                           base_url=self.base_url)
        return answer.status


def _activity(actor: str = ACTOR, **extra: Any) -> dict[str, Any]:
    host = actor.split("/")[2]
    return {"@context": "https://www.w3.org/ns/activitystreams", "id": f"https://{host}/a/{uuid.uuid4().hex}",
            "type": "Create", "actor": actor, "object": {"id": f"https://{host}/n/1", "type": "Note"}, **extra}


def _key(key_id: str, actor: str) -> tuple[SigningKey, PublicKeyInfo]:
    public_pem, private_pem = pooled_keypair()
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return SigningKey(key_id, actor, private), PublicKeyInfo(key_id, actor, public_pem)


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    settings = await make_chapter_folder(tmp_path / "london")
    database = await open_database(settings.database_target)
    repos = Repositories.for_database(database)
    clock = FakeClock()
    signing, info = _key(f"{ACTOR}#main-key", ACTOR)
    keys = {info.key_id: info}

    async def lookup(key_id: str, refresh: bool) -> PublicKeyInfo | None:
        return keys.get(key_id)

    hosts, blocks = Counting(repos.delivery_hosts), Counting(repos.recent_blocks)
    intake = InboxIntake(inbox=repos.inbox, blocks=blocks, hosts=hosts, deliveries=repos.deliveries,  # type: ignore[arg-type]
                         key_lookup=lookup, backlog_limit=1000, clock=clock)
    try:
        yield Setup(repos, intake, hosts, blocks, clock, signing, settings.base_url, keys)
    finally:
        await database.close()


async def test_the_body_is_stored_as_received_not_serialised_again(setup: Setup) -> None:
    activity = _activity(content="caf\u00e9 \u2014 \\u00e9")
    body = json.dumps(activity, indent=2, ensure_ascii=True).encode("utf-8")
    assert await setup.post(body) == 202
    stored = await setup.repos.database.fetchvalue("SELECT payload FROM inbox WHERE activity_id = ?", (activity["id"],))
    assert stored == body.decode("utf-8")
    row = await setup.repos.inbox.by_activity_id(activity["id"])
    assert row is not None and row.payload == activity


async def test_a_utf16_body_is_stored_as_text(setup: Setup) -> None:
    activity = _activity(content="\u00e9t\u00e9")
    body = json.dumps(activity, ensure_ascii=False).encode("utf-16")
    assert await setup.post(body) == 202
    row = await setup.repos.inbox.by_activity_id(activity["id"])
    assert row is not None and row.payload == activity


async def test_one_block_look_up_when_the_key_lives_on_the_actors_server(setup: Setup) -> None:
    assert await setup.post(json.dumps(_activity()).encode()) == 202
    assert setup.blocks.calls == {"is_blocked": 1}


async def test_a_key_kept_on_a_blocked_server_is_still_refused(setup: Setup) -> None:
    signing, info = _key("https://keys.example/ana#key", ACTOR)
    setup.keys[info.key_id] = info
    assert await setup.post(json.dumps(_activity()).encode(), key=signing) == 202
    await setup.repos.blocks.add("domain", "keys.example")
    activity = _activity()
    assert await setup.post(json.dumps(activity).encode(), key=signing) == 403
    assert await setup.repos.inbox.by_activity_id(activity["id"]) is None


async def test_a_healthy_server_is_not_looked_up_on_every_post(setup: Setup) -> None:
    for _ in range(5):
        assert await setup.post(json.dumps(_activity()).encode()) == 202
    assert setup.hosts.calls == {"restore": 1}
    setup.clock.advance(timedelta(seconds=HEALTHY_HOST_RECHECK_SECONDS))
    assert await setup.post(json.dumps(_activity()).encode()) == 202
    assert setup.hosts.calls == {"restore": 2}


async def test_a_failing_server_is_restored_by_its_next_activity_after_the_recheck(setup: Setup) -> None:
    assert await setup.post(json.dumps(_activity()).encode()) == 202
    await setup.repos.delivery_hosts.record_failure(
        "peer.example", setup.clock.now, unavailable_after_days=1, pause_after_failures=10,
        pause=timedelta(minutes=1))
    state = await setup.repos.delivery_hosts.get("peer.example")
    assert state is not None and not state.available
    setup.clock.advance(timedelta(seconds=HEALTHY_HOST_RECHECK_SECONDS))
    assert await setup.post(json.dumps(_activity()).encode()) == 202
    state = await setup.repos.delivery_hosts.get("peer.example")
    assert state is not None and state.available and state.consecutive_failures == 0


async def test_the_backlog_bound_holds_between_recounts(setup: Setup) -> None:
    setup.intake.backlog_limit = 3
    answers = [await setup.post(json.dumps(_activity()).encode()) for _ in range(5)]
    assert answers == [202, 202, 202, 503, 503]
    assert await setup.repos.inbox.backlog() == 3
