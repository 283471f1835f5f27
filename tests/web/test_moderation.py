"""/admin/moderation: the newest comments of the whole site, hidden from there."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.record import bearer, minutes_body
from tests.support.web_forms import log_in, post_form


async def test_admin_sees_the_newest_comments_and_hides_one(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    minutes = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    ana = await bearer(london, "ana", Role.MEMBER)
    await london.client.post("/api/v1/comments", json={
        "object": minutes["ap_id"], "content": "Buy more chairs <script>alert(1)</script>"}, headers=ana)

    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = (await london.client.get("/admin/moderation")).text
    assert "Buy more chairs" in page and "<script>alert(1)" not in page
    comment_id = re.search(r'action="/comments/([^/"]+)/moderate"', page).group(1)
    response = await post_form(london.client, f"/comments/{comment_id}/moderate",
                               {"action": "hide", "return_to": "/admin/moderation"}, page="/admin/moderation")
    assert response.headers["location"] == "/admin/moderation"
    assert "<strong>Hidden</strong>" in (await london.client.get("/admin/moderation")).text
    assert "Buy more chairs" not in (await london.client.get("/admin/moderation?from=remote")).text


async def test_members_may_not_moderate(london: Instance) -> None:
    await london.ctx.accounts.create_user("ana", "ana's long password", Role.MEMBER)
    await log_in(london.client, "ana", "ana's long password")
    assert (await london.client.get("/admin/moderation")).status_code == 403
