"""A network and its chapters for the network tests."""
from __future__ import annotations

from typing import Any

from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.web.proposal_helpers import admin_headers


async def network_instance(net: Network, handle: str = "alliance") -> Instance:
    return await net.chapter(handle, name="Alliance of Left Groups", timezone="Europe/Berlin", network=True)


async def affiliate(chapter: Instance, network: Instance) -> dict[str, Any]:
    response = await chapter.client.post(
        "/api/v1/affiliations", json={"network": network.settings.chapter_handle}, headers=await admin_headers(chapter)
    )
    assert response.status_code == 201, response.text
    await wait_until_drained(chapter, network)
    return response.json()  # type: ignore[no-any-return]


async def requests(network: Instance) -> list[dict[str, Any]]:
    response = await network.client.get("/api/v1/network/chapters", headers=await admin_headers(network))
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def request_of(network: Instance, chapter: Instance) -> dict[str, Any]:
    actor = chapter.ctx.urls.actor(chapter.settings.handle)
    return next(item for item in await requests(network) if item["actor"] == actor)


async def answer(network: Instance, chapter: Instance, verb: str, **patch: Any) -> dict[str, Any]:
    found = await request_of(network, chapter)
    headers = await admin_headers(network)
    response = await network.client.post(f"/api/v1/network/chapters/{found['id']}/{verb}", headers=headers)
    assert response.status_code == 200, response.text
    if patch:
        response = await network.client.patch(f"/api/v1/network/chapters/{found['id']}", json=patch, headers=headers)
        assert response.status_code == 200, response.text
    await wait_until_drained(chapter, network)
    return response.json()  # type: ignore[no-any-return]


async def affiliations(chapter: Instance) -> list[dict[str, Any]]:
    response = await chapter.client.get("/api/v1/affiliations", headers=await admin_headers(chapter))
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def join_network(net_member: Instance, network: Instance, **patch: Any) -> None:
    """Affiliate and be accepted (with ``patch`` as weight/delegates)."""
    await affiliate(net_member, network)
    await answer(network, net_member, "accept", **patch)
