from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fedchapter.events.model import Event, EventStatus, Place, category_or_default

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BIRKBECK = Place(name="Birkbeck", street="Malet Street", locality="London", postal_code="WC1E 7HX",
                 country="United Kingdom", lat=51.5219, lon=-0.1303)


def make_event(**changes: object) -> Event:
    fields: dict[str, object] = dict(
        id="mtg1", title="Monthly meeting", start_local=datetime(2026, 6, 30, 18, 30),
        end_local=datetime(2026, 6, 30, 20, 30), timezone="Europe/London",
        created_at=NOW, updated_at=NOW, location=BIRKBECK,
    )
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_summer_evening_in_london_is_an_hour_ahead_of_utc() -> None:
    event = make_event()
    assert event.start_utc == datetime(2026, 6, 30, 17, 30, tzinfo=UTC)
    assert event.end_utc == datetime(2026, 6, 30, 19, 30, tzinfo=UTC)
    assert event.start_aware.isoformat() == "2026-06-30T18:30:00+01:00"
    assert event.end_aware.isoformat() == "2026-06-30T20:30:00+01:00"


def test_melbourne_meeting_in_its_summer() -> None:
    event = make_event(start_local=datetime(2026, 1, 13, 18, 0), end_local=datetime(2026, 1, 13, 20, 0),
                       timezone="Australia/Melbourne")
    assert event.start_utc == datetime(2026, 1, 13, 7, 0, tzinfo=UTC)  # AEDT, UTC+11


def test_repeated_hour_when_clocks_go_back_is_the_first_one() -> None:
    event = make_event(start_local=datetime(2026, 10, 25, 1, 30), end_local=datetime(2026, 10, 25, 3, 0))
    assert event.start_utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST


def test_online_and_hybrid() -> None:
    assert make_event(location=None, online_url="https://meet.example/x").is_online
    hybrid = make_event(online_url="https://meet.example/x")
    assert hybrid.is_hybrid and not hybrid.is_online
    in_person = make_event()
    assert not in_person.is_hybrid and not in_person.is_online


def test_place_labels() -> None:
    assert BIRKBECK.label == "Birkbeck, London"
    assert BIRKBECK.full_address == "Birkbeck, Malet Street, London WC1E 7HX, United Kingdom"
    assert Place(name="Liberty Hall, Dublin", locality="Dublin").label == "Liberty Hall, Dublin"
    assert Place(street="Rathausplatz 1", locality="Wien").label == "Rathausplatz 1, Wien"


def test_a_place_needs_a_name_or_a_street() -> None:
    with pytest.raises(ValueError):
        Place(locality="London")


def test_model_refuses_impossible_events() -> None:
    with pytest.raises(ValueError):
        make_event(end_local=datetime(2026, 6, 30, 18, 0))
    with pytest.raises(ValueError):
        make_event(timezone="Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        make_event(start_local=datetime(2026, 6, 30, 18, 30, tzinfo=UTC))
    with pytest.raises(ValueError):
        make_event(category="PICNIC")


def test_cancelling_keeps_everything_else() -> None:
    later = datetime(2026, 6, 1, tzinfo=UTC)
    cancelled = make_event().cancelled(now=later)
    assert cancelled.status is EventStatus.CANCELLED
    assert cancelled.updated_at == later and cancelled.title == "Monthly meeting"


def test_categories_from_other_servers_fall_back_like_mobilizon() -> None:
    assert category_or_default("movements_politics") == "MOVEMENTS_POLITICS"
    assert category_or_default("PICNIC") == "MEETING"
    assert category_or_default(["ARTS"]) == "MEETING"


def test_a_place_named_by_its_street_says_the_street_once() -> None:
    # Mobilizon and Gancio often send the street as the place's name too.
    place = Place(name="Malet Street", street="malet street ", locality="London")
    assert place.full_address == "Malet Street, London"
    assert BIRKBECK.full_address.startswith("Birkbeck, Malet Street, London")
