"""Issue 17.7 and 17.3 in a real browser, in English and German: votes as
bars, an STV count drawn stage by stage, attendance over the meetings, and
the calendar as a month grid (a list on a phone); every page axe-clean and
allowed by the Content-Security-Policy, with screenshots for the README."""
from __future__ import annotations

from datetime import date

from playwright.sync_api import Browser, Page, expect

from fedchapter.cli.demo_events import next_last_tuesday
from tests.browser.conftest import ADMIN, SCREENSHOTS, Server
from tests.browser.pages import check_page, log_in, new_page

ELECTION = "Elect two delegates to the international conference"
POLL = "Hold the autumn social at the Lamb pub"


def _proposal_path(page: Page, title: str) -> str:
    page.goto("/proposals")
    href = page.get_by_role("link", name=title).first.get_attribute("href")
    assert href, f"no link named {title!r}"
    return href


def test_votes_are_bars_and_an_stv_count_is_drawn_stage_by_stage(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    election = _proposal_path(page, ELECTION)
    # README: docs/screenshots/proposal-stv-chart.png, proposal-stv-chart-de.png and proposal-bars.png.
    check_page(page, election, "proposal-stv-chart")
    chart = page.get_by_role("img", name="Transfers stage by stage")
    expect(chart).to_be_visible()
    expect(chart.locator("text.heading").first).to_contain_text("Stage 1 · elected: Priya Natarajan")
    expect(page.locator("table.stages")).to_be_visible()  # the same figures, for screen readers
    check_page(page, election + "?lang=de", "proposal-stv-chart-de")
    expect(page.get_by_role("img", name="Übertragungen Runde für Runde")).to_be_visible()
    expect(page.locator("svg.stages text.heading").first).to_contain_text("Runde 1 · gewählt: Priya Natarajan")

    poll = _proposal_path(page, POLL)
    check_page(page, poll + "?lang=en", "proposal-bars")
    bars = page.get_by_role("img", name="Votes so far for each option")
    expect(bars).to_be_visible()
    expect(bars.locator("text").first).to_have_text("Yes: 1")
    check_page(page, poll + "?lang=de")
    expect(page.get_by_role("img", name="Bisherige Stimmen je Option").locator("text").first).to_have_text("Ja: 1")
    page.goto("/?lang=en")


def test_the_minutes_list_shows_attendance_over_time(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)  # members see the members-only steering committee too: two meetings
    check_page(page, "/minutes", "minutes-attendance")  # README: docs/screenshots/minutes-attendance.png
    chart = page.get_by_role("img", name="People present at each meeting")
    expect(chart).to_be_visible()
    expect(chart.locator("text.value")).to_have_text(["5", "14"])
    check_page(page, "/minutes?lang=de")
    expect(page.get_by_role("img", name="Anwesende bei jedem Treffen")).to_be_visible()
    page.goto("/?lang=en")


def test_the_month_grid_lists_each_days_events_and_pages_by_month(browser: Browser, server: Server) -> None:
    meeting = next_last_tuesday(date.today())
    page = new_page(browser, server)
    page.goto("/events")
    page.get_by_role("link", name="Month view").click()
    expect(page.get_by_role("table")).to_be_visible()
    month = f"/events/month/{meeting.year}/{meeting.month}"
    # README: docs/screenshots/events-month.png, events-month-de.png and events-month-phone.png.
    check_page(page, month, "events-month")
    grid = page.get_by_role("table", name=f"Events in {meeting:%B %Y}")
    expect(grid.get_by_role("columnheader")).to_have_count(7)
    meeting_day = grid.get_by_role("cell").filter(has=page.locator(f'time[datetime="{meeting.isoformat()}"]'))
    expect(meeting_day.get_by_role("link", name="Monthly meeting")).to_be_visible()
    expect(meeting_day).to_contain_text("18:30")
    page.locator('a[rel="next"]').click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(f"Events in {meeting:%B %Y}")
    page.locator('a[rel="prev"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Events in {meeting:%B %Y}")

    check_page(page, month + "?lang=de", "events-month-de")
    expect(page.get_by_role("columnheader", name="Mo.")).to_be_visible()
    expect(page.get_by_role("link", name="Monatsansicht")).to_have_count(0)  # the grid links back, not to itself

    phone = new_page(browser, server, phone=True)
    check_page(phone, month + "?lang=en", "events-month-phone")
    expect(phone.get_by_role("columnheader").first).to_be_hidden()  # a list of days on a phone
    expect(phone.get_by_text(f"{meeting:%A}, {meeting:%B} {meeting.day}, {meeting.year}")).to_be_visible()
    assert SCREENSHOTS.joinpath("events-month-phone.png").exists()
