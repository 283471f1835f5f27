"""A members-only minutes' document travels as the minutes do: a remote
member's server, fetching it with a signature of that member, gets the file;
the same fetch unsigned, or signed by someone who is not a member, gets 404
(the file's existence does not leak)."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.federation.test_minutes_federation import followed_by_alice, publish, signed_get
from tests.support.instances import Instance, Network
from tests.support.media import pdf
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_from, log_in


async def test_a_remote_members_server_may_fetch_a_members_only_document(net: Network, london: Instance) -> None:
    peer = await followed_by_alice(net, london)
    minutes = await publish(london, visibility="members")
    await log_in(london.client, "sam", PASSWORD)
    page = f"/minutes/{minutes['id']}"
    token = csrf_from((await london.client.get(page)).text)
    uploaded = await london.client.post(f"{page}/documents", data={"csrf_token": token, "title": "Budget"},
                                        files={"file": ("budget.pdf", pdf(), "application/pdf")})
    assert uploaded.status_code == 303, uploaded.text
    [media_id] = [row[0] for row in await london.ctx.database.fetchall("SELECT id FROM media")]
    url = f"http://london.test/media/{media_id}/document.pdf"
    assert (await signed_get(peer, "alice", url)).status_code == 404  # not a member yet

    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    made = await london.client.post("/api/v1/members", json={"actor": peer.actor("alice"), "role": "member"},
                                    headers=admin)
    assert made.status_code in (200, 201), made.text
    fetched = await signed_get(peer, "alice", url)
    assert fetched.status_code == 200, fetched.text
    assert fetched.headers["content-type"] == "application/pdf" and fetched.content.startswith(b"%PDF-")
    assert fetched.headers["cache-control"].startswith("private")
    assert (await signed_get(peer, "mallory", url, add=True)).status_code == 404
    await london.client.post("/logout", data={"csrf_token": csrf_from((await london.client.get("/")).text)})
    assert (await london.client.get(url)).status_code == 404
