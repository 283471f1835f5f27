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
