"""Dates and times as people read them: "Tue 24 Jun 18:30 BST – Birkbeck, London".

This line is the `summary` of every Event we federate, because Mastodon drops
an Event's content and shows only its name and summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time, get_timezone_name

from fedchapter.events import zones
from fedchapter.events.model import Event
from fedchapter.events.recurrence import Occurrence

# Bare "en" is US English in CLDR; an international movement writing English
# writes "Tue 24 Jun 18:30". Ask for "en-US" to get "Tue, Jun 24 6:30 PM".
_LOCALE_ALIASES = {"en": "en_GB"}
_FALLBACK_LOCALE = "en_GB"
_ONLINE = {"en": "Online", "de": "Online", "fr": "En ligne", "es": "En línea", "it": "Online",
           "nl": "Online", "pt": "Online", "sv": "Online", "da": "Online", "pl": "Online"}
_CANCELLED = {"en": "Cancelled", "de": "Abgesagt", "fr": "Annulé", "es": "Cancelado",
              "it": "Annullato", "nl": "Afgelast", "pt": "Cancelado", "sv": "Inställt",
              "da": "Aflyst", "pl": "Odwołane"}


# Bounded: the tags come from other servers, so an unbounded cache could grow forever.
@lru_cache(maxsize=128)
def babel_locale(tag: str) -> Locale:
    """The Babel locale for a BCP 47 tag; unknown or malformed tags (they
    arrive from other servers) fall back to international English."""
    name = _LOCALE_ALIASES.get(tag, tag.replace("-", "_"))
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(_FALLBACK_LOCALE)


def _has_negative_dst(moment: datetime) -> bool:
    # Europe/Dublin keeps "standard" time in summer and a negative DST in
    # winter; Babel then names Irish summer time "GMT". Detect such zones
    # by looking half a year either side.
    return any(
        (offset := (moment + timedelta(days=days)).dst()) is not None and offset < timedelta(0)
        for days in (-183, 0, 183)
    )


def _offset_label(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_abbreviation(moment: datetime, locale: str = "en") -> str:
    """A short name for the zone at an aware `moment`: BST, GMT, IST, AEDT, MESZ, UTC+4.

    English readers get the tz database's abbreviations, which are the ones
    used in those places; other languages get CLDR's localised short name
    (MESZ in German) when CLDR has one, else the tz database's, else UTC±H.
    """
    loc = babel_locale(locale)
    if loc.language != "en" and not _has_negative_dst(moment):
        name = get_timezone_name(moment, width="short", locale=loc)
        if name and name[0].isalpha() and " " not in name and not name.startswith(("GMT+", "GMT-", "UTC+", "UTC-")):
            return name
    abbreviation = moment.tzname() or ""
    if abbreviation and abbreviation[0].isalpha():
        return abbreviation
    return _offset_label(moment)


def _day(moment: datetime, locale: Locale, *, with_year: bool) -> str:
    return format_skeleton("yMMMEd" if with_year else "MMMEd", moment, locale=locale)


def _time(moment: datetime, locale: Locale) -> str:
    # CLDR puts a narrow no-break space before "PM"; some fediverse clients
    # and terminals show it as a box, so a plain space goes out instead.
    return format_time(moment.replace(tzinfo=None), "short", locale=locale).replace("\u202f", " ")


def format_in_zone(instant: datetime, zone_name: str, locale: str = "en", *, with_year: bool = False) -> str:
    """An instant as wall-clock time in `zone_name`: "Tue 24 Jun 18:30 BST"
    (for the "in your zone" line under an international call)."""
    moment = instant.astimezone(zones.zone(zone_name))
    loc = babel_locale(locale)
    return f"{_day(moment, loc, with_year=with_year)} {_time(moment, loc)} {zone_abbreviation(moment, locale)}"


def format_span(start_utc: datetime, end_utc: datetime, zone_name: str, locale: str = "en", *,
                with_year: bool = False, show_end: bool = False) -> str:
    """When something happens, in `zone_name`.

    A one-day event shows its start ("Tue 24 Jun 18:30 BST", or with
    `show_end` "Tue 24 Jun 18:30–20:30 BST"); one running over several days
    shows both ends ("Sat 18 Oct 10:00 – Mon 20 Oct 17:30 BST").
    """
    tz = zones.zone(zone_name)
    start, end = start_utc.astimezone(tz), end_utc.astimezone(tz)
    loc = babel_locale(locale)
    start_zone, end_zone = zone_abbreviation(start, locale), zone_abbreviation(end, locale)
    day = _day(start, loc, with_year=with_year)
    # An event ending at midnight belongs to its first day.
    last_day = (end - timedelta(microseconds=1)).date()
    if start.date() == last_day:
        if not show_end:
            return f"{day} {_time(start, loc)} {start_zone}"
        if start_zone == end_zone:
            return f"{day} {_time(start, loc)}–{_time(end, loc)} {end_zone}"
        return f"{day} {_time(start, loc)} {start_zone} – {_time(end, loc)} {end_zone}"
    first = f"{day} {_time(start, loc)}"
    if start_zone != end_zone:
        first += f" {start_zone}"
    return f"{first} – {_day(end, loc, with_year=with_year)} {_time(end, loc)} {end_zone}"


def place_label(event: Event, locale: str = "en") -> str:
    """"Birkbeck, London", "Online", or "Birkbeck, London + Online" for a hybrid event."""
    online = _ONLINE.get(babel_locale(locale).language, "Online")
    if event.location is None:
        return online if event.online_url else ""
    return f"{event.location.label} + {online}" if event.online_url else event.location.label


def event_summary_line(event: Event, occurrence: Occurrence | None = None, locale: str = "en") -> str:
    """One line with the essentials: "Tue 24 Jun 18:30 BST – Birkbeck, London".

    `occurrence` picks one date of a recurring event (default: its first).
    A cancelled event or occurrence starts with "Cancelled: ".
    """
    start_utc = occurrence.start_utc if occurrence else event.start_utc
    end_utc = occurrence.end_utc if occurrence else event.end_utc
    line = format_span(start_utc, end_utc, event.timezone, locale)
    place = place_label(event, locale)
    if place:
        line = f"{line} – {place}"
    if event.is_cancelled or (occurrence is not None and occurrence.cancelled):
        line = f"{_CANCELLED.get(babel_locale(locale).language, 'Cancelled')}: {line}"
    return line
