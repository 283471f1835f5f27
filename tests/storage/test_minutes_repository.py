"""The minutes repository: saving and reading back, the history, and the
action-item queries behind carry-forward and "my open items"."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

from fedchapter.minutes.model import ActionItem, ActionStatus, Minutes, MinutesState, Revision
from fedchapter.minutes.validation import parse_minutes
from fedchapter.visibility import Visibility
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.minutes import MinutesRepository

NOW = datetime(2025, 10, 15, 9, 0, tzinfo=timezone.utc)


def minutes(minutes_id: str, state: MinutesState = MinutesState.PUBLISHED, **content: object) -> Minutes:
    body = {"title": f"Meeting {minutes_id}", "meeting_date": "2025-10-14", "attendance": 5,
            "actions": [{"text": "Book the room", "owner": "sam"}, {"text": "Done already", "status": "done"}]}
    body.update(content)
    return Minutes(id=minutes_id, content=parse_minutes(body), state=state, revision=1, author_user_id=None,
                   created_at=NOW, updated_at=NOW, published_at=NOW)


async def test_minutes_round_trip_with_their_history_and_open_items(tmp_path: Path) -> None:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    try:
        repository = MinutesRepository(database)
        first = minutes("m1")
        await repository.save(first)
        assert await repository.get("m1") == first
        await repository.save(minutes("draft", MinutesState.DRAFT))
        open_items = await repository.open_actions()
        assert [(item.key, item.item.text) for item in open_items] == [("m1:0", "Book the room")]
        assert [item.key for item in await repository.open_actions_of("SAM")] == ["m1:0"]
        assert await repository.open_actions(excluding="m1") == []

        carried = ActionItem(text="Book the room", owner="sam", status=ActionStatus.DONE, carried_from="m1:0")
        second = minutes("m2", meeting_date="2025-11-11")
        second = dataclasses.replace(second, content=dataclasses.replace(second.content, actions=(carried,)))
        await repository.save(second)
        assert await repository.open_actions() == []

        await repository.add_revision(Revision("m1", 1, first.content, "typo", "sam", NOW))
        assert [(r.revision, r.note) for r in await repository.revisions("m1")] == [(1, "typo")]
        listed = await repository.latest(states=[MinutesState.PUBLISHED], visibilities=[Visibility.PUBLIC], limit=10)
        assert [m.id for m in listed] == ["m2", "m1"]
        assert await repository.delete("m1")
        assert await repository.revisions("m1") == []
    finally:
        await database.close()
