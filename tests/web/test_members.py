"""/members and /account: who sees the member list, what an account shows."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.web_forms import log_in, post_form

PASSWORD = "a long enough password"


async def test_only_members_see_the_member_list(london: Instance) -> None:
    await london.ctx.accounts.create_user("maya", PASSWORD, Role.SECRETARY, "Maya Okafor")
    await london.ctx.accounts.create_user("lucy", PASSWORD, Role.SUPPORTER, "Lucy Chen")
    assert (await london.client.get("/members")).headers["location"] == "/login?next=/members"

    await log_in(london.client, "lucy", PASSWORD)
    assert 'href="/members"' not in (await london.client.get("/")).text
    assert (await london.client.get("/members")).status_code == 403
    await post_form(london.client, "/logout", {})

    await log_in(london.client, "maya", PASSWORD)
    page = (await london.client.get("/members")).text
    assert "Maya Okafor" in page and "Lucy Chen" not in page  # supporters are not members
    assert "Secretary: Maya Okafor" in page  # an office held since the account was made


async def test_the_account_page_makes_a_token_shown_once(london: Instance) -> None:
    await london.ctx.accounts.create_user("priya", PASSWORD, Role.MEMBER, "Priya")
    await log_in(london.client, "priya", PASSWORD)
    account = (await london.client.get("/account")).text
    assert "Member" in account and "Leave the chapter" in account
    page = await post_form(london.client, "/account/tokens", {})
    token = re.search(r'id="new-token" value="([^"]+)"', page.text).group(1)
    me = await london.ctx.accounts.user_for_token(token)
    assert me is not None and me.username == "priya"
    assert token not in (await london.client.get("/account")).text


async def test_a_wrong_current_password_does_not_change_it(london: Instance) -> None:
    await london.ctx.accounts.create_user("jonas", PASSWORD, Role.MEMBER)
    await log_in(london.client, "jonas", PASSWORD)
    response = await post_form(london.client, "/account/password", {
        "current_password": "wrong one", "new_password": "another long one",
        "new_password_again": "another long one"}, page="/account/password")
    assert response.status_code == 422 and "current password is not right" in response.text
    short = await post_form(london.client, "/account/password", {
        "current_password": PASSWORD, "new_password": "short", "new_password_again": "short"},
        page="/account/password")
    assert short.status_code == 422 and "at least 8 characters" in short.text
    assert await london.ctx.accounts.authenticate("jonas", PASSWORD) is not None
