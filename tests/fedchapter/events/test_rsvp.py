from __future__ import annotations

from datetime import UTC, datetime

from fedchapter.events.model import Event, EventStatus, JoinMode, Place
from fedchapter.events.recurrence import cancel_occurrence, occurrences
from fedchapter.events.rsvp import JoinOutcome, JoinReason, RsvpStatus, decide_join, places_left

CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BEFORE = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def conference(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="conf", title="International conference", start_local=datetime(2026, 10, 17, 10, 0),
        end_local=datetime(2026, 10, 17, 17, 30), timezone="Europe/Dublin", created_at=CREATED,
        updated_at=CREATED, location=Place(name="Liberty Hall", locality="Dublin"), capacity=120,
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_joining_while_places_are_left() -> None:
    decision = decide_join(conference(), going_count=119, now=BEFORE)
    assert decision.accepted and decision.reason is JoinReason.OK
    assert places_left(conference(), 119) == 1


def test_a_full_event_rejects() -> None:
    decision = decide_join(conference(), going_count=120, now=BEFORE)
    assert decision.outcome is JoinOutcome.REJECTED and decision.reason is JoinReason.FULL
    assert places_left(conference(), 125) == 0


def test_someone_already_going_is_not_counted_twice() -> None:
    assert decide_join(conference(), going_count=120, now=BEFORE, already_going=True).accepted


def test_no_capacity_means_no_limit() -> None:
    assert decide_join(conference(capacity=None), going_count=10_000, now=BEFORE).accepted
    assert places_left(conference(capacity=None), 10_000) is None


def test_cancelled_and_past_events_reject() -> None:
    assert decide_join(conference(status=EventStatus.CANCELLED), 0, BEFORE).reason is JoinReason.CANCELLED
    after = datetime(2026, 10, 17, 16, 31, tzinfo=UTC)  # 17:31 in Dublin
    assert decide_join(conference(), 0, after).reason is JoinReason.PAST
    during = datetime(2026, 10, 17, 12, 0, tzinfo=UTC)
    assert decide_join(conference(), 0, during).accepted


def test_restricted_events_wait_for_an_organiser() -> None:
    restricted = conference(join_mode=JoinMode.RESTRICTED)
    decision = decide_join(restricted, 3, BEFORE)
    assert decision.pending and not decision.accepted and decision.reason is JoinReason.NEEDS_APPROVAL
    assert decide_join(restricted, 3, BEFORE, approving=True).accepted
    assert decide_join(restricted, 120, BEFORE, approving=True).reason is JoinReason.FULL


def test_invite_only_and_external_events() -> None:
    invite = conference(join_mode=JoinMode.INVITE)
    assert decide_join(invite, 0, BEFORE).reason is JoinReason.INVITE_ONLY
    assert decide_join(invite, 0, BEFORE, invited=True).accepted
    external = conference(join_mode=JoinMode.EXTERNAL, external_participation_url="https://tickets.example/c")
    assert decide_join(external, 0, BEFORE).reason is JoinReason.EXTERNAL


def test_interest_takes_no_place_and_leaving_is_always_possible() -> None:
    assert decide_join(conference(), 120, BEFORE, status=RsvpStatus.INTERESTED).accepted
    assert decide_join(conference(status=EventStatus.CANCELLED), 120, BEFORE,
                       status=RsvpStatus.NOT_GOING).accepted
    assert decide_join(conference(status=EventStatus.CANCELLED), 0, BEFORE,
                       status=RsvpStatus.INTERESTED).reason is JoinReason.CANCELLED


def test_a_recurring_meeting_is_open_until_its_last_occurrence() -> None:
    weekly = conference(rrule="FREQ=WEEKLY;COUNT=4", capacity=None)
    assert decide_join(weekly, 0, datetime(2026, 10, 25, tzinfo=UTC)).accepted
    assert decide_join(weekly, 0, datetime(2026, 11, 8, tzinfo=UTC)).reason is JoinReason.PAST
    open_ended = conference(rrule="FREQ=WEEKLY", capacity=None)
    assert decide_join(open_ended, 0, datetime(2030, 1, 1, tzinfo=UTC)).accepted


def test_joining_one_cancelled_occurrence() -> None:
    weekly = cancel_occurrence(conference(rrule="FREQ=WEEKLY", capacity=None), datetime(2026, 10, 24, 10, 0),
                               now=CREATED)
    first, second = occurrences(weekly, datetime(2026, 10, 17, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC))
    assert decide_join(weekly, 0, BEFORE, occurrence=first).accepted
    assert decide_join(weekly, 0, BEFORE, occurrence=second).reason is JoinReason.CANCELLED
