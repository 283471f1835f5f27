"""News posts (API, archive, page, Article) and the Atom feed of public
minutes and news."""
from __future__ import annotations

from xml.etree import ElementTree

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import csrf_token, log_in

ATOM = "{http://www.w3.org/2005/Atom}"


async def test_a_post_is_published_listed_and_served_as_an_article(london: Instance) -> None:
    writer = await bearer(london, "fay", Role.FACILITATOR)
    response = await london.client.post("/api/v1/posts", json={
        "title": "Stall on Saturday", "body": "Come and help!\n\n<style>*{}</style>", "summary": "Help us",
    }, headers=writer)
    assert response.status_code == 201, response.text
    post = response.json()
    assert post["url"] == f"http://london.test/posts/{post['id']}"
    assert "style" not in post["content"]
    assert "Stall on Saturday" in (await london.client.get("/posts")).text
    assert "Come and help!" in (await london.client.get(f"/posts/{post['id']}")).text
    article = (await london.client.get(f"/posts/{post['id']}", headers={"Accept": "application/activity+json"})).json()
    assert (article["type"], article["name"], article["summary"]) == ("Article", "Stall on Saturday", "Help us")


async def test_posts_need_the_permission_and_a_title(london: Instance) -> None:
    member = await bearer(london, "mo", Role.MEMBER)
    secretary = await bearer(london, "sam", Role.SECRETARY)
    assert (await london.client.post("/api/v1/posts", json={"title": "t", "body": "b"},
                                     headers=member)).status_code == 403
    refused = await london.client.post("/api/v1/posts", json={"body": "b"}, headers=secretary)
    assert (refused.status_code, refused.json()["field"]) == (422, "title")


async def test_edit_and_delete_a_post(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    post = (await london.client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=secretary)).json()
    edited = await london.client.patch(f"/api/v1/posts/{post['id']}", json={"title": "t2", "body": "b2"},
                                       headers=secretary)
    assert edited.json()["title"] == "t2"
    assert (await london.client.delete(f"/api/v1/posts/{post['id']}", headers=secretary)).status_code == 204
    assert (await london.client.get(f"/posts/{post['id']}", headers={"Accept": "application/activity+json"})
            ).status_code == 410


async def test_writing_a_post_with_the_form(london: Instance) -> None:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "sam", PASSWORD)
    token = await csrf_token(london.client, "/posts/new")
    response = await london.client.post("/posts/new", data={
        "csrf_token": token, "title": "Bulletin", "body": "News **here**", "visibility": "public",
    })
    assert response.status_code == 303
    assert "<strong>here</strong>" in (await london.client.get(response.headers["location"])).text


async def test_the_atom_feed_has_public_minutes_and_news_only(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)
    await london.client.post("/api/v1/minutes", json=minutes_body(title="Secret", visibility="members"),
                             headers=secretary)
    await london.client.post("/api/v1/minutes", json={**minutes_body(title="Draft"), "state": "draft"},
                             headers=secretary)
    await london.client.post("/api/v1/posts", json={"title": "Bulletin", "body": "b"}, headers=secretary)
    await london.client.post("/api/v1/posts", json={"title": "Internal", "body": "b", "visibility": "members"},
                             headers=secretary)
    response = await london.client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = sorted(entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry"))
    assert titles == ["Bulletin", "General meeting, October"]
    minutes_entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") != "Bulletin")
    assert minutes_entry.findtext(f"{ATOM}summary").startswith("14 present.")
    assert "<script" not in (minutes_entry.findtext(f"{ATOM}content") or "")


async def test_the_home_page_shows_the_latest_public_minutes_and_news(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)
    await london.client.post("/api/v1/minutes", json=minutes_body(title="Secret", visibility="members"),
                             headers=secretary)
    await london.client.post("/api/v1/posts", json={"title": "Bulletin", "body": "b"}, headers=secretary)
    home = (await london.client.get("/")).text
    assert "General meeting, October" in home and "Bulletin" in home
    assert "Secret" not in home
