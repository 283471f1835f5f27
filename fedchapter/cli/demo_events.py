"""The demo chapter's events, made through the same service as the site and
the API: a monthly meeting on the last Tuesday at Birkbeck, a weekly
international call at 15:00 UTC, a rally with a meet-up point, an online
reading group and a one-day conference; the rally has a poster. Dates are counted from today so the
demo always has something coming up."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fedchapter.cli.composition import running_chapter
from fedchapter.cli.demo_poster import POSTER_ALT, rally_poster
from fedchapter.media.model import MediaOwner, MediaRole, OwnerKind
from fedchapter.readers import Reader
from fedchapter.events.validation import parse_event_input
from fedchapter.settings import Settings

RALLY_TITLE = "Tenants' union solidarity rally"  # the event with a poster
BIRKBECK = {"name": "Birkbeck, University of London", "street": "Malet Street", "locality": "London",
            "postal_code": "WC1E 7HX", "country": "UK", "lat": 51.5219, "lon": -0.1302}


def last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def next_last_tuesday(today: date) -> date:
    found = last_weekday_of_month(today.year, today.month, 1)
    if found <= today:
        month = today.month % 12 + 1
        found = last_weekday_of_month(today.year + (today.month == 12), month, 1)
    return found


def next_weekday(today: date, weekday: int, *, weeks_ahead: int = 0) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7) + timedelta(weeks=weeks_ahead)


def next_october_20th_on_a_saturday(today: date) -> date:
    year = today.year if date(today.year, 10, 20) > today else today.year + 1
    while date(year, 10, 20).weekday() != 5:
        year += 1
    return date(year, 10, 20)


def demo_event_bodies(today: date) -> list[dict[str, Any]]:
    meeting = next_last_tuesday(today)
    call = next_weekday(today, 2)
    rally = next_weekday(today, 5, weeks_ahead=2)
    reading = next_weekday(today, 3)
    conference = next_october_20th_on_a_saturday(today)
    return [
        {"title": "Monthly meeting", "start": f"{meeting}T18:30", "end": f"{meeting}T20:30",
         "timezone": "Europe/London", "location": BIRKBECK, "rrule": "FREQ=MONTHLY;BYDAY=-1TU",
         "category": "MEETING",
         "description": "Our general meeting, **last Tuesday of the month at 6.30pm**. Agenda and minutes "
                        "are posted here. Room details on the noticeboard at the Malet Street entrance."},
        {"title": "International coordination call", "start": f"{call}T15:00", "end": f"{call}T16:00",
         "timezone": "UTC", "online_url": "https://meet.example.org/international-coordination",
         "rrule": "FREQ=WEEKLY", "category": "MEETING",
         "description": "Every chapter's delegates, every week at **15:00 UTC**: the page shows it in your zone."},
        {"title": RALLY_TITLE, "start": f"{rally}T14:00", "end": f"{rally}T16:00",
         "timezone": "Europe/London", "category": "MOVEMENTS_POLITICS",
         "location": {"name": "Parliament Square", "locality": "London", "postal_code": "SW1P 3BD",
                      "country": "UK", "lat": 51.5005, "lon": -0.1264},
         "meetup": {"start": f"{rally}T13:00",
                    "location": {"name": "Westminster Station, Bridge Street exit", "locality": "London"}},
         "description": "We march together with the tenants' union. Bring banners, water and a friend."},
        {"title": "Reading group: Parecon", "start": f"{reading}T19:00", "end": f"{reading}T20:30",
         "timezone": "Europe/London", "online_url": "https://meet.example.org/reading-group",
         "rrule": "FREQ=WEEKLY;INTERVAL=2;COUNT=6", "category": "BOOK_CLUBS",
         "description": "Michael Albert's *Parecon: Life After Capitalism*, two chapters each time."},
        {"title": "International conference: building a participatory society", "start": f"{conference}T10:00",
         "end": f"{conference}T17:30", "timezone": "Europe/London", "category": "LEARNING",
         "location": {"name": "Conway Hall", "street": "25 Red Lion Square", "locality": "London",
                      "postal_code": "WC1R 4RL", "country": "UK", "lat": 51.5189, "lon": -0.1186},
         "capacity": 200, "join_mode": "external",
         "external_participation_url": "https://tickets.example.org/participatory-society-conference",
         "description": "A day of talks and workshops with speakers from chapters in five countries. "
                        "Info and tickets at the link."},
    ]


async def add_demo_events(settings: Settings, today: date) -> None:
    async with running_chapter(settings, run_workers=False) as chapter:
        service = chapter.events.events
        for body in demo_event_bodies(today):
            draft = parse_event_input(body, default_timezone=settings.timezone, default_language=settings.language)
            event = await service.create(draft)
            if body["title"] == RALLY_TITLE:
                await chapter.media.add_image(MediaOwner(OwnerKind.EVENT, event.id), MediaRole.POSTER,
                                              rally_poster(), alt=POSTER_ALT, reader=Reader(is_member=True))
