"""API writes: Bearer token only, JSON only, and malformed JSON refused with a
reason. Each attack below is the one issue 13 reports; each leaves nothing changed."""
from __future__ import annotations

import pytest

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import csrf_token, log_in
from tests.web.proposal_helpers import admin_headers, create

EVIL = {"Origin": "http://evil.example"}


async def count(instance: Instance, table: str) -> int:
    return int(await instance.ctx.database.fetchvalue(f"SELECT COUNT(*) FROM {table}"))


async def status_of(instance: Instance, proposal_id: str) -> str:
    return str((await instance.client.get(f"/api/v1/proposals/{proposal_id}")).json()["status"])


@pytest.mark.parametrize("body", [
    {"data": {"x": "1"}},  # application/x-www-form-urlencoded, what a cross-site form sends
    {"content": b"x", "headers": {"Content-Type": "text/plain"}},
    {"json": {}},  # even JSON: a session cookie alone never writes through the API
])
async def test_a_cross_site_post_with_the_session_cookie_cannot_close_a_proposal(
    london: Instance, body: dict[str, object]
) -> None:
    proposal = await create(london, await admin_headers(london), "yes-no")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    headers = {**EVIL, **body.pop("headers", {})}  # type: ignore[dict-item]
    response = await london.client.post(f"/api/v1/proposals/{proposal['id']}/close", headers=headers, **body)  # type: ignore[arg-type]
    assert response.status_code in (401, 415), response.text
    assert "error" in response.json()
    assert await status_of(london, proposal["id"]) == "open"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_api_writes_demand_json_even_with_a_token(london: Instance, content_type: str | None) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    headers = {**secretary, **({"Content-Type": content_type} if content_type else {})}
    response = await london.client.post("/api/v1/minutes", content=b'{"title": "x"}', headers=headers)
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]
    assert await count(london, "minutes") == 0


async def test_a_write_without_a_body_needs_no_content_type(london: Instance) -> None:
    admin = await admin_headers(london)
    proposal = await create(london, admin, "yes-no")
    assert (await london.client.post(f"/api/v1/proposals/{proposal['id']}/close", headers=admin)).status_code == 200


MALFORMED = {
    "nested 1,000 levels": b'{"object": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "a lone surrogate": b'{"object": "OBJECT", "content": "\\ud800"}',
    "an integer of 5,000 digits": b'{"object": "OBJECT", "content": "hi", "summary": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("name", MALFORMED)
async def test_malformed_json_on_an_api_write_is_a_4xx_with_a_reason(london: Instance, name: str) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    created = await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)
    body = MALFORMED[name].replace(b"OBJECT", created.json()["ap_id"].encode())
    before = await count(london, "comments")
    response = await london.client.post("/api/v1/comments", content=body,
                                        headers={**secretary, "Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]
    assert await count(london, "comments") == before
    admin = await admin_headers(london)
    for path in ("/api/v1/events", "/api/v1/proposals", "/api/v1/minutes", "/api/v1/posts", "/api/v1/members"):
        other = await london.client.post(path, content=MALFORMED[name],
                                         headers={**admin, "Content-Type": "application/json"})
        assert other.status_code in (400, 422), (path, other.text)


async def test_a_comment_form_with_a_lone_surrogate_is_refused(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    ap_id = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()["ap_id"]
    path = ap_id.removeprefix("http://london.test")
    await london.ctx.accounts.create_user("ana", PASSWORD, Role.MEMBER)
    await log_in(london.client, "ana", PASSWORD)
    token = await csrf_token(london.client, path)
    form = f"csrf_token={token}&object={ap_id}&return_to={path}&content=%ED%A0%80".encode()
    response = await london.client.post("/comments", content=form,
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422
    assert await count(london, "comments") == 0
