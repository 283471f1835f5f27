"""The demo chapter's events: made through the event service, all upcoming,
with the schedules the issue describes."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from fedchapter.cli.demo_events import add_demo_events, demo_event_bodies, next_last_tuesday
from fedchapter.cli.demo_poster import POSTER_ALT
from fedchapter.cli.init import create_chapter_async
from fedchapter.media.model import OwnerKind
from fedchapter.readers import Reader
from fedchapter.roles import Role
from fedchapter.services.events import EventService
from fedchapter.settings import load_settings
from storage.migrations import open_database
from storage.repositories import Repositories
from tests.support.keys import pooled_keypair


def test_the_dates_are_counted_from_today() -> None:
    assert next_last_tuesday(date(2026, 6, 29)) == date(2026, 6, 30)
    assert next_last_tuesday(date(2026, 6, 30)) == date(2026, 7, 28)
    assert next_last_tuesday(date(2026, 12, 31)) == date(2027, 1, 26)
    bodies = {body["title"]: body for body in demo_event_bodies(date(2026, 11, 23))}
    assert bodies["Monthly meeting"]["start"] == "2026-11-24T18:30"
    assert bodies["International coordination call"]["start"] == "2026-11-25T15:00"
    conference = bodies["International conference: building a participatory society"]
    assert (conference["start"], conference["end"]) == ("2029-10-20T10:00", "2029-10-20T17:30")  # a Saturday
    assert bodies["Tenants' union solidarity rally"]["meetup"]["start"].endswith("T13:00")


async def test_the_demo_events_are_stored_and_upcoming(tmp_path: Path) -> None:
    await create_chapter_async(tmp_path, base_url="http://127.0.0.1:8000", handle="london", name="London",
                               summary="", timezone="Europe/London", admin_username="admin",
                               admin_password="a long enough password", dev=True, make_keypair=pooled_keypair)
    settings = load_settings(tmp_path, environ={})
    await add_demo_events(settings, date.today())
    database = await open_database(settings.database_target)
    try:
        repos = Repositories.for_database(database)
        # Only read here: no publisher is needed.
        service = EventService(repos.events, repos.rsvps, None, database)  # type: ignore[arg-type]
        found = await service.next_of_each(Reader.for_role(Role.MEMBER))
        assert len(found) == 5
        outbox = await database.fetchvalue("SELECT COUNT(*) FROM outbox WHERE type = 'Create'")
        assert outbox == 5  # each published as Create(Event)
        # The rally has its poster (drawn at seed time), re-encoded and described.
        [poster] = await repos.media.of_owners(OwnerKind.EVENT, [e.event.id for e in found])
        rally = next(e.event for e in found if e.event.title == "Tenants' union solidarity rally")
        assert (poster.owner.id, poster.role.value, poster.width, poster.height) == (rally.id, "poster", 1200, 1600)
        assert poster.name == POSTER_ALT and (settings.media_folder / poster.key(poster.main_variant)).is_file()
    finally:
        await database.close()
