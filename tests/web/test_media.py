"""Pictures and documents through the site: an event's poster and a PDF on
minutes, uploaded with the forms, shown on the pages, served with their own
type and federated; members-only minutes' documents stay with members; bad
uploads are refused with a reason and leave nothing behind."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR as YEAR
from tests.support.events import publish_event
from tests.support.instances import Instance
from tests.support.media import CORRUPT_PDF, PHP_AS_JPG, image_bomb, jpeg, pdf
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import csrf_from, log_in

AS_JSON = {"Accept": "application/activity+json"}


async def _organiser(london: Instance, username: str = "fay", role: Role = Role.FACILITATOR) -> None:
    await london.ctx.accounts.create_user(username, PASSWORD, role)
    await log_in(london.client, username, PASSWORD)


async def _event(london: Instance) -> dict[str, Any]:
    return await publish_event(london, {
        "title": "Climate march", "start": f"{YEAR}-05-01T12:00", "end": f"{YEAR}-05-01T15:00",
        "timezone": "Europe/London", "location": {"name": "Parliament Square", "locality": "London"},
    })


async def _upload(london: Instance, page: str, action: str, content: bytes, filename: str,
                  content_type: str, **fields: str) -> Any:
    token = csrf_from((await london.client.get(page)).text)
    return await london.client.post(action, data={"csrf_token": token, **fields},
                                    files={"file": (filename, content, content_type)})


def _stored_files(london: Instance) -> list[Path]:
    folder = london.settings.media_folder
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


async def _media_rows(london: Instance) -> int:
    return int(await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM media"))


async def test_an_event_poster_is_shown_served_and_federated(london: Instance) -> None:
    await _organiser(london)
    event = await _event(london)
    page = f"/events/{event['id']}"
    answer = await _upload(london, page, f"{page}/poster", jpeg(exif_text="Home address"), "poster.jpg",
                           "image/jpeg", alt="A crowd with banners in front of Parliament")
    assert answer.status_code == 303, answer.text
    shown = (await london.client.get(page)).text
    assert 'alt="A crowd with banners in front of Parliament"' in shown
    document = (await london.client.get(page, headers=AS_JSON)).json()
    image = document["image"]
    assert (image["type"], image["mediaType"], image["width"], image["height"]) == ("Image", "image/jpeg", 1280, 720)
    assert image["name"] == "A crowd with banners in front of Parliament" and image["blurhash"]
    assert document["attachment"] == [image]
    served = await london.client.get(image["url"].removeprefix("http://london.test"))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert b"Home address" not in served.content
    # The followers got an Update carrying the poster.
    activities = await london.ctx.database.fetchall("SELECT payload FROM outbox ORDER BY id")
    assert '"image"' in activities[-1][0] and image["url"] in activities[-1][0]


async def test_a_new_poster_replaces_the_old_one(london: Instance) -> None:
    await _organiser(london)
    event = await _event(london)
    page = f"/events/{event['id']}"
    for alt in ("First poster", "Second poster"):
        await _upload(london, page, f"{page}/poster", jpeg(), "p.jpg", "image/jpeg", alt=alt)
    document = (await london.client.get(page, headers=AS_JSON)).json()
    assert [item["name"] for item in document["attachment"]] == ["Second poster"]
    assert await _media_rows(london) == 1 and len({p.parent for p in _stored_files(london)}) == 1


async def test_minutes_with_a_pdf_as_a_document(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    minutes = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    await log_in(london.client, "sam", PASSWORD)
    page = f"/minutes/{minutes['id']}"
    answer = await _upload(london, page, f"{page}/documents", pdf(pages=3), "Treasurer report.pdf",
                           "application/pdf", title="Treasurer's report")
    assert answer.status_code == 303, answer.text
    assert "Treasurer&#39;s report" in (await london.client.get(page)).text
    article = (await london.client.get(page, headers=AS_JSON)).json()
    [document] = article["attachment"]
    assert (document["type"], document["mediaType"], document["name"]) == (
        "Document", "application/pdf", "Treasurer's report")
    served = await london.client.get(document["url"].removeprefix("http://london.test"))
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith('attachment; filename="Treasurer-report.pdf"')
    assert served.content.startswith(b"%PDF-")


async def test_members_only_minutes_documents_are_not_served_to_others(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    minutes = (await london.client.post("/api/v1/minutes", json=minutes_body(visibility="members"),
                                        headers=secretary)).json()
    await log_in(london.client, "sam", PASSWORD)
    page = f"/minutes/{minutes['id']}"
    await _upload(london, page, f"{page}/documents", pdf(), "budget.pdf", "application/pdf", title="Budget")
    [media_id] = [row[0] for row in await london.ctx.database.fetchall("SELECT id FROM media")]
    url = f"/media/{media_id}/document.pdf"
    assert (await london.client.get(url)).status_code == 200
    await london.client.post("/logout", data={"csrf_token": csrf_from((await london.client.get("/")).text)})
    assert (await london.client.get(url)).status_code == 404
    assert (await london.client.get(url, headers=AS_JSON)).status_code == 404


async def test_a_picture_needs_its_description(london: Instance) -> None:
    await _organiser(london)
    event = await _event(london)
    page = f"/events/{event['id']}"
    refused = await _upload(london, page, f"{page}/poster", jpeg(), "p.jpg", "image/jpeg", alt="  ")
    assert refused.status_code == 422 and "Describe the picture" in refused.text
    assert await _media_rows(london) == 0 and _stored_files(london) == []


async def test_bad_uploads_are_refused_and_nothing_is_stored(london: Instance) -> None:
    await _organiser(london, "sam", Role.ADMIN)
    event = await _event(london)
    secretary = await bearer(london, "sue", Role.SECRETARY)
    minutes = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    event_page, minutes_page = f"/events/{event['id']}", f"/minutes/{minutes['id']}"
    fifty_mb = b"\xff\xd8\xff\xe0" + b"\0" * 50_000_000
    cases = [
        (event_page, f"{event_page}/poster", fifty_mb, "huge.jpg", "image/jpeg", 413, "too large"),
        (event_page, f"{event_page}/poster", PHP_AS_JPG, "shell.jpg", "image/jpeg", 422, "not a picture"),
        (event_page, f"{event_page}/poster", image_bomb(), "bomb.png", "image/png", 422, "megapixels"),
        (minutes_page, f"{minutes_page}/documents", CORRUPT_PDF, "m.pdf", "application/pdf", 422, "damaged"),
        (minutes_page, f"{minutes_page}/documents", jpeg(), "m.pdf", "application/pdf", 422, "not a PDF"),
    ]
    for page, action, content, filename, content_type, status, reason in cases:
        fields = {"alt": "A description"} if action.endswith("poster") else {"title": "Report"}
        answer = await _upload(london, page, action, content, filename, content_type, **fields)
        assert (answer.status_code, reason in answer.text) == (status, True), (filename, answer.text[answer.text.find("<main"):][:600])
    assert await _media_rows(london) == 0 and _stored_files(london) == []


async def test_uploading_needs_the_permission_and_the_csrf_token(london: Instance) -> None:
    event = await _event(london)
    page = f"/events/{event['id']}"
    await london.ctx.accounts.create_user("mo", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mo", PASSWORD)
    member = await _upload(london, page, f"{page}/poster", jpeg(), "p.jpg", "image/jpeg", alt="x")
    assert member.status_code == 403
    london.client.cookies.clear()
    await _organiser(london)
    forged = await london.client.post(f"{page}/poster", data={"csrf_token": "forged", "alt": "x"},
                                      files={"file": ("p.jpg", jpeg(), "image/jpeg")})
    assert forged.status_code == 403
    assert await _media_rows(london) == 0


async def test_a_post_photo_is_the_articles_image_and_can_be_removed(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    post = (await london.client.post("/api/v1/posts", json={"title": "Stall", "body": "Come!"},
                                     headers=secretary)).json()
    await log_in(london.client, "sam", PASSWORD)
    page = f"/posts/{post['id']}"
    await _upload(london, page, f"{page}/photo", jpeg(500, 500), "stall.jpg", "image/jpeg", alt="Our stall")
    article = (await london.client.get(page, headers=AS_JSON)).json()
    assert article["image"]["name"] == "Our stall" and article["attachment"] == [article["image"]]
    [media_id] = [row[0] for row in await london.ctx.database.fetchall("SELECT id FROM media")]
    token = csrf_from((await london.client.get(page)).text)
    removed = await london.client.post(f"{page}/files/{media_id}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    article = (await london.client.get(page, headers=AS_JSON)).json()
    assert "image" not in article and article["attachment"] == []
    assert await _media_rows(london) == 0 and _stored_files(london) == []
    assert (await london.client.get(f"/media/{media_id}/500.jpg")).status_code == 404
