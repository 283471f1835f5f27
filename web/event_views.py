"""Events as the pages show them: the date and time in the chapter's zone
with the zone named ("Tue 24 Jun 18:30–20:30 BST"), and in the reader's
zone when they ask (`?tz=Europe/Vienna`), the place, a map link."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.requests import Request

from fedchapter.events import zones
from fedchapter.events.model import Event, Place
from fedchapter.events.recurrence import Occurrence
from fedchapter.events.timefmt import format_span, place_label
from web.context import context_of
from web.readers import reader_for

# Zones offered first in the "show times in my zone" form: where the movement's chapters are.
COMMON_ZONES = (
    "Europe/London", "Europe/Dublin", "Europe/Vienna", "Europe/Berlin", "Europe/Paris",
    "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo",
    "Australia/Melbourne", "Asia/Kolkata", "Africa/Johannesburg", "UTC",
)


def reader_zone(request: Request) -> str | None:
    """The zone the reader asked for with `?tz=`, if it is a real one."""
    raw = request.query_params.get("tz", "").strip()
    return raw if raw and zones.is_known_zone(raw) else None


@lru_cache(maxsize=1)
def all_zones() -> list[str]:
    return sorted(zones.known_zone_names() - {"localtime", "Factory"})


@lru_cache(maxsize=64)
def other_zone_options(selected: str) -> Markup:
    """The ~600 <option>s of the zones outside COMMON_ZONES, built once per
    selected zone: rendering them in the template was most of an event page's CPU."""
    common = set(COMMON_ZONES)
    return Markup("".join(
        f'<option value="{escape(zone)}"{" selected" if zone == selected else ""}>{escape(zone)}</option>'
        for zone in all_zones() if zone not in common
    ))


def map_url(place: Place | None) -> str | None:
    """An OpenStreetMap link (a link only: no embedded map, no script)."""
    if place is None:
        return None
    if place.has_coordinates:
        return (f"https://www.openstreetmap.org/?mlat={place.lat:.6f}&mlon={place.lon:.6f}"
                f"#map=17/{place.lat:.6f}/{place.lon:.6f}")
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place.full_address})


@dataclass(frozen=True)
class OccurrenceView:
    event: Event
    occurrence: Occurrence
    url: str
    when: str  # in the event's zone
    when_for_reader: str | None  # in the reader's zone, when asked and different
    when_for_chapter: str | None  # in the chapter's zone, when the event has another
    place: str
    chapter_name: str | None = None
    chapter_url: str | None = None
    # A meeting of a network the chapter belongs to: who represents the chapter
    # there (empty: nobody holds the office); None for any other event.
    representatives: tuple[str, ...] | None = None

    @property
    def cancelled(self) -> bool:
        return self.occurrence.cancelled


def when_text(occurrence: Occurrence, zone_name: str, locale: str) -> str:
    # The year is said when it is not this one ("Tue 5 Jan 2027 18:30 GMT"):
    # a list reaching into next year, or a past event, is otherwise ambiguous.
    this_year = datetime.now(UTC).year
    with_year = occurrence.start_utc.year != this_year or occurrence.end_utc.year != this_year
    return format_span(occurrence.start_utc, occurrence.end_utc, zone_name, locale, show_end=True,
                       with_year=with_year)


def occurrence_view(
    event: Event, occurrence: Occurrence, *, url: str, locale: str, reader_tz: str | None,
    chapter_tz: str | None = None, chapter_name: str | None = None, chapter_url: str | None = None,
) -> OccurrenceView:
    """`chapter_tz` is the zone of the chapter whose site shows the event: a
    15:00 UTC call also reads "16:00 BST" on the London chapter's pages."""
    when = when_text(occurrence, event.timezone, locale)
    for_reader = when_text(occurrence, reader_tz, locale) if reader_tz else None
    for_chapter = when_text(occurrence, chapter_tz, locale) if chapter_tz else None
    return OccurrenceView(
        event=event, occurrence=occurrence, url=url, when=when,
        when_for_reader=for_reader if for_reader != when else None,
        when_for_chapter=for_chapter if for_chapter not in (when, for_reader) else None,
        place=place_label(event, locale), chapter_name=chapter_name, chapter_url=chapter_url,
    )


HOME_EVENTS = 5


async def next_events_for_home(request: Request) -> list[OccurrenceView]:
    """The next few events (each once) for the home page, as this reader may see them."""
    ctx = context_of(request)
    found = await ctx.events.events.next_of_each(await reader_for(request))
    language = getattr(request.state, "language", "en")
    return [occurrence_view(d.event, d.occurrence, url=ctx.urls.event(d.event.id), locale=language,
                            reader_tz=reader_zone(request), chapter_tz=ctx.settings.timezone)
            for d in found[:HOME_EVENTS]]
