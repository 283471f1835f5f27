"""Issue 17's journeys in a real browser, in English and German: a member's
disagreement heard with its reason, a calendar that speaks ("Last Tuesday of
every month, 18:30") and groups a series, and a secretary's handover that
leaves exactly one secretary."""
from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ADMIN, SCREENSHOTS, Server
from tests.browser.pages import check_page, log_in, new_page

BUDGET = "Adopt a participatory budget for the chapter"
REASON = "Quarterly is too often for a small chapter."


def _open_proposal(page: Page, title: str, screenshot: str) -> None:
    page.goto("/proposals")
    href = page.get_by_role("link", name=title).first.get_attribute("href")
    assert href
    check_page(page, href, screenshot)


def test_members_see_each_disagreement_with_its_reason(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    _open_proposal(page, BUDGET, "proposal-objections")
    objections = page.get_by_role("region", name="Blocks and disagreements")
    expect(objections).to_contain_text("Disagree")
    expect(objections).to_contain_text("Jonas Weber")
    expect(objections).to_contain_text(REASON)

    page.goto(page.url + "?lang=de")
    german = page.get_by_role("region", name="Vetos und Ablehnungen")
    expect(german).to_contain_text("Ablehnung")
    expect(german).to_contain_text(REASON)
    expect(page.get_by_role("radio", name="Veto", exact=True)).to_be_visible()  # the consent block, never "Sperren"
    page.goto("/?lang=en")


def test_recurrence_in_words_and_a_series_once(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    check_page(page, "/events", "events-grouped")
    monthly = page.locator("li.event-series-dates").filter(has_text="Last Tuesday of every month, 18:30")
    expect(monthly).to_have_count(1)
    expect(page.get_by_role("heading", name="Monthly meeting")).to_have_count(1)
    expect(page.get_by_role("link", name="Later events")).to_be_visible()
    expect(page.get_by_text("FREQ=")).to_have_count(0)

    page.get_by_role("link", name="Monthly meeting").first.click()
    expect(page.get_by_text("Repeats: Last Tuesday of every month, 18:30")).to_be_visible()
    page.goto(page.url + "?lang=de")
    expect(page.get_by_text("Wiederholung: Letzter Dienstag jedes Monats, 18:30")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "event-recurrence-de.png"), full_page=True)


def _secretaries(page: Page) -> str:
    page.goto("/admin/roles")
    return page.get_by_role("region", name="Current holders").inner_text()


def test_a_handover_leaves_exactly_one_secretary(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    check_page(page, "/admin/roles", "roles")
    page.get_by_label("Office", exact=True).select_option("secretary")
    page.get_by_label("Next holder", exact=True).select_option(label="Priya Natarajan (@priya)")
    page.get_by_role("button", name="Pass the office on").click()
    current = _secretaries(page)
    assert "Priya Natarajan" in current and "Maya Okafor" not in current
    # The same through the members page's "Change", handing it back.
    page.goto("/admin/members")
    page.get_by_label("Role of Maya Okafor").select_option("secretary")
    page.get_by_label("Role of Maya Okafor").locator("xpath=ancestor::form").get_by_role("button").click()
    current = _secretaries(page)
    assert "Maya Okafor" in current and "Priya Natarajan" not in current

    page.goto("/admin/roles?lang=de")
    expect(page.get_by_label("Amtszeit bis")).to_be_visible()
    page.goto("/admin/roles?lang=en")
