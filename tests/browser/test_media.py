"""Pictures and documents in a real browser: a facilitator gives an event its
poster and a secretary attaches a PDF to minutes, with the upload forms; the
poster shows (decoded by the browser, described by its alt text), the PDF
downloads as a PDF, and both pages pass axe-core."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from fedchapter.cli.demo import DEMO_PASSWORD
from tests.browser.conftest import Server
from tests.browser.pages import check_page, log_in, new_page
from tests.support.media import jpeg, pdf

ALT = "A crowd with a green banner in front of the town hall"


def test_an_event_with_its_poster(browser: Browser, server: Server, tmp_path: Path) -> None:
    poster = tmp_path / "poster.jpg"
    poster.write_bytes(jpeg(1200, 800, exif_text="Where the photographer lives"))
    page = new_page(browser, server)
    log_in(page, "tom", DEMO_PASSWORD)
    page.goto("/events")
    href = page.locator(".event-card h3 a").first.get_attribute("href")
    assert href
    event_path = href.removeprefix(server.base_url)
    assert event_path.startswith("/events/")
    page.goto(event_path)
    page.get_by_label("Picture (JPEG, PNG, GIF or WebP)").set_input_files(str(poster))
    page.get_by_label("Description for people who cannot see it").fill(ALT)
    page.get_by_role("button", name="Upload the picture").click()
    expect(page.get_by_text("The picture is saved.")).to_be_visible()
    image = page.get_by_role("img", name=ALT)
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    check_page(page, event_path, "event-poster")  # README: docs/screenshots/event-poster.png


def test_minutes_with_an_attached_pdf(browser: Browser, server: Server, tmp_path: Path) -> None:
    report = tmp_path / "treasurer-report.pdf"
    report.write_bytes(pdf(pages=2))
    page = new_page(browser, server)
    # The admin, not the demo's secretary: test_site.py passes the secretary's
    # office on, and this test must not depend on running before it.
    log_in(page, "admin", DEMO_PASSWORD)
    page.goto("/minutes")
    href = page.get_by_role("link", name="General meeting").first.get_attribute("href")
    assert href
    minutes_path = href.removeprefix(server.base_url)
    page.goto(minutes_path)
    page.get_by_label("PDF document").set_input_files(str(report))
    page.get_by_label("Title (optional)").fill("Treasurer's report")
    page.get_by_role("button", name="Attach the document").click()
    expect(page.get_by_text("The document is attached.")).to_be_visible()
    link = page.get_by_role("link", name="Treasurer's report")
    expect(link).to_be_visible()
    file_path = (link.get_attribute("href") or "").removeprefix(server.base_url)
    assert file_path.startswith("/media/")
    download = page.request.get(file_path)
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.body().startswith(b"%PDF-")
    check_page(page, minutes_path, "minutes-document")  # README: docs/screenshots/minutes-document.png
