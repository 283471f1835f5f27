"""The chapter's record in a real browser: events, minutes, news and proposals
(with a closed STV election and its rounds) pass axe-core, and keep screenshots."""
from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ADMIN, Server
from tests.browser.pages import check_page, log_in, new_page

RECORD_PAGES = [
    ("/events", "events-list"),
    ("/events/network", "events-network"),
    ("/minutes", "minutes-list"),
    ("/posts", "news"),
    ("/proposals", "proposals"),
]


def _path_of_link(page: Page, name: str) -> str:
    href = page.get_by_role("link", name=name).first.get_attribute("href")
    assert href, f"no link named {name!r}"
    return href


def test_record_pages_pass_axe(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    for path, name in RECORD_PAGES:
        check_page(page, path, name)
    page.goto("/minutes")
    # README: docs/screenshots/minutes.png.
    check_page(page, _path_of_link(page, "General meeting"), "minutes")
    expect(page.get_by_text("Support Proposal Two")).to_be_visible()


def test_a_closed_stv_election_shows_its_rounds(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    page.goto("/proposals")
    # README: docs/screenshots/proposal-stv-result.png.
    check_page(page, _path_of_link(page, "Elect two delegates to the international conference"), "proposal-stv-result")
    expect(page.get_by_role("table").first).to_be_visible()
    page.goto("/proposals")
    check_page(page, _path_of_link(page, "Adopt a participatory budget for the chapter"), "proposal-consent-ballot")
