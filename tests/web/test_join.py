"""Joining under each openness, invitation links, approval, leaving."""
from __future__ import annotations

import re

import httpx

from fedchapter.chapter import Openness
from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.web_forms import csrf_token, log_in, post_form


def visitor(instance: Instance) -> httpx.AsyncClient:
    """A second browser: its own cookies, the same server."""
    return httpx.AsyncClient(transport=instance.client._transport, base_url=instance.settings.base_url)


async def join(client: httpx.AsyncClient, username: str, *, invite: str = "", message: str = "") -> httpx.Response:
    token = await csrf_token(client, "/login")
    return await client.post("/join", data={
        "username": username, "password": "a long enough password", "display_name": username.title(),
        "message": message, "invite": invite, "csrf_token": token,
    })


async def role_of(instance: Instance, username: str) -> Role:
    user = await instance.ctx.repos.users.by_username(username)
    assert user is not None
    return user.role


async def test_moderated_join_waits_for_an_admin_then_the_member_sees_members_pages(london: Instance) -> None:
    async with visitor(london) as newcomer:
        response = await join(newcomer, "sam", message="I came to the tenants' meeting.")
        assert response.status_code == 303
        account = (await newcomer.get("/account")).text
        assert "waiting for an admin" in account
        assert await role_of(london, "sam") is Role.SUPPORTER
        assert (await newcomer.get("/members")).status_code == 403

        await log_in(london.client, "admin", ADMIN_PASSWORD)
        admin_page = (await london.client.get("/admin/members")).text
        assert "I came to the tenants&#39; meeting." in admin_page
        request_id = re.search(r"/admin/members/requests/(\d+)/approve", admin_page).group(1)
        approved = await post_form(london.client, f"/admin/members/requests/{request_id}/approve", {},
                                   page="/admin/members")
        assert approved.status_code == 303
        assert await role_of(london, "sam") is Role.MEMBER

        members = await newcomer.get("/members")
        assert members.status_code == 200
        assert "Sam" in members.text


async def test_a_declined_applicant_keeps_a_supporter_account(london: Instance) -> None:
    async with visitor(london) as newcomer:
        await join(newcomer, "rex")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    request_id = re.search(r"/requests/(\d+)/reject", (await london.client.get("/admin/members")).text).group(1)
    await post_form(london.client, f"/admin/members/requests/{request_id}/reject", {}, page="/admin/members")
    assert await role_of(london, "rex") is Role.SUPPORTER
    again = await post_form(london.client, f"/admin/members/requests/{request_id}/approve", {},
                            page="/admin/members")
    assert again.status_code == 409


async def test_open_chapter_admits_at_once(net: Network) -> None:
    dublin = await net.chapter("dublin", openness=Openness.OPEN, run_workers=False)
    response = await join(dublin.client, "niamh")
    assert response.status_code == 303
    assert await role_of(dublin, "niamh") is Role.MEMBER
    assert "now a member" in (await dublin.client.get("/account")).text


async def test_invite_only_needs_a_link_which_can_be_used_up(net: Network) -> None:
    vienna = await net.chapter("vienna", openness=Openness.INVITE_ONLY, run_workers=False)
    async with visitor(vienna) as stranger:
        refused = await join(stranger, "anna")
        assert refused.status_code == 403
        assert "invitation" in refused.text
        assert await vienna.ctx.repos.users.by_username("anna") is None

    await log_in(vienna.client, "admin", ADMIN_PASSWORD)
    created = await post_form(vienna.client, "/admin/invitations",
                              {"note": "for the reading group", "max_uses": "2", "valid_days": "3"},
                              page="/admin/members")
    link = re.search(r'id="invitation-link" value="([^"]+)"', created.text).group(1)
    token = link.split("invite=")[1]
    for name in ("anna", "bert"):
        async with visitor(vienna) as invited:
            assert (await join(invited, name, invite=token)).status_code == 303
            assert await role_of(vienna, name) is Role.MEMBER
    async with visitor(vienna) as third:
        page = await third.get(f"/join?invite={token}")
        assert "not valid any more" in page.text
        assert (await join(third, "carl", invite=token)).status_code == 409


async def test_a_withdrawn_invitation_stops_working(net: Network) -> None:
    vienna = await net.chapter("vienna", openness=Openness.INVITE_ONLY, run_workers=False)
    await log_in(vienna.client, "admin", ADMIN_PASSWORD)
    created = await post_form(vienna.client, "/admin/invitations", {"max_uses": "1", "valid_days": "1"},
                              page="/admin/members")
    token = re.search(r'invite=([^"]+)"', created.text).group(1)
    invitation_id = re.search(r"/admin/invitations/(\d+)/revoke", created.text).group(1)
    await post_form(vienna.client, f"/admin/invitations/{invitation_id}/revoke", {}, page="/admin/members")
    async with visitor(vienna) as invited:
        assert (await join(invited, "dora", invite=token)).status_code == 409


async def test_leaving_makes_a_member_a_supporter(net: Network) -> None:
    dublin = await net.chapter("dublin", openness=Openness.OPEN, run_workers=False)
    await join(dublin.client, "ciara")
    unconfirmed = await post_form(dublin.client, "/account/leave", {})
    assert unconfirmed.status_code == 303
    assert await role_of(dublin, "ciara") is Role.MEMBER
    await post_form(dublin.client, "/account/leave", {"confirm": "yes"})
    assert await role_of(dublin, "ciara") is Role.SUPPORTER
    # and may ask to join again
    token = await csrf_token(dublin.client, "/join")
    await dublin.client.post("/join", data={"message": "back again", "csrf_token": token})
    assert await role_of(dublin, "ciara") is Role.MEMBER


async def test_the_last_admin_cannot_leave(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/account/leave", {"confirm": "yes"})
    assert response.status_code == 409
    assert await role_of(london, "admin") is Role.ADMIN


async def test_bad_join_input_gets_a_clear_message_and_nothing_is_stored(london: Instance) -> None:
    cases = {
        "Bad Name!": "lowercase letters",
        "x" * 31: "too long",
        "admin": "taken",
        "instance": "reserved",
    }
    for username, message in cases.items():
        response = await join(london.client, username)
        assert response.status_code in (409, 422), username
        assert message in response.text, username
    short = await london.client.post("/join", data={
        "username": "shorty", "password": "short", "csrf_token": await csrf_token(london.client, "/join")})
    assert short.status_code == 422 and "at least 8 characters" in short.text
    long_message = await join(london.client, "wordy", message="y" * 1001)
    assert long_message.status_code == 422
    assert await london.ctx.repos.users.by_username("wordy") is None


async def test_html_in_join_fields_is_shown_as_text(london: Instance) -> None:
    script = "<script>alert(1)</script>"
    async with visitor(london) as newcomer:
        token = await csrf_token(newcomer, "/join")
        await newcomer.post("/join", data={
            "username": "mallory", "password": "a long enough password",
            "display_name": f"Mal {script}", "message": f"hi {script} <img src=x onerror=alert(1)>",
            "csrf_token": token})
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = (await london.client.get("/admin/members")).text
    assert script not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
