"""What a Mastodon server does first: WebFinger, the actor, NodeInfo."""
from __future__ import annotations

from tests.support.instances import Instance

AS2 = {"Accept": "application/activity+json"}


async def test_webfinger_finds_the_chapter_by_acct_with_port_and_back(london: Instance) -> None:
    response = await london.client.get(
        "/.well-known/webfinger", params={"resource": "acct:london@london.test"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jrd+json")
    document = response.json()
    assert document["subject"] == "acct:london@london.test"
    self_link = next(link for link in document["links"] if link["rel"] == "self")
    assert self_link["type"] == "application/activity+json"
    actor = (await london.client.get(self_link["href"], headers=AS2)).json()
    # The round trip Mastodon checks: preferredUsername@host resolves to this id.
    assert f"acct:{actor['preferredUsername']}@london.test" == document["subject"]
    assert actor["id"] == self_link["href"]


async def test_webfinger_by_actor_url(london: Instance) -> None:
    response = await london.client.get(
        "/.well-known/webfinger", params={"resource": "http://london.test/actors/london"}
    )
    assert response.status_code == 200
    assert response.json()["subject"] == "acct:london@london.test"


async def test_webfinger_unknown_resource_is_404_json(london: Instance) -> None:
    for resource in ("acct:nobody@london.test", "acct:london@elsewhere.test", "http://elsewhere.test/x"):
        response = await london.client.get("/.well-known/webfinger", params={"resource": resource})
        assert response.status_code == 404
        assert "error" in response.json()


async def test_webfinger_malformed_query_is_400(london: Instance) -> None:
    assert (await london.client.get("/.well-known/webfinger")).status_code == 400
    response = await london.client.get("/.well-known/webfinger", params={"resource": "mailto:x@y"})
    assert response.status_code == 400
    assert response.json()["error"]


async def test_group_actor_is_what_mastodon_accepts(london: Instance) -> None:
    response = await london.client.get("/actors/london", headers=AS2)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/activity+json")
    actor = response.json()
    assert "https://www.w3.org/ns/activitystreams" in actor["@context"]
    assert actor["type"] == "Group"
    assert actor["preferredUsername"] == "london"
    assert actor["name"] == "London Chapter"
    for key in ("inbox", "outbox", "followers", "following"):
        assert actor[key].startswith("http://london.test/actors/london/")
    assert actor["endpoints"]["sharedInbox"] == "http://london.test/inbox"
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["publicKey"]["id"] == actor["id"] + "#main-key"
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert actor["manuallyApprovesFollowers"] is False
    assert actor["openness"] == "moderated"
    assert actor["memberCount"] == 1  # the admin
    assert actor["attributedTo"] == "http://london.test/actors/london/moderators"


async def test_instance_actor_is_an_application_linked_from_nodeinfo(london: Instance) -> None:
    links = (await london.client.get("/.well-known/nodeinfo")).json()["links"]
    nodeinfo_url = next(l["href"] for l in links if l["rel"].endswith("/schema/2.1"))
    instance_url = next(l["href"] for l in links if l["rel"].endswith("#Application"))
    nodeinfo = (await london.client.get(nodeinfo_url)).json()
    assert nodeinfo["version"] == "2.1"
    assert nodeinfo["software"]["name"] == "fedchapter"
    assert nodeinfo["protocols"] == ["activitypub"]
    instance = (await london.client.get(instance_url, headers=AS2)).json()
    assert instance["type"] == "Application"
    assert instance["publicKey"]["owner"] == instance_url


async def test_host_meta_points_at_webfinger(london: Instance) -> None:
    response = await london.client.get("/.well-known/host-meta")
    assert response.status_code == 200
    assert 'template="http://london.test/.well-known/webfinger?resource={uri}"' in response.text


async def test_collections_are_paginated_ordered_collections(london: Instance) -> None:
    for name in ("outbox", "followers", "following"):
        collection = (await london.client.get(f"/actors/london/{name}", headers=AS2)).json()
        assert collection["type"] == "OrderedCollection"
        assert collection["totalItems"] == 0
        page = (await london.client.get(collection["first"], headers=AS2)).json()
        assert page["type"] == "OrderedCollectionPage"
        assert page["partOf"] == collection["id"]
        assert page["orderedItems"] == []
    bad = await london.client.get("/actors/london/outbox?page=zero", headers=AS2)
    assert bad.status_code == 400


async def test_members_collection_shows_only_a_count(london: Instance) -> None:
    collection = (await london.client.get("/actors/london/members", headers=AS2)).json()
    assert collection["totalItems"] == 1
    assert "first" not in collection and "orderedItems" not in collection


async def test_unknown_actor_is_404(london: Instance) -> None:
    assert (await london.client.get("/actors/nobody", headers=AS2)).status_code == 404
