"""The event services over a real database with a clock we set: what goes
out through the Publisher (Create, Update with counts, Delete), RSVP rules,
and recurring series expanded correctly across daylight-saving changes
(Europe/London and Australia/Melbourne)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fedchapter.errors import Forbidden, NotFound
from fedchapter.events.records import PublishedEvent, RemoteEvent
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import parse_event_input
from fedchapter.publishing import Verb
from fedchapter.readers import ANONYMOUS, Reader
from fedchapter.roles import Role
from fedchapter.services.events import EventService
from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.rsvps import RsvpRefused, RsvpService
from fedchapter.visibility import Visibility
from storage.events import EventRepository
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.network_events import NetworkEventRepository
from storage.rsvps import RsvpRepository
from tests.fedchapter.services.test_proposal_service import RecordingPublisher
from tests.support.clock import FakeClock

MEMBER = Reader.for_role(Role.MEMBER)


@dataclass
class Setup:
    events: EventService
    rsvps: RsvpService
    network: NetworkEventService
    publisher: RecordingPublisher
    clock: FakeClock


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    publisher, clock = RecordingPublisher(), FakeClock(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    ids = iter(f"e{number}" for number in range(1, 100))
    events = EventService(EventRepository(database), RsvpRepository(database), publisher, database,
                          clock=clock, new_id=lambda: next(ids))
    yield Setup(events=events, rsvps=RsvpService(events, RsvpRepository(database), database, clock=clock),
                network=NetworkEventService(NetworkEventRepository(database), events, clock=clock),
                publisher=publisher, clock=clock)
    await database.close()


def draft(**changes: Any) -> Any:
    body: dict[str, Any] = {"title": "Monthly meeting", "start": "2026-01-27T18:30", "end": "2026-01-27T20:30",
                            "timezone": "Europe/London", "location": {"name": "Birkbeck", "locality": "London"}}
    body.update(changes)
    return parse_event_input(body, default_timezone="UTC")


async def test_create_update_cancel_delete_go_out_through_the_publisher(setup: Setup) -> None:
    event = await setup.events.create(draft())
    await setup.events.update(event.id, draft(title="Monthly meeting (room 101)"))
    await setup.events.cancel(event.id)
    await setup.events.delete(event.id)
    assert [change.verb for change in setup.publisher.changes] == [Verb.CREATE, Verb.UPDATE, Verb.UPDATE, Verb.DELETE]
    cancelled = setup.publisher.changes[2].subject
    assert isinstance(cancelled, PublishedEvent) and cancelled.event.is_cancelled
    with pytest.raises(NotFound):
        await setup.events.get(event.id, MEMBER)


async def test_narrowing_to_members_deletes_the_public_copy(setup: Setup) -> None:
    event = await setup.events.create(draft())
    await setup.events.update(event.id, draft(visibility="members"))
    sent = [(change.verb, change.visibility) for change in setup.publisher.changes]
    assert sent[1:] == [(Verb.DELETE, Visibility.PUBLIC), (Verb.CREATE, Visibility.MEMBERS)]


async def test_members_only_events_are_hidden_from_others(setup: Setup) -> None:
    event = await setup.events.create(draft(visibility="members"))
    with pytest.raises(NotFound):
        await setup.events.get(event.id, ANONYMOUS)
    assert await setup.events.upcoming(ANONYMOUS, limit=10) == []
    assert [d.event.id for d in await setup.events.upcoming(MEMBER, limit=10)] == [event.id]
    with pytest.raises(NotFound):
        await setup.rsvps.rsvp(event.id, RsvpStatus.GOING, username="lucy",
                               actor_id="http://london.test/actors/lucy", role=Role.SUPPORTER)
    with pytest.raises(NotFound):
        await setup.rsvps.join(event.id, "https://mastodon.example/users/x", "j1", is_member=False)


async def test_rsvp_rules_and_counts_going_out(setup: Setup) -> None:
    event = await setup.events.create(draft(capacity=1))
    decision = await setup.rsvps.rsvp(event.id, RsvpStatus.GOING, username="priya",
                                      actor_id="http://london.test/actors/priya", role=Role.MEMBER)
    assert decision.accepted
    update = setup.publisher.changes[-1]
    assert update.verb is Verb.UPDATE and update.subject.counts.going == 1  # type: ignore[attr-defined]
    with pytest.raises(RsvpRefused, match="full"):
        await setup.rsvps.join(event.id, "https://mastodon.example/users/x", "j1", is_member=False)
    # The same answer twice changes nothing and sends nothing.
    sent = len(setup.publisher.changes)
    await setup.rsvps.rsvp(event.id, RsvpStatus.GOING, username="priya",
                           actor_id="http://london.test/actors/priya", role=Role.MEMBER)
    assert len(setup.publisher.changes) == sent
    with pytest.raises(Forbidden):
        await setup.rsvps.rsvp(event.id, RsvpStatus.GOING, username="x", actor_id="x", role="nobody")
    setup.clock.now = datetime(2026, 2, 1, tzinfo=UTC)
    with pytest.raises(RsvpRefused, match="over"):
        await setup.rsvps.rsvp(event.id, RsvpStatus.INTERESTED, username="priya",
                               actor_id="http://london.test/actors/priya", role=Role.MEMBER)


async def test_restricted_events_keep_joins_pending(setup: Setup) -> None:
    event = await setup.events.create(draft(join_mode="restricted"))
    decision = await setup.rsvps.join(event.id, "https://mastodon.example/users/x", "j1", is_member=False)
    assert decision.pending
    counts = await setup.rsvps.counts(event.id)
    assert (counts.going, counts.pending) == (0, 1)


def local_times(dated: list[Any]) -> list[str]:
    return [d.occurrence.start_local.strftime("%Y-%m-%d %H:%M") for d in dated]


def utc_times(dated: list[Any]) -> list[str]:
    return [d.occurrence.start_utc.strftime("%m-%d %H:%M") for d in dated]


async def test_a_london_series_keeps_its_local_time_across_both_clock_changes(setup: Setup) -> None:
    await setup.events.create(draft(rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=12"))
    dated = await setup.events.upcoming(ANONYMOUS, limit=12)
    assert local_times(dated)[1:4] == ["2026-02-24 18:30", "2026-03-31 18:30", "2026-04-28 18:30"]
    # 18:30 GMT in February, 18:30 BST (17:30 UTC) after 29 March, GMT again after 25 October.
    assert utc_times(dated) == ["01-27 18:30", "02-24 18:30", "03-31 17:30", "04-28 17:30", "05-26 17:30",
                                "06-30 17:30", "07-28 17:30", "08-25 17:30", "09-29 17:30", "10-27 18:30",
                                "11-24 18:30", "12-29 18:30"]


async def test_a_melbourne_series_keeps_its_local_time_across_both_clock_changes(setup: Setup) -> None:
    # Melbourne leaves summer time (UTC+11) on 5 April 2026 and starts it (UTC+10 → +11) on 4 October 2026.
    await setup.events.create(draft(title="Reading group", timezone="Australia/Melbourne",
                                    start="2026-03-29T19:00", end="2026-03-29T20:30",
                                    rrule="FREQ=WEEKLY;INTERVAL=1;UNTIL=20261020"))
    setup.clock.now = datetime(2026, 3, 20, tzinfo=UTC)
    dated = await setup.events.upcoming(ANONYMOUS, limit=100)
    assert all(d.occurrence.start_local.strftime("%H:%M") == "19:00" for d in dated)
    by_day = {d.occurrence.start_local.strftime("%m-%d"): d.occurrence.start_utc.strftime("%H:%M") for d in dated}
    assert by_day["03-29"] == "08:00"  # 19:00 AEDT (UTC+11)
    assert by_day["04-05"] == "09:00"  # the clocks went back that morning: 19:00 AEST (UTC+10)
    assert by_day["09-27"] == "09:00"
    assert by_day["10-04"] == "08:00"  # forward again that morning: AEDT
    assert max(by_day) == "10-18"  # UNTIL 20 October


async def test_cancelled_and_moved_dates_and_past_listing(setup: Setup) -> None:
    event = await setup.events.create(draft(rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=4"))
    await setup.events.cancel_occurrence(event.id, datetime(2026, 2, 24, 18, 30))
    await setup.events.move_occurrence(event.id, datetime(2026, 3, 31, 18, 30),
                                       datetime(2026, 4, 1, 18, 30), datetime(2026, 4, 1, 20, 30))
    dated = await setup.events.upcoming(ANONYMOUS, limit=10)
    assert [(d.occurrence.start_local.strftime("%m-%d"), d.occurrence.cancelled) for d in dated] == [
        ("01-27", False), ("02-24", True), ("04-01", False), ("04-28", False)]
    setup.clock.now = datetime(2026, 4, 15, tzinfo=UTC)
    assert [d.occurrence.start_local.strftime("%m-%d") for d in await setup.events.past(ANONYMOUS, limit=10)] == [
        "04-01", "02-24", "01-27"]
    [next_one] = await setup.events.next_of_each(ANONYMOUS)
    assert next_one.occurrence.start_local.strftime("%m-%d") == "04-28"


async def test_the_network_keeps_followed_events_until_they_end(setup: Setup) -> None:
    ours = await setup.events.create(draft())
    remote_event = draft(start="2026-01-20T18:00", end="2026-01-20T19:00",
                         timezone="Europe/Vienna").to_event(event_id="https://vienna.example/e/1", now=setup.clock.now)
    remote = RemoteEvent(ap_id=remote_event.id, url=remote_event.id, chapter="https://vienna.example/actors/v",
                         chapter_name="Vienna", event=remote_event, received_at=setup.clock.now)
    assert await setup.network.receive(remote)
    entries = await setup.network.calendar(ANONYMOUS, limit=10)
    assert [(e.event.id, e.remote is not None) for e in entries] == [(remote_event.id, True), (ours.id, False)]
    # Another chapter cannot overwrite or delete it.
    assert not await setup.network.receive(RemoteEvent(**{**remote.__dict__, "chapter": "https://evil.example/a"}))
    assert not await setup.network.remove(remote.ap_id, "https://evil.example/a")
    setup.clock.now = datetime(2026, 1, 21, tzinfo=UTC)
    assert [e.event.id for e in await setup.network.calendar(ANONYMOUS, limit=10)] == [ours.id]
    assert await setup.network.get(remote.ap_id) is None  # dropped once over
    assert not await setup.network.receive(remote)  # and not taken back


async def test_an_unfollowed_chapters_events_go(setup: Setup) -> None:
    following = {"https://vienna.example/actors/v"}

    async def followed() -> set[str]:
        return set(following)

    network = NetworkEventService(setup.network.store, setup.events, followed=followed, clock=setup.clock)
    remote_event = draft(start="2026-01-20T18:00", end="2026-01-20T19:00").to_event(
        event_id="https://vienna.example/e/1", now=setup.clock.now)
    await network.receive(RemoteEvent(ap_id=remote_event.id, url=remote_event.id,
                                      chapter="https://vienna.example/actors/v", chapter_name="Vienna",
                                      event=remote_event, received_at=setup.clock.now))
    assert [r.ap_id for r in await network.remote_upcoming()] == [remote_event.id]
    following.clear()
    assert await network.remote_upcoming() == []
    assert await network.get(remote_event.id) is None
