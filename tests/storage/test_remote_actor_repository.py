"""The remote actor cache in a real SQLite file."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fedchapter.actors import RemoteActor
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.remote_actors import RemoteActorRepository

ALICE = RemoteActor(
    id="https://remote.example/users/alice",
    type="Person",
    inbox="https://remote.example/users/alice/inbox",
    public_key_id="https://remote.example/users/alice#main-key",
    public_key_pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    fetched_at=datetime(2026, 6, 1, 12, 0, 5, tzinfo=timezone.utc),
    preferred_username="alice",
    name="Alice",
    shared_inbox="https://remote.example/inbox",
    url="https://remote.example/@alice",
    icon_url="https://remote.example/a.png",
    followers="https://remote.example/users/alice/followers",
)


@pytest.fixture
async def path(tmp_path: Path) -> Path:
    return database_for(tmp_path / "chapter.sqlite3")  # type: ignore[return-value]


@pytest.fixture
async def repository(path: Path) -> AsyncIterator[RemoteActorRepository]:
    database = await open_database(path)
    yield RemoteActorRepository(database)
    await database.close()


async def test_saved_actor_reads_back_by_id_and_key_id(repository):
    await repository.save(ALICE, {"id": ALICE.id, "type": "Person", "name": "Alice"})
    assert await repository.get(ALICE.id) == ALICE
    assert await repository.get_by_key_id(ALICE.public_key_id) == ALICE
    assert await repository.get("https://remote.example/users/bob") is None
    assert await repository.get_by_key_id("https://remote.example/users/bob#main-key") is None
    assert await repository.raw_document(ALICE.id) == {"id": ALICE.id, "type": "Person", "name": "Alice"}


async def test_saving_again_updates_the_row_and_keeps_the_last_document(repository):
    await repository.save(ALICE, {"v": 1})
    rotated = replace(ALICE, public_key_id=ALICE.id + "#key-2", public_key_pem="new", name=None,
                      shared_inbox=None, fetched_at=datetime(2026, 6, 2, tzinfo=timezone.utc))
    await repository.save(rotated)
    assert await repository.get(ALICE.id) == rotated
    assert await repository.get_by_key_id(ALICE.public_key_id) is None
    assert await repository.get_by_key_id(rotated.public_key_id) == rotated
    assert await repository.raw_document(ALICE.id) == {"v": 1}
    count = await repository.database.fetchvalue("SELECT COUNT(*) FROM remote_actors")
    assert count == 1


async def test_cache_survives_reopening_the_file(path):
    database = await open_database(path)
    await RemoteActorRepository(database).save(ALICE)
    await database.close()
    database = await open_database(path)
    try:
        assert await RemoteActorRepository(database).get(ALICE.id) == ALICE
    finally:
        await database.close()
