"""Issue 17.2 in a real browser: minutes refused with every problem beside
its field and in a summary linking to it, in English and in German, the
typed rows kept; axe-clean, with screenshots for the README."""
from __future__ import annotations

from playwright.sync_api import Page, expect
from playwright.sync_api import Browser

from tests.browser.conftest import ADMIN, SCREENSHOTS, Server
from tests.browser.pages import axe_violations, describe, log_in, new_page


def _fill_minutes_with_mistakes(page: Page) -> None:
    """Two mistakes a secretary makes: no outcome chosen, more votes than people present."""
    page.locator("#f-title").fill("Branch meeting")
    page.locator("#f-meeting_date").fill("2026-11-11")
    page.locator("#f-attendance").fill("3")
    page.locator("#f-decision-0-text").fill("Hold a stall at the market")
    page.locator("#f-decision-0-for").fill("5")
    page.locator("#f-action-0-text").fill("Book the hall")
    page.locator("#f-action-0-owner").fill("sam")
    page.locator("form.minutes-form button[value=save]").click()
    page.wait_for_load_state()


def _check_refused(page: Page, screenshot: str) -> None:
    """axe-clean; the whole page kept, and the first problem's field as a person
    arrives at it from the summary (the README's picture)."""
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert getattr(page, "csp_blocked", []) == []
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}-page.png"), full_page=True)
    page.locator("#error-summary").get_by_role("link").first.click()
    assert page.url.endswith("#f-decision-0-outcome")
    page.locator("#f-decision-0-text").evaluate("field => field.closest('fieldset').scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"))


def test_refused_minutes_show_each_problem_beside_its_field(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    page.goto("/minutes/new?lang=en")
    _fill_minutes_with_mistakes(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Please correct 2 things before saving:")
    expect(summary.get_by_role("link")).to_have_text([
        "Decision 1: Outcome: choose one of the options",
        "Decision 1: For: for + against + abstain (5) is more than the 3 present",
    ])
    outcome = page.get_by_label("Outcome").first
    expect(outcome).to_have_attribute("aria-invalid", "true")
    expect(outcome).to_have_accessible_description("Choose one of the options.")
    expect(page.locator("#f-decision-0-for-error")).to_have_text(
        "For + against + abstain (5) is more than the 3 present.")
    # What was typed is still there.
    expect(page.locator("#f-decision-0-text")).to_have_value("Hold a stall at the market")
    expect(page.locator("#f-action-0-owner")).to_have_value("sam")
    expect(page.get_by_text("decisions.0")).to_have_count(0)
    _check_refused(page, "minutes-errors")  # and the summary's link leads to the field

    page.goto("/minutes/new?lang=de")
    _fill_minutes_with_mistakes(page)
    german = page.locator("#error-summary")
    expect(german.get_by_role("heading")).to_have_text("Korrigiere vor dem Speichern 2 Angaben:")
    expect(german.get_by_role("link").first).to_have_text("Beschluss 1: Ergebnis: wähle eine der Möglichkeiten")
    expect(page.locator("#f-decision-0-outcome")).to_have_accessible_description("Wähle eine der Möglichkeiten.")
    expect(page.locator("#f-decision-0-for-error")).to_have_text(
        "Dafür + Dagegen + Enthaltungen (5) sind mehr als die 3 Anwesenden.")
    expect(page.locator("#f-decision-0-text")).to_have_value("Hold a stall at the market")
    _check_refused(page, "minutes-errors-de")
    page.goto("/?lang=en")
