"""Recurring events: the RRULE subset we accept, and expanding it safely.

Rules expand in local wall-clock time ("the last Tuesday of the month at
18:30" stays 18:30 in summer and winter) and only inside a bounded window,
never more than MAX_OCCURRENCES_PER_QUERY at once, so no rule can make the
server loop: dateutil is always given an UNTIL no later than the window.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, datetime, timedelta
from itertools import islice

from dateutil import rrule as du

from fedchapter.errors import N_, ValidationError
from fedchapter.events import zones
from fedchapter.events.model import Event, OccurrenceChange

MAX_OCCURRENCES_PER_QUERY = 500
MAX_COUNT = 1000
MAX_INTERVAL = 52
# The Gregorian calendar repeats every 400 years (weekdays and leap years).
GREGORIAN_CYCLE_YEARS = 400
# How far `next_occurrence` looks ahead before concluding there is none.
LOOKAHEAD = timedelta(days=366 * 5)

FREQUENCIES: dict[str, int] = {
    "DAILY": du.DAILY,
    "WEEKLY": du.WEEKLY,
    "MONTHLY": du.MONTHLY,
    "YEARLY": du.YEARLY,
}
WEEKDAYS: dict[str, du.weekday] = {
    "MO": du.MO, "TU": du.TU, "WE": du.WE, "TH": du.TH, "FR": du.FR, "SA": du.SA, "SU": du.SU,
}
PART_ORDER = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST", "COUNT", "UNTIL")
_LONGEST_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")


@dataclass(frozen=True)
class RecurrenceRule:
    freq: str
    interval: int = 1
    byday: tuple[tuple[int | None, str], ...] = ()  # (ordinal, "TU"): (-1, "TU") is the last Tuesday
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()
    count: int | None = None
    until_utc: datetime | None = None
    wkst: str | None = None

    def to_value(self) -> str:
        """The canonical RRULE value (no "RRULE:" prefix), UNTIL in UTC as
        RFC 5545 requires when DTSTART carries a TZID."""
        parts: dict[str, str] = {"FREQ": self.freq}
        if self.interval != 1:
            parts["INTERVAL"] = str(self.interval)
        if self.bymonth:
            parts["BYMONTH"] = ",".join(map(str, self.bymonth))
        if self.bymonthday:
            parts["BYMONTHDAY"] = ",".join(map(str, self.bymonthday))
        if self.byday:
            parts["BYDAY"] = ",".join(f"{n if n is not None else ''}{day}" for n, day in self.byday)
        if self.bysetpos:
            parts["BYSETPOS"] = ",".join(map(str, self.bysetpos))
        if self.wkst:
            parts["WKST"] = self.wkst
        if self.count is not None:
            parts["COUNT"] = str(self.count)
        if self.until_utc is not None:
            parts["UNTIL"] = self.until_utc.strftime("%Y%m%dT%H%M%SZ")
        return ";".join(f"{key}={parts[key]}" for key in PART_ORDER if key in parts)


# The API's messages name the rule's parts for the programmer who wrote it;
# a person who chose "every week" on the form is told in plain words instead.
NOT_USABLE = N_("this repeating pattern cannot be used: choose one of the options, or check the custom rule")


def _refuse(message: str, plain: str = NOT_USABLE) -> ValidationError:
    return ValidationError("rrule", message, plain=plain)


def _int_list(key: str, raw: str, low: int, high: int, *, allow_negative: bool) -> tuple[int, ...]:
    values: list[int] = []
    for item in raw.split(","):
        if not re.fullmatch(r"[+-]?\d{1,6}", item):
            raise _refuse(f"{key} takes whole numbers, not {item!r}")
        number = int(item)
        if number == 0 or abs(number) < low or abs(number) > high or (number < 0 and not allow_negative):
            raise _refuse(f"{key} value {item} is out of range")
        values.append(number)
    return tuple(values)


def _parse_until(raw: str, zone_name: str) -> datetime:
    match = _UNTIL.match(raw)
    if not match:
        raise _refuse("UNTIL is a date (20261231) or a UTC time (20261231T235959Z)")
    day, time, utc_marker = match.groups()
    try:
        if time is None:
            # A bare date means "up to and including that day" where the chapter is.
            local = datetime.strptime(day, "%Y%m%d").replace(hour=23, minute=59, second=59)
            return zones.to_utc(local, zone_name)
        moment = datetime.strptime(day + time, "%Y%m%d%H%M%S")
    except ValueError:
        raise _refuse(f"UNTIL {raw} is not a real date") from None
    return moment.replace(tzinfo=UTC) if utc_marker else zones.to_utc(moment, zone_name)


def parse_rrule(value: str, *, timezone: str) -> RecurrenceRule:
    """The rule in `value` if it is inside the supported subset, else ValidationError("rrule")."""
    if not isinstance(value, str):
        raise _refuse("must be a string such as FREQ=WEEKLY;COUNT=6")
    text = value.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not text or len(text) > 500:
        raise _refuse("must be an RRULE value such as FREQ=WEEKLY;COUNT=6")
    parts: dict[str, str] = {}
    for item in text.upper().split(";"):
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not raw.strip():
            raise _refuse(f"{item!r} is not KEY=VALUE")
        if key not in PART_ORDER:
            raise _refuse(f"{key} is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, "
                          "BYMONTH, BYSETPOS, COUNT, UNTIL, WKST)")
        if key in parts:
            raise _refuse(f"{key} is given twice")
        parts[key] = raw.strip()

    freq = parts.get("FREQ")
    if freq is None:
        raise _refuse("FREQ is required")
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise _refuse(f"FREQ={freq} is not a meeting schedule; the shortest is DAILY")
    if freq not in FREQUENCIES:
        raise _refuse(f"FREQ={freq} is not one of DAILY, WEEKLY, MONTHLY, YEARLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _refuse("give COUNT or UNTIL, not both")

    byday: list[tuple[int | None, str]] = []
    for item in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = _BYDAY.match(item)
        if not match:
            raise _refuse(f"BYDAY value {item!r} is not a weekday such as TU, -1TU or 2WE")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None:
            if freq not in ("MONTHLY", "YEARLY"):
                raise _refuse(f"BYDAY={item} (a numbered weekday) needs FREQ=MONTHLY or YEARLY")
            limit = 5 if freq == "MONTHLY" or "BYMONTH" in parts else 53
            if ordinal == 0 or abs(ordinal) > limit:
                raise _refuse(f"BYDAY value {item} is out of range")
        byday.append((ordinal, match.group(2)))
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise _refuse("BYMONTHDAY cannot be used with FREQ=WEEKLY")
    if "BYSETPOS" in parts and not {"BYDAY", "BYMONTHDAY", "BYMONTH"} & parts.keys():
        raise _refuse("BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH to choose from")

    interval = _int_list("INTERVAL", parts.get("INTERVAL", "1"), 1, MAX_INTERVAL, allow_negative=False)
    count = _int_list("COUNT", parts["COUNT"], 1, MAX_COUNT, allow_negative=False) if "COUNT" in parts else None
    if len(interval) != 1 or (count is not None and len(count) != 1):
        raise _refuse("INTERVAL and COUNT take one number")
    wkst = parts.get("WKST")
    if wkst is not None and wkst not in WEEKDAYS:
        raise _refuse(f"WKST={wkst} is not a weekday")
    bymonthday = (_int_list("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, allow_negative=True)
                  if "BYMONTHDAY" in parts else ())
    bymonth = _int_list("BYMONTH", parts["BYMONTH"], 1, 12, allow_negative=False) if "BYMONTH" in parts else ()
    # The commonest impossible rule (30 February), refused without searching.
    if bymonthday and not any(abs(day) <= _LONGEST_MONTH[month] for day in bymonthday
                              for month in bymonth or range(1, 13)):
        raise _refuse("none of the months chosen has that day")
    return RecurrenceRule(
        freq=freq,
        interval=interval[0],
        byday=tuple(byday),
        bymonthday=bymonthday,
        bymonth=bymonth,
        bysetpos=_int_list("BYSETPOS", parts["BYSETPOS"], 1, 366, allow_negative=True)
        if "BYSETPOS" in parts else (),
        count=count[0] if count else None,
        until_utc=_parse_until(parts["UNTIL"], timezone) if "UNTIL" in parts else None,
        wkst=wkst,
    )


def _rule_starts(rule: RecurrenceRule, start_local: datetime, timezone: str, bound_local: datetime) -> Iterator[datetime]:
    """Naive local starts generated by the rule, in order, none after `bound_local`."""
    until_local = bound_local
    if rule.until_utc is not None:
        until_local = min(until_local, zones.to_local(rule.until_utc, timezone) + timedelta(hours=3))
    if until_local < start_local:
        return
    starts = du.rrule(
        FREQUENCIES[rule.freq],
        dtstart=start_local,
        interval=rule.interval,
        wkst=WEEKDAYS[rule.wkst] if rule.wkst else None,
        byweekday=[WEEKDAYS[day](n) if n is not None else WEEKDAYS[day] for n, day in rule.byday] or None,
        bymonthday=rule.bymonthday or None,
        bymonth=rule.bymonth or None,
        bysetpos=rule.bysetpos or None,
        until=until_local,
        cache=False,
    )
    # COUNT counts from the first occurrence, so it is applied here rather
    # than given to dateutil, which may not have both COUNT and an UNTIL.
    generated: Iterator[datetime] = iter(starts)
    if rule.count is not None:
        generated = islice(generated, rule.count)
    for local in generated:
        # The three hours above absorb the zone offset; the exact test is in UTC.
        if rule.until_utc is not None and zones.to_utc(local, timezone) > rule.until_utc:
            return
        yield local


def _first_start(rule: RecurrenceRule, start_local: datetime) -> datetime | None:
    """The rule's first date on or after `start_local`, ignoring COUNT and
    UNTIL, or None if it has none.

    dateutil tests UNTIL only on dates it has found, so for a rule that has
    none (BYMONTH=2;BYMONTHDAY=30) it would search day by day up to the year
    9999. Because the calendar repeats every 400 years, the same search from
    the start moved whole cycles into the future finds the same pattern, and
    there dateutil gives up after 400 to 800 years of searching.
    """
    cycles = (MAXYEAR - 2 * GREGORIAN_CYCLE_YEARS - start_local.year) // GREGORIAN_CYCLE_YEARS + 1
    shift = cycles * GREGORIAN_CYCLE_YEARS
    moved_rule = RecurrenceRule(freq=rule.freq, interval=rule.interval, byday=rule.byday,
                                bymonthday=rule.bymonthday, bymonth=rule.bymonth,
                                bysetpos=rule.bysetpos, wkst=rule.wkst)
    found = next(_rule_starts(moved_rule, start_local.replace(year=start_local.year + shift), "UTC",
                              datetime(MAXYEAR, 12, 31)), None)
    return None if found is None else found.replace(year=found.year - shift)


def validate_rrule(value: str, *, start_local: datetime, timezone: str) -> str:
    """The canonical form of `value` for an event starting at `start_local`.

    Besides the subset, the event's start must be the rule's first
    occurrence: RFC 5545 leaves other cases undefined and calendar apps
    disagree about them, so we refuse rather than show different dates.
    """
    rule = parse_rrule(value, timezone=timezone)
    if rule.until_utc is not None and rule.until_utc < zones.to_utc(start_local, timezone):
        raise _refuse("UNTIL is before the event's start", N_("the last date is before the event starts"))
    first = _first_start(rule, start_local)
    if first is None:
        raise _refuse("this rule never gives a date", N_("this repeating pattern never gives a date"))
    if first != start_local:
        raise _refuse(
            f"the event's start ({start_local:%a %d %b %Y}) is not one of the rule's dates; "
            f"the first would be {first:%a %d %b %Y}",
            N_("the start date is not one of the dates this pattern gives: move the start, or choose another pattern"),
        )
    return rule.to_value()


@dataclass(frozen=True)
class Occurrence:
    start_local: datetime  # naive wall-clock time in the event's zone
    end_local: datetime
    start_utc: datetime
    end_utc: datetime
    original_start: datetime  # where the rule puts it (iCalendar's RECURRENCE-ID)
    cancelled: bool = False
    moved: bool = False


def _occurrence(event: Event, original: datetime, start: datetime, end: datetime, *,
                cancelled: bool, moved: bool) -> Occurrence:
    start_utc = zones.to_utc(start, event.timezone)
    end_utc = zones.to_utc(end, event.timezone)
    return Occurrence(
        # Normalised, so an instance falling in a DST gap shows the real time.
        start_local=zones.to_local(start_utc, event.timezone),
        end_local=zones.to_local(end_utc, event.timezone),
        start_utc=start_utc,
        end_utc=end_utc,
        original_start=original,
        cancelled=cancelled or event.is_cancelled,
        moved=moved,
    )


def _generated(event: Event, bound_local: datetime) -> Iterator[datetime]:
    if event.rrule is None:
        yield event.start_local
        return
    rule = parse_rrule(event.rrule, timezone=event.timezone)
    yield from _rule_starts(rule, event.start_local, event.timezone, bound_local)


def is_occurrence(event: Event, original_start: datetime) -> bool:
    """True when the event's rule (or single date) puts an occurrence at `original_start`."""
    return any(start == original_start for start in _generated(event, original_start))


def iter_occurrences(event: Event, window_start_utc: datetime, window_end_utc: datetime) -> Iterator[Occurrence]:
    """Occurrences overlapping the window, in order of start, cancelled ones included."""
    wall_length = event.end_local - event.start_local
    local_from = zones.to_local(window_start_utc, event.timezone) - wall_length - timedelta(days=1)
    local_to = zones.to_local(window_end_utc, event.timezone) + timedelta(days=1)

    def overlaps(occurrence: Occurrence) -> bool:
        return occurrence.end_utc > window_start_utc and occurrence.start_utc < window_end_utc

    def regular() -> Iterator[Occurrence]:
        for original in _generated(event, local_to):
            if original < local_from:
                continue
            change = event.change_for(original)
            if change is not None and not change.cancelled:
                continue  # shown at its new time by moved() below
            occurrence = _occurrence(event, original, original, original + wall_length,
                                     cancelled=change is not None, moved=False)
            if overlaps(occurrence):
                yield occurrence

    def moved() -> Iterator[Occurrence]:
        found: list[Occurrence] = []
        for change in event.exceptions:
            if change.start_local is None or change.end_local is None:
                continue
            occurrence = _occurrence(event, change.original_start, change.start_local,
                                     change.end_local, cancelled=False, moved=True)
            if overlaps(occurrence) and is_occurrence(event, change.original_start):
                found.append(occurrence)
        yield from sorted(found, key=lambda o: o.start_utc)

    yield from heapq.merge(regular(), moved(), key=lambda o: o.start_utc)


def occurrences(event: Event, window_start_utc: datetime, window_end_utc: datetime, *,
                limit: int = MAX_OCCURRENCES_PER_QUERY) -> list[Occurrence]:
    """At most `limit` (and never more than MAX_OCCURRENCES_PER_QUERY)
    occurrences overlapping [window_start_utc, window_end_utc)."""
    if window_start_utc.utcoffset() is None or window_end_utc.utcoffset() is None:
        raise ValueError("the window is given as aware datetimes")
    cap = max(0, min(limit, MAX_OCCURRENCES_PER_QUERY))
    return list(islice(iter_occurrences(event, window_start_utc, window_end_utc), cap))


def next_occurrence(event: Event, after_utc: datetime) -> Occurrence | None:
    """The first occurrence not cancelled that has not ended by `after_utc`."""
    for occurrence in iter_occurrences(event, after_utc, after_utc + LOOKAHEAD):
        if not occurrence.cancelled:
            return occurrence
    return None


def series_end_utc(event: Event) -> datetime | None:
    """When the last occurrence ends at the latest; None for an open-ended
    rule. An upper bound meant for "upcoming events" queries."""
    moved_ends = [zones.to_utc(c.end_local, event.timezone) for c in event.exceptions if c.end_local]
    if event.rrule is None:
        return event.end_utc
    rule = parse_rrule(event.rrule, timezone=event.timezone)
    if rule.count is not None:
        # Generous enough for the sparsest rule (29 February, counted yearly),
        # capped so the arithmetic stays inside datetime's range.
        days = min(366 * 4 * (rule.count + 1) * rule.interval,
                   (datetime(9000, 1, 1) - event.start_local).days)
        far = event.start_local + timedelta(days=days)
        last = None
        for last in _rule_starts(rule, event.start_local, event.timezone, far):
            pass
        assert last is not None  # validation ensured the start is an occurrence
        end = zones.to_utc(last + (event.end_local - event.start_local), event.timezone)
    elif rule.until_utc is not None:
        end = rule.until_utc + event.duration + timedelta(hours=3)
    else:
        return None
    return max([end, *moved_ends])


def _change_target(event: Event, original_start: datetime) -> None:
    if not event.is_recurring:
        raise ValidationError("occurrence", N_("only a recurring event has separate occurrences"))
    if not is_occurrence(event, original_start):
        raise ValidationError("occurrence", N_("the event has no occurrence at %(original_start)s"),
                              original_start=format(original_start, "%Y-%m-%d %H:%M"))


def cancel_occurrence(event: Event, original_start: datetime, *, now: datetime) -> Event:
    """The event with one occurrence cancelled (iCalendar EXDATE)."""
    _change_target(event, original_start)
    return event.with_change(OccurrenceChange(original_start=original_start, cancelled=True), now=now)


def move_occurrence(event: Event, original_start: datetime, start_local: datetime,
                    end_local: datetime, *, now: datetime) -> Event:
    """The event with one occurrence moved to new local times (a RECURRENCE-ID override)."""
    _change_target(event, original_start)
    for name, value in (("start", start_local), ("end", end_local)):
        if zones.is_nonexistent(value, event.timezone):
            raise ValidationError(name, N_("%(value)s does not exist in %(timezone)s: the clocks go forward then"),
                                  value=format(value, "%Y-%m-%d %H:%M"), timezone=event.timezone)
    if end_local <= start_local:
        raise ValidationError("end", N_("must be after the start"))
    change = OccurrenceChange(original_start=original_start, start_local=start_local, end_local=end_local)
    return event.with_change(change, now=now)


def headline_occurrence(event: Event, now: datetime) -> Occurrence:
    """The date an event's page leads with: the next one not cancelled, else
    (a cancelled or finished event) the last one it had, else its own start."""
    upcoming = next_occurrence(event, now)
    if upcoming is not None:
        return upcoming
    end = series_end_utc(event) or now
    earlier = occurrences(event, max(event.start_utc, min(end, now) - LOOKAHEAD), max(end, event.end_utc))
    if earlier:
        kept = [occurrence for occurrence in earlier if not occurrence.cancelled]
        return (kept or earlier)[-1]
    return _occurrence(event, event.start_local, event.start_local, event.end_local, cancelled=False, moved=False)
