"""What an event is: a meeting, a social, a webinar, a protest, a conference.

Times are naive local wall-clock datetimes in the event's IANA zone (what the
organiser means); instants (`start_utc`) are derived. The checks that give a
user a helpful message live in `validation`; the invariants checked here
catch programming errors (a storage row or a federation conversion gone wrong).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from fedchapter.events import zones
from fedchapter.visibility import Visibility

# Mobilizon's built-in categories (lib/mobilizon/events/categories.ex), so a
# category we send is one Mobilizon shows, and one it sends is one we know.
CATEGORY_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {
        "ARTS": "Arts",
        "BOOK_CLUBS": "Book clubs",
        "BUSINESS": "Business",
        "CAUSES": "Causes",
        "COMEDY": "Comedy",
        "CRAFTS": "Crafts",
        "FOOD_DRINK": "Food & Drink",
        "HEALTH": "Health",
        "MUSIC": "Music",
        "AUTO_BOAT_AIR": "Auto, boat and air",
        "COMMUNITY": "Community",
        "FAMILY_EDUCATION": "Family & Education",
        "FASHION_BEAUTY": "Fashion & Beauty",
        "FILM_MEDIA": "Film & Media",
        "GAMES": "Games",
        "LANGUAGE_CULTURE": "Language & Culture",
        "LEARNING": "Learning",
        "LGBTQ": "LGBTQ",
        "MOVEMENTS_POLITICS": "Movements and politics",
        "NETWORKING": "Networking",
        "PARTY": "Party",
        "PERFORMING_VISUAL_ARTS": "Performing & Visual Arts",
        "PETS": "Pets",
        "PHOTOGRAPHY": "Photography",
        "OUTDOORS_ADVENTURE": "Outdoors & Adventure",
        "SPIRITUALITY_RELIGION_BELIEFS": "Spirituality, Religion & Beliefs",
        "SCIENCE_TECH": "Science & Tech",
        "SPORTS": "Sports",
        "THEATRE": "Theatre",
        "MEETING": "Meeting",
    }
)
CATEGORIES: frozenset[str] = frozenset(CATEGORY_LABELS)
DEFAULT_CATEGORY = "MEETING"


def category_or_default(value: object) -> str:
    """A category from another server, as Mobilizon reads it: unknown → MEETING."""
    if isinstance(value, str) and value.strip().upper() in CATEGORIES:
        return value.strip().upper()
    return DEFAULT_CATEGORY


class EventStatus(StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class JoinMode(StrEnum):
    FREE = "free"  # anyone may join; accepted while places are left
    RESTRICTED = "restricted"  # an organiser approves each participant
    INVITE = "invite"  # only invited people may join
    EXTERNAL = "external"  # participation happens elsewhere (a ticketing site)


@dataclass(frozen=True, kw_only=True)
class Place:
    name: str | None = None
    street: str | None = None
    locality: str | None = None
    postal_code: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        if not (self.name or self.street):
            raise ValueError("a place needs a name or a street")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("a place has both latitude and longitude or neither")

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def label(self) -> str:
        """Short form for one line: "Birkbeck, London"."""
        first = self.name or self.street or ""
        if self.locality and self.locality.casefold() not in first.casefold():
            return f"{first}, {self.locality}"
        return first

    @property
    def full_address(self) -> str:
        """Everything known, comma-separated: "Birkbeck, Malet Street, London WC1E 7HX, UK"."""
        town = " ".join(part for part in (self.locality, self.postal_code) if part)
        # Mobilizon and Gancio often name a place by its street: say it once.
        street = None if self.name and self.street and _same(self.name, self.street) else self.street
        parts = [self.name, street, town, self.country]
        return ", ".join(part for part in parts if part)


def _same(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


@dataclass(frozen=True, kw_only=True)
class MeetupPoint:
    """Where and when to gather before the event (a protest's meeting point)."""

    place: Place
    start_local: datetime


@dataclass(frozen=True, kw_only=True)
class OccurrenceChange:
    """One occurrence of a recurring event cancelled or moved.

    `original_start` is the local start the rule generates (iCalendar's
    RECURRENCE-ID); a moved occurrence has its new local start and end.
    """

    original_start: datetime
    cancelled: bool = False
    start_local: datetime | None = None
    end_local: datetime | None = None

    def __post_init__(self) -> None:
        moved = self.start_local is not None or self.end_local is not None
        if self.cancelled == moved:
            raise ValueError("an occurrence change either cancels or moves")
        if moved and (
            self.start_local is None or self.end_local is None or self.end_local <= self.start_local
        ):
            raise ValueError("a moved occurrence needs a start before its end")


@dataclass(frozen=True, kw_only=True)
class Event:
    id: str
    title: str
    start_local: datetime
    end_local: datetime
    timezone: str
    created_at: datetime
    updated_at: datetime
    description: str = ""  # Markdown
    location: Place | None = None
    online_url: str | None = None
    capacity: int | None = None
    category: str = DEFAULT_CATEGORY
    status: EventStatus = EventStatus.CONFIRMED
    visibility: Visibility = Visibility.PUBLIC
    rrule: str | None = None  # an RFC 5545 RRULE value without "RRULE:"
    exceptions: tuple[OccurrenceChange, ...] = ()
    meetup: MeetupPoint | None = None
    join_mode: JoinMode = JoinMode.FREE
    external_participation_url: str | None = None
    language: str = "en"  # BCP 47

    def __post_init__(self) -> None:
        for name in ("start_local", "end_local"):
            if getattr(self, name).tzinfo is not None:
                raise ValueError(f"{name} is a naive local wall-clock time")
        for name in ("created_at", "updated_at"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"{name} is an aware UTC datetime")
        if not zones.is_known_zone(self.timezone):
            raise ValueError(f"unknown time zone {self.timezone!r}")
        if self.end_local <= self.start_local:
            raise ValueError("an event ends after it starts")
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if self.capacity is not None and self.capacity < 1:
            raise ValueError("capacity is at least 1")
        if self.exceptions and not self.rrule:
            raise ValueError("only a recurring event has occurrence changes")

    @property
    def start_utc(self) -> datetime:
        return zones.to_utc(self.start_local, self.timezone)

    @property
    def end_utc(self) -> datetime:
        return zones.to_utc(self.end_local, self.timezone)

    @property
    def start_aware(self) -> datetime:
        """The start as an aware datetime in the event's own zone: its
        isoformat() is ActivityPub's startTime, "2026-06-30T18:30:00+01:00"."""
        return self.start_utc.astimezone(zones.zone(self.timezone))

    @property
    def end_aware(self) -> datetime:
        return self.end_utc.astimezone(zones.zone(self.timezone))

    @property
    def duration(self) -> timedelta:
        """Elapsed time of one occurrence (a 18:30–20:30 meeting is two hours
        even on the night the clocks change)."""
        return self.end_utc - self.start_utc

    @property
    def is_online(self) -> bool:
        """Only online: a link and no physical place."""
        return self.online_url is not None and self.location is None

    @property
    def is_hybrid(self) -> bool:
        return self.online_url is not None and self.location is not None

    @property
    def is_recurring(self) -> bool:
        return self.rrule is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]

    def change_for(self, original_start: datetime) -> OccurrenceChange | None:
        """The change recorded for the occurrence the rule puts at `original_start`."""
        for change in self.exceptions:
            if change.original_start == original_start:
                return change
        return None

    def with_change(self, change: OccurrenceChange, *, now: datetime) -> Event:
        """This event with `change` replacing any earlier change to the same occurrence.

        Whether `original_start` is one of the rule's occurrences is checked by
        `recurrence.cancel_occurrence` / `recurrence.move_occurrence`.
        """
        kept = tuple(c for c in self.exceptions if c.original_start != change.original_start)
        ordered = tuple(sorted((*kept, change), key=lambda c: c.original_start))
        return dataclasses.replace(self, exceptions=ordered, updated_at=now)

    def without_change(self, original_start: datetime, *, now: datetime) -> Event:
        """This event with the occurrence at `original_start` restored as the rule has it."""
        kept = tuple(c for c in self.exceptions if c.original_start != original_start)
        return dataclasses.replace(self, exceptions=kept, updated_at=now)

    def cancelled(self, *, now: datetime) -> Event:
        """The whole event (every occurrence) cancelled."""
        return dataclasses.replace(self, status=EventStatus.CANCELLED, updated_at=now)


__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "DEFAULT_CATEGORY",
    "Event",
    "EventStatus",
    "JoinMode",
    "MeetupPoint",
    "OccurrenceChange",
    "Place",
    "Visibility",
    "category_or_default",
]
