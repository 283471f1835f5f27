"""Every answer carries the security headers, and no page needs what the
Content-Security-Policy forbids (inline script, event attributes, inline styles)."""
from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.web.proposal_helpers import admin_headers, create
from tests.support.web_forms import log_in
from web.security_headers import SecurityHeadersMiddleware

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)


def assert_protected(response: Response | object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


async def test_pages_api_errors_and_static_files_carry_the_headers(london: Instance) -> None:
    for path in ("/", "/login", "/api/v1/events", "/no-such-page", "/static/style.css", "/.well-known/nodeinfo"):
        response = await london.client.get(path)
        assert_protected(response)
    refused = await london.client.post("/api/v1/minutes", content=b"x", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 415
    assert_protected(refused)


async def test_no_page_has_inline_script_or_style(london: Instance) -> None:
    admin = await admin_headers(london)
    ranked = await create(london, admin, "irv", options=["Ana", "Ben", "Cleo"])
    assert not INLINE.search((await london.client.get("/login")).text)
    assert not INLINE.search((await london.client.get("/join")).text)
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    pages = ["/", "/account", "/account/password", "/admin", "/admin/members", "/admin/roles",
             "/admin/moderation", "/admin/blocks", "/admin/deliveries", "/members", "/events", "/proposals",
             f"/proposals/{ranked['id']}"]
    for page in pages:
        response = await london.client.get(page)
        assert response.status_code == 200, page
        assert not INLINE.search(response.text), (page, INLINE.search(response.text))
    ballot = (await london.client.get(f"/proposals/{ranked['id']}")).text
    assert '<script src="/static/ranking.js" defer></script>' in ballot
    assert (await london.client.get("/static/ranking.js")).status_code == 200


async def test_a_header_a_route_sets_itself_is_kept() -> None:
    def framable(request: object) -> Response:
        return PlainTextResponse("embed me", headers={"X-Frame-Options": "SAMEORIGIN"})

    app = Starlette(routes=[Route("/", framable)], middleware=[Middleware(SecurityHeadersMiddleware)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get("/")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"
