"""Events, RSVPs and the network's events in a real SQLite file: every field
comes back as it went in; "upcoming" and "dropped once over" are queries."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fedchapter.events.model import Event, EventStatus, JoinMode, MeetupPoint, OccurrenceChange, Place
from fedchapter.events.records import RemoteEvent, Rsvp
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.visibility import Visibility
from storage.database import Database
from storage.events import EventRepository
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.network_events import NetworkEventRepository
from storage.rsvps import RsvpRepository

CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await open_database(database_for(tmp_path / "events.sqlite3"))
    yield opened
    await opened.close()


def meeting(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="m1", title="Monthly meeting", description="Agenda **items**",
        start_local=datetime(2026, 1, 27, 18, 30), end_local=datetime(2026, 1, 27, 20, 30),
        timezone="Europe/London", created_at=CREATED, updated_at=CREATED,
        location=Place(name="Birkbeck", street="Malet Street", locality="London", postal_code="WC1E 7HX",
                       country="UK", lat=51.5219, lon=-0.1302),
        online_url="https://meet.example.org/m", capacity=40, category="MEETING",
        status=EventStatus.TENTATIVE, visibility=Visibility.MEMBERS,
        rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=6",
        exceptions=(OccurrenceChange(original_start=datetime(2026, 2, 24, 18, 30), cancelled=True),
                    OccurrenceChange(original_start=datetime(2026, 3, 31, 18, 30),
                                     start_local=datetime(2026, 4, 1, 18, 30), end_local=datetime(2026, 4, 1, 20, 30))),
        meetup=MeetupPoint(place=Place(name="Russell Square"), start_local=datetime(2026, 1, 27, 18, 0)),
        join_mode=JoinMode.RESTRICTED, language="en-GB",
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


async def test_an_event_round_trips_with_every_field(database: Database) -> None:
    repository = EventRepository(database)
    event = meeting()
    await repository.save(event, author_user_id=None)
    assert await repository.get("m1") == event
    changed = meeting(title="Monthly meeting (room 101)", exceptions=(), rrule=None, location=None)
    await repository.save(changed)
    assert await repository.get("m1") == changed
    assert await repository.delete("m1") and await repository.get("m1") is None


async def test_overlapping_finds_series_not_over_and_respects_visibility(database: Database) -> None:
    repository = EventRepository(database)
    await repository.save(meeting())  # six months from January 2026, members only
    one_off = meeting(id="o1", rrule=None, exceptions=(), visibility=Visibility.PUBLIC,
                      start_local=datetime(2026, 9, 1, 10, 0), end_local=datetime(2026, 9, 1, 12, 0),
                      meetup=None)
    await repository.save(one_off)
    open_ended = meeting(id="w1", rrule="FREQ=WEEKLY", exceptions=(), visibility=Visibility.PUBLIC,
                         start_local=datetime(2025, 1, 7, 18, 30), end_local=datetime(2025, 1, 7, 19, 30),
                         meetup=None)
    await repository.save(open_ended)
    july = datetime(2026, 7, 1, tzinfo=UTC)
    found = await repository.overlapping(july, july + timedelta(days=365), visibilities=list(Visibility))
    assert {event.id for event in found} == {"o1", "w1"}  # the monthly series ended in June
    january = datetime(2026, 1, 1, tzinfo=UTC)
    public = await repository.overlapping(january, january + timedelta(days=365), visibilities=[Visibility.PUBLIC])
    assert {event.id for event in public} == {"o1", "w1"}


async def test_rsvps_and_counts(database: Database) -> None:
    await EventRepository(database).save(meeting())
    rsvps = RsvpRepository(database)
    for participant, status, pending in (("https://a.example/u/a", RsvpStatus.GOING, False),
                                         ("http://london.test/actors/priya", RsvpStatus.GOING, False),
                                         ("https://b.example/u/b", RsvpStatus.INTERESTED, False),
                                         ("https://c.example/u/c", RsvpStatus.GOING, True)):
        await rsvps.save(Rsvp(event_id="m1", participant=participant, status=status, pending=pending,
                              username="priya" if "london" in participant else None,
                              join_activity=f"{participant}#join" if "example" in participant else None,
                              created_at=CREATED, updated_at=CREATED))
    counts = await rsvps.counts("m1")
    assert (counts.going, counts.interested, counts.pending) == (2, 1, 1)
    found = await rsvps.by_join_activity("https://a.example/u/a#join")
    assert found is not None and found.is_remote and found.status is RsvpStatus.GOING
    assert not (await rsvps.get("m1", "http://london.test/actors/priya")).is_remote  # type: ignore[union-attr]
    assert await rsvps.remove("m1", "https://a.example/u/a")
    assert (await rsvps.counts("m1")).going == 1
    await EventRepository(database).delete("m1")
    assert await rsvps.of_event("m1") == []  # they go with the event


async def test_network_events_are_replaced_and_dropped_once_over(database: Database) -> None:
    repository = NetworkEventRepository(database)
    event = meeting(id="https://vienna.example/events/1", visibility=Visibility.PUBLIC, rrule=None,
                    exceptions=(), timezone="Europe/Vienna")
    remote = RemoteEvent(ap_id=event.id, url=event.id, chapter="https://vienna.example/actors/vienna",
                         chapter_name="Vienna", event=event, content_html="<p>Hi</p>", participant_count=3,
                         received_at=CREATED)
    await repository.save(remote)
    assert await repository.get(event.id) == remote
    renamed = RemoteEvent(**{**remote.__dict__, "event": meeting(
        id=event.id, title="Renamed", visibility=Visibility.PUBLIC, rrule=None, exceptions=(),
        timezone="Europe/Vienna")})
    await repository.save(renamed)
    assert (await repository.get(event.id)).event.title == "Renamed"  # type: ignore[union-attr]
    assert await repository.remove_ended(datetime(2026, 1, 27, 12, 0, tzinfo=UTC)) == 0
    assert await repository.remove_ended(datetime(2026, 1, 28, tzinfo=UTC)) == 1
    assert await repository.get(event.id) is None
