"""The calendar's month grid: a table of weeks with the weekdays as headers,
each day with its events in the chapter's zone (a series on every one of
its dates), the months before and after a link away, members-only events
for members only, German on German pages."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import publish_event
from tests.support.instances import Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import log_in
from web.month_grid import first_of_month, month_window


def days_listing(page: str, title: str) -> list[str]:
    """The dates (from each cell's <time>) whose cell lists `title`."""
    cells = re.findall(r'<td class="[^"]*"[^>]*>(.*?)</td>', page, flags=re.S)
    return [re.search(r'datetime="([\d-]+)"', cell).group(1)  # type: ignore[union-attr]
            for cell in cells if title in cell]


async def publish(london: Instance, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Weekly call", "start": f"{YEAR}-03-02T18:30", "end": f"{YEAR}-03-02T19:30",
                            "timezone": "Europe/London", "online_url": "https://meet.example.org/call"}
    body.update(changes)
    return await publish_event(london, body)


async def test_a_series_fills_its_days_in_a_table_with_weekday_headers(london: Instance) -> None:
    await publish(london, rrule="FREQ=WEEKLY")
    page = (await london.client.get(f"/events/month/{YEAR}/3")).text
    weekly = [date(YEAR, 3, 2) + timedelta(weeks=n) for n in range(5) if (date(YEAR, 3, 2) + timedelta(weeks=n)).month == 3]
    assert days_listing(page, "Weekly call") == [day.isoformat() for day in weekly]
    assert "18:30" in page and f"<h1>Events in March {YEAR}</h1>" in page
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page
    assert '<caption class="visually-hidden">' in page and 'class="month"' in page
    assert f'href="/events/month/{YEAR}/2" rel="prev"' in page and f"February {YEAR}" in page
    assert f'href="/events/month/{YEAR}/4" rel="next"' in page
    april = (await london.client.get(f"/events/month/{YEAR}/4")).text
    assert len(days_listing(april, "Weekly call")) in (4, 5)
    assert "style=" not in page


async def test_days_are_the_chapters_and_a_long_event_is_on_each_of_its_days(london: Instance) -> None:
    # 23:30 UTC on 10 July is 00:30 on 11 July in London (BST).
    await publish(london, title="Night call", start=f"{YEAR}-07-10T23:30", end=f"{YEAR}-07-11T00:30", timezone="UTC")
    await publish(london, title="Conference", start=f"{YEAR}-07-17T10:00", end=f"{YEAR}-07-19T17:00")
    page = (await london.client.get(f"/events/month/{YEAR}/7")).text
    assert days_listing(page, "Night call") == [f"{YEAR}-07-11"]
    assert days_listing(page, "Conference") == [f"{YEAR}-07-{day}" for day in (17, 18, 19)]
    assert page.count('<span class="time">10:00</span>') == 1  # the time on its first day only
    assert '<span class="time">00:30</span>' in page


async def test_the_events_page_links_the_month_grid_which_opens_on_this_month(london: Instance) -> None:
    assert 'href="/events/month"' in (await london.client.get("/events")).text
    this_month = await london.client.get("/events/month")
    assert this_month.status_code == 200 and 'aria-current="date"' in this_month.text
    assert "No events this month." in this_month.text


async def test_a_month_that_does_not_exist_is_not_found(london: Instance) -> None:
    assert (await london.client.get(f"/events/month/{YEAR}/13")).status_code == 404
    assert (await london.client.get("/events/month/99999/1")).status_code == 404
    assert first_of_month(YEAR, 0) is None and first_of_month(YEAR, 12) == date(YEAR, 12, 1)


async def test_members_only_events_are_in_members_grids_only(london: Instance) -> None:
    await publish(london, title="Members' planning", visibility="members")
    assert "planning" not in (await london.client.get(f"/events/month/{YEAR}/3")).text
    await london.ctx.accounts.create_user("mia", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mia", PASSWORD)
    page = (await london.client.get(f"/events/month/{YEAR}/3")).text
    assert days_listing(page, "planning") == [f"{YEAR}-03-02"] and "(Members only)" in page


async def test_the_grid_speaks_german(london: Instance) -> None:
    await publish(london)
    page = (await london.client.get(f"/events/month/{YEAR}/3?lang=de")).text
    assert f"März {YEAR}" in page and '<abbr title="Montag">Mo.</abbr>' in page
    assert "Zeiten werden in der Zeitzone der Ortsgruppe angezeigt (Europe/London)." in page


def test_the_months_window_is_its_midnights_in_the_chapters_zone() -> None:
    start, end = month_window(date(YEAR, 7, 1), "Europe/London")
    assert (start.isoformat(), end.isoformat()) == (f"{YEAR}-06-30T23:00:00+00:00", f"{YEAR}-07-31T23:00:00+00:00")
