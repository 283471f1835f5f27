"""Sessions kept by the server: logging out, a password change or an admin's
reset end them for whoever holds a copy of the cookie; API tokens are listed
and revoked on /account and end with a reset."""
from __future__ import annotations

import re

import httpx

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_token, log_in, post_form


def second_browser(instance: Instance, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=instance.client._transport, base_url=instance.settings.base_url,
                             cookies=cookies)


async def is_logged_in(client: httpx.AsyncClient) -> bool:
    return (await client.get("/account")).status_code == 200


async def token_works(instance: Instance, token: str) -> bool:
    response = await instance.client.get("/api/v1/members", headers={"Authorization": f"Bearer {token}"})
    return response.status_code != 401


async def test_a_copied_cookie_stops_working_after_logout(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    async with second_browser(london, httpx.Cookies(london.client.cookies)) as thief:
        assert await is_logged_in(thief)
        await post_form(london.client, "/logout", {})
        assert not await is_logged_in(thief)
        assert not await is_logged_in(london.client)


async def test_the_cookie_holds_no_user_id_only_a_session_the_server_knows(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM sessions") == 1
    await london.ctx.database.execute("DELETE FROM sessions")
    assert not await is_logged_in(london.client)


async def test_an_admins_reset_ends_the_sessions_and_tokens_of_the_account(london: Instance) -> None:
    await london.ctx.accounts.create_user("ana", PASSWORD, Role.ADMIN)
    token = await london.ctx.accounts.create_token("ana")
    async with second_browser(london) as ana:
        await log_in(ana, "ana", PASSWORD)
        assert await is_logged_in(ana) and await token_works(london, token)
        await log_in(london.client, "admin", ADMIN_PASSWORD)
        ana_id = (await london.ctx.repos.users.by_username("ana")).id  # type: ignore[union-attr]
        reset = await post_form(london.client, f"/admin/members/{ana_id}/reset-password", {}, page="/admin/members")
        assert reset.status_code == 200
        assert not await is_logged_in(ana)
        assert not await token_works(london, token)
        assert await is_logged_in(london.client)  # the admin's own session is untouched


async def test_changing_ones_password_logs_out_every_other_session(london: Instance) -> None:
    await london.ctx.accounts.create_user("ana", PASSWORD, Role.MEMBER)
    async with second_browser(london) as old_laptop:
        await log_in(old_laptop, "ana", PASSWORD)
        await log_in(london.client, "ana", PASSWORD)
        changed = await post_form(london.client, "/account/password", {
            "current_password": PASSWORD, "new_password": "a brand new password",
            "new_password_again": "a brand new password"}, page="/account/password")
        assert changed.status_code == 303
        assert await is_logged_in(london.client)
        assert not await is_logged_in(old_laptop)


async def test_tokens_are_listed_and_revoked_on_the_account_page(london: Instance) -> None:
    await london.ctx.accounts.create_user("ana", PASSWORD, Role.MEMBER)
    await london.ctx.accounts.create_user("ben", PASSWORD, Role.ADMIN)
    bens_token = await london.ctx.accounts.create_token("ben")
    await log_in(london.client, "ana", PASSWORD)
    created = await london.client.post("/account/tokens", data={"csrf_token": await csrf_token(london.client, "/account")})
    token = re.search(r'id="new-token" value="([^"]+)"', created.text).group(1)  # type: ignore[union-attr]
    page = (await london.client.get("/account")).text
    [token_id] = re.findall(r'action="/account/tokens/(\d+)/revoke"', page)
    # Someone else's token number: refused, and that token still works.
    [bens_id] = [t.id for t in await london.ctx.repos.users.tokens_of(
        (await london.ctx.repos.users.by_username("ben")).id)]  # type: ignore[union-attr]
    refused = await post_form(london.client, f"/account/tokens/{bens_id}/revoke", {})
    assert refused.status_code == 404
    assert await token_works(london, bens_token)
    revoked = await post_form(london.client, f"/account/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 303
    assert "You have no API tokens" in (await london.client.get("/account")).text
    response = await london.client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert (await london.client.post("/api/v1/events/x/rsvp", json={"status": "going"},
                                     headers={"Authorization": f"Bearer {token}"})).status_code == 401
    assert response.status_code == 200  # reads stay public
