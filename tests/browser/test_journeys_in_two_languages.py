"""Issue 17's journeys walked from start to finish, once in English and once
in German (chosen with the header's language switch, which the site then
remembers): a block with its reason and a disagreement without one, seen by
the facilitator while the vote is open and in the result; an event that
repeats on the last Tuesday of every month, said in words, reopened in its
edit form, with its year; the secretary's office handed over from the
members page, leaving one secretary, and a term with an end date.

test_decisions_and_calendar.py checks the demo chapter's own data; these
tests make their own proposal, event and terms through the forms."""
from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from fedchapter.cli.demo import DEMO_PASSWORD
from tests.browser.conftest import ADMIN, Server
from tests.browser.pages import check_page, log_in, new_page

# What a person reads, in each language (the German from the catalogue and docs/glossary.md).
WORDS = {
    "en": {
        "switch": "English", "save_proposal": "Save the proposal", "block": "Block", "disagree": "Disagree",
        "vote": "Vote", "objections": "Blocks and disagreements", "no_reason": "No reason given.",
        "close": "Close the vote now", "blocked": "Result: Blocked", "publish": "Publish",
        "repeats": "Repeats: Last Tuesday of every month, 19:00", "edit": "Edit the event", "save": "Save",
        "march": "Mar", "change": "Change", "role_of": "Role of {name}", "current": "Current holders",
        "office": "Office", "next_holder": "Next holder", "term_until": "Term until",
        "pass_on": "Pass the office on", "secretary": "Secretary", "until": "until {date}",
        "in_office_until": "in office until {date}", "history": "Who held which office when",
    },
    "de": {
        "switch": "Deutsch", "save_proposal": "Antrag speichern", "block": "Veto", "disagree": "Ablehnung",
        "vote": "Abstimmen", "objections": "Vetos und Ablehnungen", "no_reason": "Ohne Begründung.",
        "close": "Abstimmung jetzt beenden", "blocked": "Ergebnis: Durch Veto gestoppt", "publish": "Veröffentlichen",
        "repeats": "Wiederholung: Letzter Dienstag jedes Monats, 19:00", "edit": "Veranstaltung bearbeiten",
        "save": "Speichern", "march": "März", "change": "Ändern", "role_of": "Rolle von {name}",
        "current": "Derzeitige Amtsinhaber*innen", "office": "Amt", "next_holder": "Nächste*r Inhaber*in",
        "term_until": "Amtszeit bis", "pass_on": "Amt weitergeben", "secretary": "Protokollant*in",
        "until": "bis {date}", "in_office_until": "im Amt bis {date}", "history": "Wer wann welches Amt hatte",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "de"])


@contextmanager
def person(browser: Browser, server: Server, username: str, password: str, language: str) -> Iterator[Page]:
    """Someone logged in who picked ``language`` in the header. The site remembers
    a member's choice, so it is set back to English afterwards, as the other
    browser tests expect, even when a step fails."""
    page = new_page(browser, server)
    log_in(page, username, password)
    page.get_by_role("navigation", name="Language").or_(page.get_by_role("navigation", name="Sprache")) \
        .get_by_role("link", name=WORDS[language]["switch"]).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    try:
        yield page
    finally:
        page.goto("/?lang=en")
        page.context.close()


def _last_tuesday_of_march_next_year() -> date:
    year = date.today().year + 1
    last = date(year, 3, calendar.monthrange(year, 3)[1])
    return last - timedelta(days=(last.weekday() - calendar.TUESDAY) % 7)


@LANGUAGES
def test_a_block_and_a_disagreement_are_heard_with_their_reasons(
        browser: Browser, server: Server, language: str) -> None:
    words = WORDS[language]
    title = f"Move the monthly meeting to Thursdays ({language})"
    reason = {"en": "Thursday is our childcare night.", "de": "Donnerstags betreuen wir die Kinder."}[language]
    closes = (date.today() + timedelta(days=7)).isoformat()
    with person(browser, server, "tom", DEMO_PASSWORD, language) as facilitator:
        facilitator.goto("/proposals/new")
        facilitator.locator("#title").fill(title)
        facilitator.locator("#body").fill("Several of us cannot come on Tuesdays.")
        facilitator.locator("#method").select_option("consent")
        facilitator.locator("#closes_at").fill(f"{closes}T20:00")
        facilitator.get_by_role("button", name=words["save_proposal"]).click()
        expect(facilitator.get_by_role("heading", name=title, level=1)).to_be_visible()
        proposal = facilitator.url.removeprefix(server.base_url).split("?")[0]

        with person(browser, server, "priya", DEMO_PASSWORD, language) as blocker:
            blocker.goto(proposal)
            blocker.get_by_role("radio", name=words["block"], exact=True).check()
            blocker.locator("#reason").fill(reason)
            blocker.get_by_role("button", name=words["vote"], exact=True).click()
            expect(blocker.get_by_role("radio", name=words["block"], exact=True)).to_be_checked()
        with person(browser, server, "jonas", DEMO_PASSWORD, language) as disagreeing:
            disagreeing.goto(proposal)
            disagreeing.get_by_role("radio", name=words["disagree"], exact=True).check()  # no reason: none is needed
            disagreeing.get_by_role("button", name=words["vote"], exact=True).click()
            expect(disagreeing.get_by_role("radio", name=words["disagree"], exact=True)).to_be_checked()

        def each_objection_with_its_author() -> None:
            objections = facilitator.get_by_role("region", name=words["objections"])
            block = objections.get_by_role("listitem").filter(has_text="Priya Natarajan")
            expect(block).to_contain_text(words["block"])
            expect(block).to_contain_text(reason)
            disagreement = objections.get_by_role("listitem").filter(has_text="Jonas Weber")
            expect(disagreement).to_contain_text(words["disagree"])
            expect(disagreement).to_contain_text(words["no_reason"])

        # While the vote is open.
        # README: docs/screenshots/proposal-objections.png and proposal-objections-de.png.
        check_page(facilitator, proposal, f"proposal-objections{'' if language == 'en' else '-de'}")
        each_objection_with_its_author()

        facilitator.get_by_role("button", name=words["close"]).click()  # asks first, then closes
        facilitator.get_by_role("button", name=words["close"]).click()
        expect(facilitator.get_by_role("heading", name=words["blocked"])).to_be_visible()
        # README: docs/screenshots/proposal-objections-closed.png.
        check_page(facilitator, proposal, f"proposal-objections-closed{'' if language == 'en' else '-de'}")
        each_objection_with_its_author()


@LANGUAGES
def test_a_monthly_event_says_its_rule_in_words_reopens_it_and_shows_its_year(
        browser: Browser, server: Server, language: str) -> None:
    words = WORDS[language]
    day = _last_tuesday_of_march_next_year()
    title = f"Tenants' union open evening ({language})"
    with person(browser, server, "tom", DEMO_PASSWORD, language) as facilitator:
        facilitator.goto("/events/new")
        facilitator.locator("#e-title").fill(title)
        facilitator.locator("#e-start").fill(f"{day.isoformat()}T19:00")
        facilitator.locator("#e-end").fill(f"{day.isoformat()}T21:00")
        facilitator.locator("#e-repeat").select_option("monthly-last")
        facilitator.locator("#e-repeat-count").fill("6")
        facilitator.get_by_role("button", name=words["publish"]).click()
        expect(facilitator.get_by_role("heading", name=title, level=1)).to_be_visible()
        event = facilitator.url.removeprefix(server.base_url).split("?")[0]

        # README: docs/screenshots/event-repeats.png and event-repeats-de.png.
        check_page(facilitator, event, f"event-repeats{'' if language == 'en' else '-de'}")
        expect(facilitator.get_by_text(words["repeats"])).to_be_visible()
        expect(facilitator.get_by_text("FREQ=")).to_have_count(0)
        when = facilitator.locator(".event-facts time").first
        expect(when).to_contain_text(str(day.year))  # not this year, so the year is shown
        expect(when).to_contain_text(words["march"])

        facilitator.get_by_role("link", name=words["edit"]).click()
        expect(facilitator.locator("#e-repeat")).to_have_value("monthly-last")
        expect(facilitator.locator("#e-repeat-count")).to_have_value("6")
        facilitator.get_by_role("button", name=words["save"], exact=True).click()
        expect(facilitator.get_by_text(words["repeats"])).to_be_visible()  # saved unchanged


def _secretaries(page: Page, words: dict[str, str]) -> str:
    page.goto("/admin/roles")
    current = page.get_by_role("region", name=words["current"])
    return current.get_by_role("listitem").filter(has_text=words["secretary"]).first.inner_text()


@LANGUAGES
def test_a_handover_from_the_members_page_leaves_one_secretary_with_a_term_end(
        browser: Browser, server: Server, language: str) -> None:
    words = WORDS[language]
    # Another browser test may have passed the office on; start from Maya, the demo's secretary.
    with person(browser, server, *ADMIN, language) as admin:
        admin.goto("/admin/members")
        role_of_maya = admin.get_by_label(words["role_of"].format(name="Maya Okafor"))
        role_of_maya.select_option("secretary")
        role_of_maya.locator("xpath=ancestor::form").get_by_role("button", name=words["change"]).click()
        assert "Maya Okafor" in _secretaries(admin, words)

        # The handover: "Change" on the members page, to Priya.
        admin.goto("/admin/members")
        role_of_priya = admin.get_by_label(words["role_of"].format(name="Priya Natarajan"))
        role_of_priya.select_option("secretary")
        role_of_priya.locator("xpath=ancestor::form").get_by_role("button", name=words["change"]).click()
        secretaries = _secretaries(admin, words)
        assert "Priya Natarajan" in secretaries and "Maya Okafor" not in secretaries, secretaries

        # A term with its end: Priya passes the office back to Maya until the next general meeting.
        ends = date.today() + timedelta(days=365)
        admin.get_by_label(words["office"], exact=True).select_option("secretary")
        admin.get_by_label(words["next_holder"], exact=True).select_option(label="Maya Okafor (@maya)")
        admin.get_by_label(words["term_until"]).fill(ends.isoformat())
        admin.get_by_role("button", name=words["pass_on"]).click()
        # README: docs/screenshots/admin-roles-term.png and admin-roles-term-de.png.
        check_page(admin, "/admin/roles", f"admin-roles-term{'' if language == 'en' else '-de'}")
        secretaries = _secretaries(admin, words)
        assert "Maya Okafor" in secretaries and "Priya Natarajan" not in secretaries, secretaries
        assert str(ends.year) in secretaries and words["until"].split(" ")[0] in secretaries, secretaries
        history = admin.get_by_role("table", name=words["history"])
        in_office = history.get_by_role("row").filter(has_text=words["secretary"]) \
            .filter(has_text=words["in_office_until"].split(" {")[0])
        expect(in_office).to_have_count(1)
        expect(in_office).to_contain_text("Maya Okafor")
        expect(in_office).to_contain_text(str(ends.year))
