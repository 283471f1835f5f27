"""The admin pages: who may enter, settings, roles, password resets, blocks,
delivery health, and bad input on each form."""
from __future__ import annotations

import json
import re

import pytest

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.web_forms import log_in, post_form

ADMIN_PAGES = [
    "/admin", "/admin/members", "/admin/roles", "/admin/moderation", "/admin/blocks", "/admin/deliveries",
]
MEMBER_PASSWORD = "member password 1"


async def add_user(instance: Instance, username: str, role: Role) -> None:
    await instance.ctx.accounts.create_user(username, MEMBER_PASSWORD, role, username.title())


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECRETARY, Role.FACILITATOR, Role.SUPPORTER])
async def test_non_admins_get_403_on_every_admin_page_and_action(london: Instance, role: Role) -> None:
    await add_user(london, "pat", role)
    await log_in(london.client, "pat", MEMBER_PASSWORD)
    for page in ADMIN_PAGES:
        response = await london.client.get(page)
        assert response.status_code == 403, page
        assert "may not" in response.text
    for action in ("/admin/members/1/role", "/admin/members/1/reset-password", "/admin/invitations",
                   "/admin/remote-members", "/admin/roles", "/admin/blocks"):
        response = await post_form(london.client, action, {"role": "admin"})
        assert response.status_code == 403, action
    assert (await london.ctx.repos.users.by_id(1)).role is Role.ADMIN


async def test_visitors_are_sent_to_the_login_page(london: Instance) -> None:
    for page in ADMIN_PAGES + ["/members", "/account"]:
        response = await london.client.get(page)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


async def test_admin_edits_the_settings(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/admin", {
        "name": "London <b>Chapter</b>", "summary": "We meet *monthly*.\n\n<script>x()</script>",
        "openness": "open", "approve_followers": "on"}, page="/admin")
    assert response.status_code == 303
    chapter = await london.ctx.chapter()
    assert (chapter.name, chapter.openness, chapter.approve_followers) == ("London <b>Chapter</b>", "open", True)
    home = (await london.client.get("/")).text
    assert "London &lt;b&gt;Chapter&lt;/b&gt;" in home
    assert "<script>x()" not in home
    # Followers' servers hear of the new name: an Update of the Group in the outbox.
    rows = await london.ctx.database.fetchall("SELECT type, payload FROM outbox WHERE type = 'Update'")
    assert len(rows) == 1
    update = json.loads(rows[0]["payload"])
    assert update["object"]["type"] == "Group" and update["object"]["name"] == "London <b>Chapter</b>"
    assert update["object"]["openness"] == "open"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "openness": "open"}, "please fill this in"),
        ({"name": "n" * 101, "openness": "open"}, "at most 100 characters"),
        ({"name": "ok", "summary": "s" * 2001, "openness": "open"}, "at most 2000 characters"),
        ({"name": "ok", "openness": "everyone"}, "choose open, moderated or invite only"),
    ],
)
async def test_bad_settings_get_a_clear_message(london: Instance, form: dict[str, str], message: str) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/admin", form, page="/admin")
    assert response.status_code == 422
    assert message in response.text
    assert (await london.ctx.chapter()).name == "London Chapter"


async def test_a_huge_form_is_refused_with_413(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/admin", {"name": "x" * 600_000}, page="/admin")
    assert response.status_code == 413
    assert "too long" in response.text  # said in words, with the way back


async def test_admin_changes_a_role_and_the_last_admin_stays(london: Instance) -> None:
    await add_user(london, "maya", Role.MEMBER)
    maya = await london.ctx.repos.users.by_username("maya")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    await post_form(london.client, f"/admin/members/{maya.id}/role", {"role": "secretary"}, page="/admin/members")
    assert (await london.ctx.repos.users.by_username("maya")).role is Role.SECRETARY
    admin = await london.ctx.repos.users.by_username("admin")
    refused = await post_form(london.client, f"/admin/members/{admin.id}/role", {"role": "member"},
                              page="/admin/members")
    assert refused.status_code == 409
    bad = await post_form(london.client, f"/admin/members/{maya.id}/role", {"role": "king"}, page="/admin/members")
    assert bad.status_code == 422
    missing = await post_form(london.client, "/admin/members/999/role", {"role": "member"}, page="/admin/members")
    assert missing.status_code == 404


async def test_password_reset_gives_a_one_time_password_that_must_be_replaced(london: Instance) -> None:
    await add_user(london, "tom", Role.FACILITATOR)
    tom = await london.ctx.repos.users.by_username("tom")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = await post_form(london.client, f"/admin/members/{tom.id}/reset-password", {}, page="/admin/members")
    one_time = re.search(r'id="one-time-password" value="([^"]+)"', page.text).group(1)
    await post_form(london.client, "/logout", {})

    assert (await log_in(london.client, "tom", MEMBER_PASSWORD)).status_code == 401
    response = await log_in(london.client, "tom", one_time)
    assert response.headers["location"] == "/account/password"
    # Until the password is changed, every page leads back to the form.
    blocked = await london.client.get("/members")
    assert blocked.status_code == 303 and blocked.headers["location"] == "/account/password"
    mismatch = await post_form(london.client, "/account/password", {
        "current_password": one_time, "new_password": "my own password", "new_password_again": "different"},
        page="/account/password")
    assert mismatch.status_code == 422 and "differ" in mismatch.text
    changed = await post_form(london.client, "/account/password", {
        "current_password": one_time, "new_password": "my own password",
        "new_password_again": "my own password"}, page="/account/password")
    assert changed.status_code == 303
    assert (await london.client.get("/members")).status_code == 200
    await post_form(london.client, "/logout", {})
    assert (await log_in(london.client, "tom", "my own password")).headers["location"] == "/"


async def test_admin_blocks_and_unblocks_a_server(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    response = await post_form(london.client, "/admin/blocks", {
        "kind": "domain", "target": "Spam.Example", "reason": "<b>floods</b>"}, page="/admin/blocks")
    assert response.status_code == 303
    assert await london.ctx.repos.recent_blocks.is_domain_blocked("spam.example")
    page = (await london.client.get("/admin/blocks")).text
    assert "spam.example" in page and "&lt;b&gt;floods&lt;/b&gt;" in page
    bad = await post_form(london.client, "/admin/blocks", {"kind": "actor", "target": "not a url"},
                          page="/admin/blocks")
    assert bad.status_code == 422
    await post_form(london.client, "/admin/blocks/remove", {"kind": "domain", "target": "spam.example"},
                    page="/admin/blocks")
    assert not await london.ctx.repos.recent_blocks.is_domain_blocked("spam.example")


async def test_delivery_health_shows_the_queue(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = await london.client.get("/admin/deliveries")
    assert page.status_code == 200
    assert "Delivery health" in page.text


async def test_an_invitation_note_with_markup_is_shown_as_text(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = await post_form(london.client, "/admin/invitations", {
        "note": '<script>alert("x")</script>', "max_uses": "1", "valid_days": "2"}, page="/admin/members")
    assert '<script>alert("x")</script>' not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    too_many = await post_form(london.client, "/admin/invitations", {"max_uses": "5000", "valid_days": "2"},
                               page="/admin/members")
    assert too_many.status_code == 422 and "from 1 to 1000" in too_many.text


async def test_the_admin_chooses_whose_replies_are_relayed_and_the_hourly_cap(london: Instance) -> None:
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = await london.client.get("/admin")
    assert 'name="relay_replies"' in page.text and 'value="10"' in page.text  # the defaults
    form = {"name": "London Chapter", "summary": "", "openness": "moderated",
            "relay_replies": "moderated", "relays_per_actor_hour": "3"}
    saved = await post_form(london.client, "/admin", form, page="/admin")
    assert saved.status_code == 303
    assert await london.ctx.chapter_settings.relay_policy() == ("moderated", 3)

    for field, bad in (("relays_per_actor_hour", "0"), ("relays_per_actor_hour", "lots"), ("relay_replies", "all")):
        refused = await post_form(london.client, "/admin", {**form, field: bad}, page="/admin")
        assert refused.status_code == 422 and field in refused.text
    assert await london.ctx.chapter_settings.relay_policy() == ("moderated", 3)  # nothing changed
