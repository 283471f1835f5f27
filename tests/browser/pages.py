"""What every browser test does with a page: open it as someone, log in,
check it with axe-core, keep a screenshot for a person to look at."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from tests.browser.conftest import AXE_FILE, SCREENSHOTS, Server

BLOCKING_IMPACTS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 900}


def new_page(browser: Browser, server: Server, *, phone: bool = False, language: str = "en") -> Page:
    """A fresh browser context: its own cookies, like another person's browser."""
    context = browser.new_context(
        base_url=server.base_url, viewport=PHONE if phone else DESKTOP, locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Whatever our Content-Security-Policy blocks on our own pages is a failure (see check_page).
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    setattr(page, "csp_blocked", blocked)
    return page


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").is_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").is_visible()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # Evaluated through the DevTools protocol, not as a <script> tag: the page's
    # Content-Security-Policy rightly refuses inline scripts, the test's included.
    page.evaluate(AXE_FILE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:3]}"
        for v in violations
    )


def check_page(page: Page, path: str, screenshot: str | None = None) -> None:
    """Open ``path``, fail on serious or critical axe violations, keep a screenshot."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    violations = axe_violations(page)
    assert violations == [], f"{path}: {describe(violations)}"
    assert getattr(page, "csp_blocked", []) == [], f"{path}: the CSP blocked {page.csp_blocked}"  # type: ignore[attr-defined]
    if screenshot:
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
