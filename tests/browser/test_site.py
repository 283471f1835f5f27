"""The site in a real browser: every main page passes axe-core, a newcomer
joins, is approved, sees the members' page and RSVPs, an admin passes the
secretary's office on, everyone logs out. Screenshots land in tests/artifacts/screenshots/."""
from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import ADMIN, Server
from tests.browser.pages import check_page, log_in, log_out, new_page

# README: docs/screenshots/home-phone.png and home-de.png (test_visitor_pages_pass_axe_on_a_phone_and_in_german).
VISITOR_PAGES = [("/", "home"), ("/join", "join"), ("/login", "login")]
# README: docs/screenshots/admin-members.png and admin-roles.png (test_admin_pages_pass_axe).
ADMIN_PAGES = [
    ("/account", "account"),
    ("/members", "members"),
    ("/admin", "admin-settings"),
    ("/admin/members", "admin-members"),
    ("/admin/roles", "admin-roles"),
    ("/admin/moderation", "admin-moderation"),
    ("/admin/blocks", "admin-blocks"),
    ("/admin/deliveries", "admin-deliveries"),
]


def test_visitor_pages_pass_axe_on_a_phone_and_in_german(browser: Browser, server: Server) -> None:
    page = new_page(browser, server, phone=True)
    for path, name in VISITOR_PAGES:
        check_page(page, path, f"{name}-phone")
    german = new_page(browser, server, language="de")
    check_page(german, "/", "home-de")
    expect(german.get_by_role("link", name="Anmelden")).to_be_visible()


def test_the_skip_link_is_the_first_stop_for_the_keyboard(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_visible()


def test_admin_pages_pass_axe(browser: Browser, server: Server) -> None:
    page = new_page(browser, server)
    log_in(page, *ADMIN)
    for path, name in ADMIN_PAGES:
        check_page(page, path, name)


def test_a_newcomer_joins_is_approved_and_sees_the_members_page(browser: Browser, server: Server) -> None:
    newcomer = new_page(browser, server, phone=True)
    newcomer.goto("/join")
    newcomer.get_by_label("Your name").fill("Sam Lee")
    newcomer.get_by_label("Username").fill("sam")
    newcomer.get_by_label("Password").fill("sam's long password")
    newcomer.get_by_label("A few words about you (optional)").fill("I met you at the <b>tenants'</b> meeting.")
    newcomer.get_by_role("button", name="Join").click()
    expect(newcomer.get_by_text("waiting for an admin").first).to_be_visible()
    check_page(newcomer, "/account", "account-pending-phone")

    admin = new_page(browser, server)
    log_in(admin, *ADMIN)
    admin.goto("/admin/members")
    expect(admin.get_by_text("I met you at the <b>tenants'</b> meeting.")).to_be_visible()
    admin.get_by_role("button", name="Approve Sam Lee").click()
    expect(admin.get_by_text("Sam Lee is now a member.")).to_be_visible()

    newcomer.goto("/members")
    expect(newcomer.get_by_role("heading", name="Members")).to_be_visible()
    expect(newcomer.get_by_role("link", name="Sam Lee")).to_be_visible()
    newcomer.goto("/events")
    newcomer.locator("ol.event-list h3 a").first.click()
    newcomer.get_by_role("button", name="Going", exact=True).click()
    expect(newcomer.get_by_text("Your answer:")).to_contain_text("Going")
    log_out(newcomer)
    log_out(admin)


def test_admin_passes_the_secretary_office_on(browser: Browser, server: Server) -> None:
    admin = new_page(browser, server)
    log_in(admin, *ADMIN)
    admin.goto("/admin/roles")
    current = admin.get_by_role("region", name="Current holders")
    expect(current).to_contain_text("Maya Okafor")  # the demo's secretary
    admin.get_by_label("Office", exact=True).select_option(label="Secretary")
    admin.get_by_label("Next holder").select_option(label="Jonas Weber (@jonas)")
    admin.get_by_role("button", name="Pass the office on").click()
    expect(admin.get_by_text("has passed to its next holder")).to_be_visible()
    expect(current).to_contain_text("Jonas Weber")
    expect(current).not_to_contain_text("Maya Okafor")
    history = admin.get_by_role("table", name="Who held which office when")
    # One holder at a time: Jonas's term is the only one running, Maya's has ended
    # (other browser tests may have passed the office on before; their terms ended too).
    in_office = history.get_by_role("row").filter(has_text="Secretary").filter(has_text="still in office")
    expect(in_office).to_have_count(1)
    expect(in_office).to_contain_text("Jonas Weber")
    expect(history.get_by_role("row").filter(has_text="Secretary").filter(has_text="Maya Okafor")
           .first).not_to_contain_text("still in office")
    check_page(admin, "/admin/roles", "admin-roles-history")
    log_out(admin)
