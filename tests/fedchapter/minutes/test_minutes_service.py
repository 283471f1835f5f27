"""What the minutes service announces, and when: nothing for drafts, Create
on publication (members-only to members), Update for a correction."""
from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fedchapter.minutes.model import MinutesState
from fedchapter.minutes.validation import parse_minutes
from fedchapter.publishing import Change, Verb
from fedchapter.readers import ANONYMOUS, MEMBER_ACTOR
from fedchapter.errors import NotFound
from fedchapter.services.minutes import MinutesService
from fedchapter.visibility import Visibility
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.minutes import MinutesRepository


class RecordingPublisher:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    async def publish(self, change: Change) -> None:
        self.changes.append(change)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[MinutesService, RecordingPublisher]]:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    publisher = RecordingPublisher()
    try:
        yield MinutesService(MinutesRepository(database), publisher, database), publisher
    finally:
        await database.close()


def content(**changes: object):  # type: ignore[no-untyped-def]
    return parse_minutes({"title": "t", "meeting_date": "2025-10-14", "attendance": 3, **changes})


async def test_drafts_are_not_announced_and_publication_is(service: tuple[MinutesService, RecordingPublisher]) -> None:
    minutes_service, publisher = service
    draft = await minutes_service.create(content(), author_user_id=None, state=MinutesState.DRAFT)
    await minutes_service.advance(draft.id, MinutesState.CIRCULATED)
    assert publisher.changes == []
    published = await minutes_service.advance(draft.id, MinutesState.PUBLISHED)
    assert [(c.verb, c.visibility) for c in publisher.changes] == [(Verb.CREATE, Visibility.PUBLIC)]
    assert publisher.changes[0].subject == published


async def test_members_only_minutes_are_announced_to_members_only(
    service: tuple[MinutesService, RecordingPublisher]
) -> None:
    minutes_service, publisher = service
    created = await minutes_service.create(content(visibility="members"), author_user_id=None)
    assert [(c.verb, c.visibility) for c in publisher.changes] == [(Verb.CREATE, Visibility.MEMBERS)]
    with pytest.raises(NotFound):
        await minutes_service.get(created.id, ANONYMOUS)
    assert (await minutes_service.get(created.id, MEMBER_ACTOR)).id == created.id


async def test_a_correction_is_an_update_and_going_members_only_withdraws_it(
    service: tuple[MinutesService, RecordingPublisher]
) -> None:
    minutes_service, publisher = service
    created = await minutes_service.create(content(), author_user_id=None)
    await minutes_service.correct(created.id, content(attendance=4), editor="sam", note="one more")
    await minutes_service.correct(created.id, content(attendance=4, visibility="members"), editor="sam")
    assert [(c.verb, c.visibility) for c in publisher.changes] == [
        (Verb.CREATE, Visibility.PUBLIC),
        (Verb.UPDATE, Visibility.PUBLIC),
        (Verb.DELETE, Visibility.PUBLIC),
        (Verb.CREATE, Visibility.MEMBERS),
    ]
    assert [old.revision for old in await minutes_service.history(created.id)] == [1, 2]
