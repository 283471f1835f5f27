"""A facilitator creates an event, a member RSVPs, both pages pass axe-core."""
from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, expect

from fedchapter.cli.demo import DEMO_PASSWORD
from tests.browser.conftest import Server
from tests.browser.pages import check_page, log_in, log_out, new_page


def test_a_facilitator_creates_an_event_and_a_member_rsvps(browser: Browser, server: Server) -> None:
    day = (date.today() + timedelta(days=14)).isoformat()
    facilitator = new_page(browser, server)
    log_in(facilitator, "tom", DEMO_PASSWORD)
    check_page(facilitator, "/events/new", "event-new")
    facilitator.get_by_label("Title").fill("Tenants' assembly")
    facilitator.get_by_label("Description (Markdown)").fill("Bring your **rent rise letters**.")
    facilitator.get_by_label("Starts (local time)").fill(f"{day}T18:30")
    facilitator.get_by_label("Ends (local time)").fill(f"{day}T20:30")
    facilitator.locator("#e-location-name").fill("Birkbeck, Room 101")
    facilitator.get_by_role("button", name="Publish").click()
    expect(facilitator.get_by_role("heading", name="Tenants' assembly")).to_be_visible()
    event_path = facilitator.url.removeprefix(server.base_url)
    log_out(facilitator)

    member = new_page(browser, server, phone=True)
    log_in(member, "priya", DEMO_PASSWORD)
    member.goto(event_path)
    member.get_by_role("button", name="Going", exact=True).click()
    expect(member.get_by_text("Thank you, your answer is saved.")).to_be_visible()
    check_page(member, event_path, "event-phone")  # README: docs/screenshots/event-phone.png
    check_page(member, "/events", "events")
    log_out(member)
