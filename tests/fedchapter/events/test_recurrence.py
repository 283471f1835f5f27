from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from fedchapter.errors import ValidationError
from fedchapter.events.model import Event, EventStatus, OccurrenceChange, Place
from fedchapter.events.recurrence import (
    MAX_OCCURRENCES_PER_QUERY,
    cancel_occurrence,
    headline_occurrence,
    move_occurrence,
    next_occurrence,
    occurrences,
    parse_rrule,
    series_end_utc,
    validate_rrule,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def london_monthly_meeting(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="mtg", title="Monthly meeting", start_local=datetime(2026, 1, 27, 18, 30),
        end_local=datetime(2026, 1, 27, 20, 30), timezone="Europe/London", created_at=NOW,
        updated_at=NOW, location=Place(name="Birkbeck", locality="London"),
        rrule="FREQ=MONTHLY;BYDAY=-1TU",
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_last_tuesday_stays_at_half_six_across_both_clock_changes() -> None:
    found = occurrences(london_monthly_meeting(), utc(2026, 2, 1), utc(2026, 12, 1))
    assert [o.start_local.date().isoformat() for o in found] == [
        "2026-02-24", "2026-03-31", "2026-04-28", "2026-05-26", "2026-06-30",
        "2026-07-28", "2026-08-25", "2026-09-29", "2026-10-27", "2026-11-24",
    ]
    assert all(o.start_local.time().isoformat() == "18:30:00" for o in found)
    by_date = {o.start_local.date().isoformat(): o for o in found}
    # Clocks go forward on 29 March and back on 25 October 2026.
    assert by_date["2026-02-24"].start_utc == utc(2026, 2, 24, 18, 30)
    assert by_date["2026-03-31"].start_utc == utc(2026, 3, 31, 17, 30)
    assert by_date["2026-09-29"].start_utc == utc(2026, 9, 29, 17, 30)
    assert by_date["2026-10-27"].start_utc == utc(2026, 10, 27, 18, 30)
    assert all(o.end_utc - o.start_utc == timedelta(hours=2) for o in found)


def test_weekly_in_melbourne_across_the_april_and_october_changes() -> None:
    webinar = london_monthly_meeting(
        start_local=datetime(2026, 3, 24, 19, 0), end_local=datetime(2026, 3, 24, 20, 0),
        timezone="Australia/Melbourne", rrule="FREQ=WEEKLY;BYDAY=TU", location=None,
        online_url="https://meet.example/melb",
    )
    found = occurrences(webinar, utc(2026, 3, 20), utc(2026, 10, 14))
    assert all(o.start_local.time().isoformat() == "19:00:00" for o in found)
    offsets = {o.start_local.date().isoformat(): o.start_local - o.start_utc.replace(tzinfo=None) for o in found}
    # Summer time (AEDT, +11) ends on 5 April and starts again on 4 October 2026.
    assert offsets["2026-03-31"] == timedelta(hours=11)
    assert offsets["2026-04-07"] == timedelta(hours=10)
    assert offsets["2026-09-29"] == timedelta(hours=10)
    assert offsets["2026-10-06"] == timedelta(hours=11)


def test_occurrences_in_a_window_include_one_already_under_way() -> None:
    found = occurrences(london_monthly_meeting(), utc(2026, 6, 30, 18, 0), utc(2026, 6, 30, 18, 10))
    assert [o.start_local for o in found] == [datetime(2026, 6, 30, 18, 30)]


def test_a_single_event_has_one_occurrence() -> None:
    conference = london_monthly_meeting(rrule=None, start_local=datetime(2026, 10, 17, 10, 0),
                                        end_local=datetime(2026, 10, 17, 17, 30))
    assert len(occurrences(conference, utc(2026, 1, 1), utc(2027, 1, 1))) == 1
    assert occurrences(conference, utc(2026, 11, 1), utc(2027, 1, 1)) == []
    assert series_end_utc(conference) == utc(2026, 10, 17, 16, 30)


def test_count_and_until_end_a_series() -> None:
    six_weeks = london_monthly_meeting(rrule="FREQ=WEEKLY;COUNT=6", start_local=datetime(2026, 1, 6, 18, 30),
                                       end_local=datetime(2026, 1, 6, 20, 0))
    found = occurrences(six_weeks, utc(2025, 1, 1), utc(2030, 1, 1))
    assert len(found) == 6 and found[-1].start_local == datetime(2026, 2, 10, 18, 30)
    assert series_end_utc(six_weeks) == utc(2026, 2, 10, 20, 0)
    until_june = london_monthly_meeting(rrule="FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20260630T173000Z")
    found = occurrences(until_june, utc(2025, 1, 1), utc(2030, 1, 1))
    assert found[-1].start_local == datetime(2026, 6, 30, 18, 30)
    assert series_end_utc(london_monthly_meeting()) is None


def test_an_open_ended_daily_rule_is_capped_per_query() -> None:
    daily = london_monthly_meeting(rrule="FREQ=DAILY", start_local=datetime(2026, 1, 5, 8, 0),
                                   end_local=datetime(2026, 1, 5, 8, 30))
    started = time.monotonic()
    found = occurrences(daily, utc(2026, 1, 1), utc(2199, 1, 1), limit=10_000)
    assert len(found) == MAX_OCCURRENCES_PER_QUERY
    assert time.monotonic() - started < 5
    assert len(occurrences(daily, utc(2026, 1, 1), utc(2026, 1, 8))) == 3  # 5, 6, 7 January


def test_cancelled_and_moved_occurrences() -> None:
    event = london_monthly_meeting()
    event = cancel_occurrence(event, datetime(2026, 4, 28, 18, 30), now=NOW)
    # December's last Tuesday is the 29th; the meeting moves before Christmas.
    event = move_occurrence(event, datetime(2026, 12, 29, 18, 30), datetime(2026, 12, 15, 19, 0),
                            datetime(2026, 12, 15, 21, 0), now=NOW)
    found = occurrences(event, utc(2026, 4, 1), utc(2027, 1, 1))
    april = [o for o in found if o.original_start.month == 4][0]
    assert april.cancelled and not april.moved
    december = [o for o in found if o.original_start.month == 12][0]
    assert december.moved and december.start_local == datetime(2026, 12, 15, 19, 0)
    assert december.original_start == datetime(2026, 12, 29, 18, 30)
    # Moved into a window that does not contain its original date:
    assert [o.start_local for o in occurrences(event, utc(2026, 12, 14), utc(2026, 12, 16))] == [
        datetime(2026, 12, 15, 19, 0)]
    assert occurrences(event, utc(2026, 12, 28), utc(2026, 12, 31)) == []
    assert next_occurrence(event, utc(2026, 4, 1)).start_local == datetime(2026, 5, 26, 18, 30)  # type: ignore[union-attr]


def test_only_real_occurrences_can_be_changed() -> None:
    with pytest.raises(ValidationError) as caught:
        cancel_occurrence(london_monthly_meeting(), datetime(2026, 4, 21, 18, 30), now=NOW)
    assert caught.value.field == "occurrence"
    with pytest.raises(ValidationError):
        cancel_occurrence(london_monthly_meeting(rrule=None), datetime(2026, 1, 27, 18, 30), now=NOW)


def test_a_cancelled_event_has_every_occurrence_cancelled() -> None:
    event = london_monthly_meeting(status=EventStatus.CANCELLED)
    assert all(o.cancelled for o in occurrences(event, utc(2026, 1, 1), utc(2026, 6, 1)))
    assert next_occurrence(event, utc(2026, 1, 1)) is None


def test_an_occurrence_in_a_clock_change_gap_moves_forward_as_rfc5545_says() -> None:
    early = london_monthly_meeting(rrule="FREQ=DAILY;COUNT=5", start_local=datetime(2026, 3, 27, 1, 30),
                                   end_local=datetime(2026, 3, 27, 2, 0))
    found = occurrences(early, utc(2026, 3, 1), utc(2026, 4, 1))
    gap_day = [o for o in found if o.original_start.day == 29][0]
    assert gap_day.start_local == datetime(2026, 3, 29, 2, 30)
    assert gap_day.start_utc == utc(2026, 3, 29, 1, 30)


def test_an_international_call_at_1500_utc_in_every_chapters_zone() -> None:
    call = london_monthly_meeting(timezone="UTC", start_local=datetime(2026, 3, 4, 15, 0),
                                  end_local=datetime(2026, 3, 4, 16, 0), rrule="FREQ=WEEKLY",
                                  location=None, online_url="https://meet.example/intl")
    instant = occurrences(call, utc(2026, 7, 1), utc(2026, 7, 2))[0].start_utc
    local = {zone: instant.astimezone(__import__("zoneinfo").ZoneInfo(zone)).strftime("%a %H:%M")
             for zone in ("Europe/London", "Europe/Vienna", "Australia/Melbourne", "America/New_York")}
    assert local == {"Europe/London": "Wed 16:00", "Europe/Vienna": "Wed 17:00",
                     "Australia/Melbourne": "Thu 01:00", "America/New_York": "Wed 11:00"}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("FREQ=HOURLY", "DAILY"),
        ("FREQ=SECONDLY;COUNT=100000", "DAILY"),
        ("FREQ=FORTNIGHTLY", "one of"),
        ("FREQ=DAILY;BYHOUR=9,10", "not supported"),
        ("INTERVAL=2", "FREQ is required"),
        ("FREQ=WEEKLY;FREQ=DAILY", "twice"),
        ("FREQ=WEEKLY;COUNT=5000", "out of range"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "not both"),
        ("FREQ=WEEKLY;BYDAY=2TU", "MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYDAY=6TU", "out of range"),
        ("FREQ=MONTHLY;BYDAY=XX", "weekday"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "out of range"),
        ("FREQ=WEEKLY;BYMONTHDAY=1", "FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYSETPOS=-1", "needs BYDAY"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL"),
        ("FREQ=WEEKLY;INTERVAL=0", "out of range"),
        ("FREQ", "KEY=VALUE"),
    ],
)
def test_rules_outside_the_subset_are_refused(value: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_rrule(value, timezone="Europe/London")
    assert caught.value.field == "rrule"
    assert words in caught.value.message


def test_supported_rules_are_normalised() -> None:
    start = datetime(2026, 1, 14, 18, 30)  # the second Wednesday of January
    assert validate_rrule("rrule:freq=monthly;byday=2we", start_local=start, timezone="Europe/Vienna") == (
        "FREQ=MONTHLY;BYDAY=2WE")
    # A date-only UNTIL covers that whole local day, written in UTC as RFC 5545 wants.
    assert validate_rrule("FREQ=WEEKLY;UNTIL=20260630;WKST=MO", start_local=start,
                          timezone="Europe/Vienna") == "FREQ=WEEKLY;WKST=MO;UNTIL=20260630T215959Z"
    assert validate_rrule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                          start_local=datetime(2026, 1, 30, 17, 0), timezone="Europe/Dublin") == (
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")


@pytest.mark.parametrize(
    "value",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31",
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",  # every 7 days from a Monday is never a Tuesday
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=3",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20",
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",  # 2026, 2030, ... are never leap years
    ],
)
def test_a_rule_that_never_happens_is_refused_quickly(value: str) -> None:
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        validate_rrule(value, start_local=datetime(2026, 1, 5, 18, 0), timezone="Europe/London")
    assert "never" in caught.value.message or "none of the months" in caught.value.message
    assert time.monotonic() - started < 2


def test_a_sparse_rule_still_finds_its_first_date() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_rrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", start_local=datetime(2026, 1, 5, 18, 0),
                       timezone="Europe/London")
    assert "Mon 29 Feb 2044" in caught.value.message


def test_the_headline_occurrence_of_upcoming_cancelled_and_finished_events() -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    series = Event(id="s", title="Monthly", start_local=datetime(2026, 1, 27, 18, 30),
                   end_local=datetime(2026, 1, 27, 20, 30), timezone="Europe/London",
                   created_at=created, updated_at=created, rrule="FREQ=MONTHLY;BYDAY=-1TU;COUNT=3")
    assert headline_occurrence(series, created).start_local == datetime(2026, 1, 27, 18, 30)
    assert headline_occurrence(series, datetime(2026, 2, 1, tzinfo=UTC)).start_local == datetime(2026, 2, 24, 18, 30)
    finished = datetime(2026, 6, 1, tzinfo=UTC)
    assert headline_occurrence(series, finished).start_local == datetime(2026, 3, 31, 18, 30)
    moved_first = series.with_change(OccurrenceChange(original_start=datetime(2026, 1, 27, 18, 30),
                                                      start_local=datetime(2026, 1, 28, 18, 30),
                                                      end_local=datetime(2026, 1, 28, 20, 30)), now=created)
    assert headline_occurrence(moved_first.cancelled(now=created), finished).start_local.month == 3
