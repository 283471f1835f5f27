"""Comments: local members comment and reply, threads nest, moderators hide,
delete and lock; members-only threads stay with members."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import csrf_token, log_in


async def published_minutes(london: Instance, **changes: object) -> str:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    response = await london.client.post("/api/v1/minutes", json=minutes_body(**changes), headers=secretary)
    return str(response.json()["ap_id"])


async def test_members_comment_and_reply_in_a_thread(london: Instance) -> None:
    ap_id = await published_minutes(london)
    ana = await bearer(london, "ana", Role.MEMBER)
    ben = await bearer(london, "ben", Role.SUPPORTER)
    first = await london.client.post("/api/v1/comments", json={
        "object": ap_id, "content": "Thanks for the *notes*! <script>alert(1)</script> [x](javascript:alert(2))",
    }, headers=ana)
    assert first.status_code == 201, first.text
    comment = first.json()
    assert comment["content"].startswith("<p>Thanks for the <em>notes</em>!")
    assert "script" not in comment["content"] and "javascript:" not in comment["content"]
    assert comment["author"] == {"name": "ana", "url": "http://london.test/actors/ana",
                                 "handle": "@ana@london.test"}
    reply = await london.client.post("/api/v1/comments", json={
        "object": ap_id, "content": "Agreed", "in_reply_to": comment["ap_id"],
    }, headers=ben)
    assert reply.status_code == 201
    thread = (await london.client.get("/api/v1/comments", params={"object": ap_id})).json()
    assert [item["id"] for item in thread["items"]] == [comment["id"]]
    assert thread["items"][0]["replies"][0]["content"] == "<p>Agreed</p>\n"
    assert thread["items"][0]["replies"][0]["in_reply_to"] == comment["ap_id"]
    page = (await london.client.get(ap_id.replace("http://london.test", ""))).text
    assert "Agreed" in page and 'id="comment-' in page


async def test_a_reply_must_belong_to_the_thread(london: Instance) -> None:
    ap_id = await published_minutes(london)
    ana = await bearer(london, "ana", Role.MEMBER)
    response = await london.client.post("/api/v1/comments", json={
        "object": ap_id, "content": "x", "in_reply_to": "http://elsewhere.test/notes/1",
    }, headers=ana)
    assert (response.status_code, response.json()["field"]) == (422, "in_reply_to")
    unknown = await london.client.post("/api/v1/comments", json={
        "object": "http://london.test/minutes/nothing", "content": "x"}, headers=ana)
    assert unknown.status_code == 404


async def test_members_only_threads_are_hidden_from_others(london: Instance) -> None:
    ap_id = await published_minutes(london, visibility="members")
    supporter = await bearer(london, "ben", Role.SUPPORTER)
    member = await bearer(london, "ana", Role.MEMBER)
    assert (await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "x"},
                                     headers=supporter)).status_code == 404
    assert (await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "x"},
                                     headers=member)).status_code == 201
    assert (await london.client.get("/api/v1/comments", params={"object": ap_id})).status_code == 404
    assert (await london.client.get(ap_id.removeprefix("http://london.test") + "/replies")).status_code == 404


async def test_moderators_hide_delete_and_lock(london: Instance) -> None:
    ap_id = await published_minutes(london)
    ana = await bearer(london, "ana", Role.MEMBER)
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    comment = (await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "spam"},
                                        headers=ana)).json()
    hidden = await london.client.post(f"/api/v1/comments/{comment['id']}/hide", json={}, headers=admin)
    assert hidden.json()["state"] == "hidden"
    assert (await london.client.get("/api/v1/comments", params={"object": ap_id})).json()["items"] == []
    as_admin = (await london.client.get("/api/v1/comments", params={"object": ap_id}, headers=admin)).json()
    assert [item["state"] for item in as_admin["items"]] == ["hidden"]
    assert (await london.client.post(f"/api/v1/comments/{comment['id']}/hide", json={},
                                     headers=ana)).status_code == 403
    locked = await london.client.post("/api/v1/comments/lock", json={"object": ap_id}, headers=admin)
    assert locked.json() == {"object": ap_id, "locked": True}
    refused = await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "more"}, headers=ana)
    assert refused.status_code == 403
    assert (await london.client.delete(f"/api/v1/comments/{comment['id']}", headers=admin)).status_code == 204
    gone = await london.client.get(f"/comments/{comment['id']}", headers={"Accept": "application/activity+json"})
    assert gone.status_code == 410


async def test_an_author_deletes_their_own_comment_but_not_others(london: Instance) -> None:
    ap_id = await published_minutes(london)
    ana = await bearer(london, "ana", Role.MEMBER)
    ben = await bearer(london, "ben", Role.MEMBER)
    comment = (await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "oops"},
                                        headers=ana)).json()
    assert (await london.client.delete(f"/api/v1/comments/{comment['id']}", headers=ben)).status_code == 403
    assert (await london.client.delete(f"/api/v1/comments/{comment['id']}", headers=ana)).status_code == 204


async def test_commenting_with_the_form_under_the_minutes(london: Instance) -> None:
    ap_id = await published_minutes(london)
    path = ap_id.removeprefix("http://london.test")
    await london.ctx.accounts.create_user("ana", PASSWORD, Role.MEMBER)
    await log_in(london.client, "ana", PASSWORD)
    token = await csrf_token(london.client, path)
    response = await london.client.post("/comments", data={
        "csrf_token": token, "object": ap_id, "return_to": path, "content": "From the form",
    })
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{path}#comment-")
    assert "From the form" in (await london.client.get(path)).text
    no_token = await london.client.post("/comments", data={"object": ap_id, "content": "forged"})
    assert no_token.status_code == 403


async def test_the_note_and_the_replies_collection(london: Instance) -> None:
    ap_id = await published_minutes(london)
    ana = await bearer(london, "ana", Role.MEMBER)
    comment = (await london.client.post("/api/v1/comments", json={"object": ap_id, "content": "Hi"},
                                        headers=ana)).json()
    note = (await london.client.get(f"/comments/{comment['id']}",
                                    headers={"Accept": "application/activity+json"})).json()
    assert (note["type"], note["inReplyTo"], note["attributedTo"]) == ("Note", ap_id, "http://london.test/actors/ana")
    path = ap_id.removeprefix("http://london.test")
    collection = (await london.client.get(f"{path}/replies")).json()
    assert collection["totalItems"] == 1
    first = (await london.client.get(f"{path}/replies?page=1")).json()
    assert first["orderedItems"] == [comment["ap_id"]]
