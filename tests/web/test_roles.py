"""/admin/roles: passing the secretary's office on, with its history."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance
from tests.support.web_forms import log_in, post_form


async def test_admin_rotates_the_secretary_and_the_history_remembers(london: Instance) -> None:
    accounts = london.ctx.accounts
    maya = await accounts.create_user("maya", "a long password", Role.MEMBER, "Maya Okafor")
    jonas = await accounts.create_user("jonas", "a long password", Role.MEMBER, "Jonas Weber")
    await log_in(london.client, "admin", ADMIN_PASSWORD)

    first = await post_form(london.client, "/admin/roles", {"role": "secretary", "holder": f"user:{maya.id}"},
                            page="/admin/roles")
    assert first.status_code == 303
    assert (await london.ctx.repos.users.by_id(maya.id)).role is Role.SECRETARY

    await post_form(london.client, "/admin/roles", {"role": "secretary", "holder": f"user:{jonas.id}"},
                    page="/admin/roles")
    assert (await london.ctx.repos.users.by_id(maya.id)).role is Role.MEMBER
    assert (await london.ctx.repos.users.by_id(jonas.id)).role is Role.SECRETARY

    page = (await london.client.get("/admin/roles")).text
    history = page.split('id="history-heading"')[1]
    assert history.index("Jonas Weber") < history.index("Maya Okafor")  # newest first
    assert len(re.findall(r"<td>Secretary</td>", history)) == 2
    current = page.split('id="current-heading"')[1].split('id="rotate-heading"')[0]
    assert "Jonas Weber" in current and "Maya Okafor" not in current


async def test_rotation_refuses_supporters_and_nonsense(london: Instance) -> None:
    lucy = await london.ctx.accounts.create_user("lucy", "a long password", Role.SUPPORTER)
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    for form in ({"role": "secretary", "holder": f"user:{lucy.id}"},
                 {"role": "member", "holder": f"user:{lucy.id}"},
                 {"role": "secretary", "holder": "nobody"},
                 {"role": "secretary", "holder": "user:9999"}):
        response = await post_form(london.client, "/admin/roles", form, page="/admin/roles")
        assert response.status_code in (404, 422), form
    assert (await london.ctx.repos.users.by_id(lucy.id)).role is Role.SUPPORTER


async def test_a_handover_on_the_members_page_leaves_exactly_one_secretary(london: Instance) -> None:
    accounts = london.ctx.accounts
    maya = await accounts.create_user("maya", "a long password", Role.SECRETARY, "Maya Okafor")
    jonas = await accounts.create_user("jonas", "a long password", Role.MEMBER, "Jonas Weber")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    changed = await post_form(london.client, f"/admin/members/{jonas.id}/role", {"role": "secretary"},
                              page="/admin/members")
    assert changed.status_code == 303
    assert (await london.ctx.repos.users.by_id(maya.id)).role is Role.MEMBER
    secretaries = [term.holder.name for term in await london.ctx.members.roles.current()
                   if term.role is Role.SECRETARY]
    assert secretaries == ["Jonas Weber"]
    history = (await london.client.get("/admin/roles")).text.split('id="history-heading"')[1]
    assert "Maya Okafor" in history  # her term ended, it is not forgotten


async def test_a_term_has_a_start_and_an_end(london: Instance) -> None:
    maya = await london.ctx.accounts.create_user("maya", "a long password", Role.MEMBER, "Maya Okafor")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    today = london.ctx.members.roles.clock().date()
    backwards = await post_form(london.client, "/admin/roles", {
        "role": "secretary", "holder": f"user:{maya.id}", "starts_on": today.isoformat(),
        "ends_on": "2001-01-01"}, page="/admin/roles")
    assert backwards.status_code == 422
    assert "the end of the term comes after its start" in backwards.text
    assert 'value="2001-01-01"' in backwards.text  # what was typed stays
    start = today.replace(day=1)
    handed = await post_form(london.client, "/admin/roles", {
        "role": "secretary", "holder": f"user:{maya.id}", "starts_on": start.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat()}, page="/admin/roles")
    assert handed.status_code == 303
    [term] = [term for term in await london.ctx.members.roles.current() if term.role is Role.SECRETARY]
    assert term.started_at.date() == start and term.ends_on == today.replace(year=today.year + 1)
    page = (await london.client.get("/admin/roles")).text
    assert "until" in page.split('id="current-heading"')[1].split('id="rotate-heading"')[0]

    ended = await post_form(london.client, "/admin/roles/end", {"role": "secretary", "holder": f"user:{maya.id}"},
                            page="/admin/roles")
    assert ended.status_code == 303
    assert (await london.ctx.repos.users.by_id(maya.id)).role is Role.MEMBER


async def test_co_holders_share_an_office_only_when_the_chapter_allows(london: Instance) -> None:
    accounts = london.ctx.accounts
    ann = await accounts.create_user("ann", "a long password", Role.MEMBER, "Ann")
    bo = await accounts.create_user("bo", "a long password", Role.MEMBER, "Bo")
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    allowed = await post_form(london.client, "/admin/roles/offices", {"co_held": ["facilitator", "admin"]},
                              page="/admin/roles")
    assert allowed.status_code == 303
    for person in (ann, bo):
        await post_form(london.client, "/admin/roles", {"role": "facilitator", "holder": f"user:{person.id}"},
                        page="/admin/roles")
    facilitators = {term.holder.name for term in await london.ctx.members.roles.current()
                    if term.role is Role.FACILITATOR}
    assert facilitators == {"Ann", "Bo"}
    # Back to one holder is refused while two hold it.
    refused = await post_form(london.client, "/admin/roles/offices", {"co_held": ["admin"]}, page="/admin/roles")
    assert refused.status_code == 409
