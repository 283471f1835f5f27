"""The calendar as a month grid: weeks from Monday to Sunday, each day with
the events on it in the chapter's zone (a series' occurrences included; an
event running over several days is listed on each of them, its time on the
first). Pure: the route reads the occurrences, this lays them out.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fedchapter.events import zones
from fedchapter.services.events import Dated
from fedchapter.visibility import Visibility

# Years the grid pages through: enough for any chapter's calendar, and no date arithmetic overflows.
FIRST_YEAR = 1970
LAST_YEAR = 2200


@dataclass(frozen=True)
class GridEvent:
    title: str
    url: str
    time: str  # "18:30" on the day it starts, "" on the days it continues
    cancelled: bool
    members_only: bool


@dataclass(frozen=True)
class GridDay:
    day: date
    in_month: bool
    today: bool
    events: tuple[GridEvent, ...]


@dataclass(frozen=True)
class MonthGrid:
    first: date  # the first day of the month
    weeks: list[list[GridDay]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def has_events(self) -> bool:
        return any(day.events for week in self.weeks for day in week if day.in_month)


def first_of_month(year: int, month: int) -> date | None:
    """The month asked for in a URL, or None when there is no such month (or it is out of range)."""
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def month_window(first: date, zone: str) -> tuple[datetime, datetime]:
    """The month's first and next month's first midnight in the chapter's zone, as instants."""
    following = (first + timedelta(days=32)).replace(day=1)
    return (zones.to_utc(datetime.combine(first, datetime.min.time()), zone),
            zones.to_utc(datetime.combine(following, datetime.min.time()), zone))


def _days_covered(start: datetime, end: datetime) -> list[date]:
    """The local days an occurrence touches; one ending at midnight does not touch the next day."""
    last = (end - timedelta(microseconds=1)).date() if end > start else start.date()
    return [start.date() + timedelta(days=offset) for offset in range((last - start.date()).days + 1)]


def month_grid(first: date, found: Sequence[Dated], *, zone: str, today: date,
               url_of: Callable[[str], str]) -> MonthGrid:
    on_day: dict[date, list[GridEvent]] = {}
    for dated in found:
        start = zones.to_local(dated.occurrence.start_utc, zone)
        end = zones.to_local(dated.occurrence.end_utc, zone)
        for day in _days_covered(start, end):
            on_day.setdefault(day, []).append(GridEvent(
                title=dated.event.title, url=url_of(dated.event.id),
                time=start.strftime("%H:%M") if day == start.date() else "",
                cancelled=dated.occurrence.cancelled or dated.event.is_cancelled,
                members_only=dated.event.visibility is Visibility.MEMBERS,
            ))
    following = (first + timedelta(days=32)).replace(day=1)
    day = first - timedelta(days=first.weekday())  # the Monday of the first week
    weeks: list[list[GridDay]] = []
    while day < following:
        week = []
        for _ in range(7):
            in_month = day.month == first.month
            week.append(GridDay(day, in_month, day == today, tuple(on_day.get(day, ())) if in_month else ()))
            day += timedelta(days=1)
        weeks.append(week)
    return MonthGrid(first=first, weeks=weeks)
