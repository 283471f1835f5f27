"""The outbox lists what the chapter published, newest first, as stored."""
from __future__ import annotations

from tests.support.instances import Instance

AS2 = {"Accept": "application/activity+json"}


async def test_outbox_page_carries_the_published_activities(london: Instance) -> None:
    token = await london.ctx.accounts.create_token("admin")
    for title in ("First news", "Second news"):
        response = await london.client.post(
            "/api/v1/posts", json={"title": title, "body": "Text."},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
    collection = (await london.client.get("/actors/london/outbox", headers=AS2)).json()
    assert collection["totalItems"] == 2
    page = (await london.client.get(collection["first"], headers=AS2)).json()
    assert [item["type"] for item in page["orderedItems"]] == ["Create", "Create"]
    assert [item["object"]["name"] for item in page["orderedItems"]] == ["Second news", "First news"]
    assert page["partOf"] == collection["id"]
