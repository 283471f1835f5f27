"""Disabling accounts from /admin/members: the account's sessions and API
tokens end at once; the last active admin cannot be disabled; only admins may."""
from __future__ import annotations

import httpx

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import log_in, post_form


async def user_id(instance: Instance, username: str) -> int:
    return (await instance.ctx.repos.users.by_username(username)).id  # type: ignore[union-attr]


def second_browser(instance: Instance) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=instance.client._transport, base_url=instance.settings.base_url)


async def test_disabling_ends_the_session_and_tokens_and_enabling_lets_them_log_in(london: Instance) -> None:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    token = await london.ctx.accounts.create_token("sam")
    sams_token = {"Authorization": f"Bearer {token}"}
    async with second_browser(london) as sam:
        await log_in(sam, "sam", PASSWORD)
        await log_in(london.client, "admin", ADMIN_PASSWORD)
        sam_id = await user_id(london, "sam")
        response = await post_form(london.client, f"/admin/members/{sam_id}/disable", {}, page="/admin/members")
        assert response.status_code == 303
        assert "can no longer log in" in (await london.client.get("/admin/members")).text
        assert (await sam.get("/account")).status_code == 303
        assert (await london.client.post("/api/v1/minutes", json={}, headers=sams_token)).status_code == 401
        assert (await log_in(sam, "sam", PASSWORD)).status_code == 401
        await post_form(london.client, f"/admin/members/{sam_id}/enable", {}, page="/admin/members")
        assert (await log_in(sam, "sam", PASSWORD)).status_code == 303
        # Enabling gives back the login, not the tokens that were ended.
        assert (await london.client.post("/api/v1/minutes", json={}, headers=sams_token)).status_code == 401


async def test_the_last_active_admin_cannot_be_disabled(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    admin_id = await user_id(london, "admin")
    response = await post_form(london.client, f"/admin/members/{admin_id}/disable", {}, page="/admin/members")
    assert response.status_code == 409
    assert "last active admin" in response.text
    assert not (await london.ctx.repos.users.by_id(admin_id)).disabled  # type: ignore[union-attr]
    assert (await london.client.get("/admin/members")).status_code == 200  # still logged in


async def test_only_admins_disable_and_unknown_accounts_or_actions_are_refused(london: Instance) -> None:
    await london.ctx.accounts.create_user("pat", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "pat", PASSWORD)
    admin_id = await user_id(london, "admin")
    assert (await post_form(london.client, f"/admin/members/{admin_id}/disable", {})).status_code == 403
    assert not (await london.ctx.repos.users.by_id(admin_id)).disabled  # type: ignore[union-attr]
    await post_form(london.client, "/logout", {})
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    assert (await post_form(london.client, "/admin/members/999/disable", {})).status_code == 404
    pat_id = await user_id(london, "pat")
    assert (await post_form(london.client, f"/admin/members/{pat_id}/explode", {})).status_code == 404
    assert not (await london.ctx.repos.users.by_id(pat_id)).disabled  # type: ignore[union-attr]
