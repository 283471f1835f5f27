"""A network keeps the latest a member chapter said about whom it sends to
one of its events, decided by the statement that writes (docs/networks.md)."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fedchapter.networks.representatives import NamedRepresentative
from storage.migrations import open_database
from storage.network_representatives import NetworkRepresentativeRepository
from tests.support.postgres import database_for

SAID = datetime(2026, 5, 1, 10, 0, 0, 123456, tzinfo=UTC)
LEEDS = "http://leeds.test/actors/leeds"


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[NetworkRepresentativeRepository]:
    database = await open_database(database_for(tmp_path / "network.sqlite3"))
    yield NetworkRepresentativeRepository(database)
    await database.close()


def person(name: str) -> tuple[NamedRepresentative, ...]:
    return (NamedRepresentative(name=name, actor=f"http://leeds.test/actors/{name.lower()}"),)


async def test_a_later_word_replaces_an_earlier_one_and_never_the_other_way_round(
    repository: NetworkRepresentativeRepository,
) -> None:
    await repository.put("call", LEEDS, person("Ada"), SAID, SAID)
    await repository.put("call", LEEDS, person("Bo"), SAID + timedelta(microseconds=1), SAID)
    await repository.put("call", LEEDS, person("Ada"), SAID, SAID)  # delivered late
    assert await repository.for_event("call") == {LEEDS: (person("Bo"), SAID + timedelta(microseconds=1))}
    await repository.put("call", LEEDS, (), SAID + timedelta(seconds=1), SAID)  # nobody holds the office now
    assert await repository.for_event("call") == {LEEDS: ((), SAID + timedelta(seconds=1))}
    assert await repository.for_event("another call") == {}


async def test_words_stored_at_once_by_several_workers_keep_the_latest(
    repository: NetworkRepresentativeRepository,
) -> None:
    # On PostgreSQL these run on several connections at once, as inbox workers would.
    said = [(f"Person{n}", SAID + timedelta(milliseconds=n)) for n in range(12)]
    await asyncio.gather(*(repository.put("call", LEEDS, person(name), at, SAID) for name, at in reversed(said)))
    assert await repository.for_event("call") == {LEEDS: (person("Person11"), said[-1][1])}
