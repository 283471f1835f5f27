"""The API describes itself, and the description matches the contract's routes."""
from __future__ import annotations

from tests.support.instances import Instance

CONTRACT = {
    ("post", "/api/v1/events"),
    ("get", "/api/v1/events"),
    ("patch", "/api/v1/events/{id}"),
    ("delete", "/api/v1/events/{id}"),
    ("post", "/api/v1/events/{id}/cancel"),
    ("post", "/api/v1/events/{id}/rsvp"),
    ("get", "/api/v1/minutes/{id}"),
    ("post", "/api/v1/minutes"),
    ("post", "/api/v1/proposals"),
    ("post", "/api/v1/proposals/{id}/vote"),
    ("post", "/api/v1/proposals/{id}/close"),
    ("get", "/api/v1/proposals/{id}"),
    ("get", "/api/v1/comments"),
    ("post", "/api/v1/members"),
    ("get", "/api/v1/members"),
}


async def test_openapi_lists_every_contract_route(london: Instance) -> None:
    response = await london.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    served = {(verb, path) for path, operations in schema["paths"].items() for verb in operations}
    assert CONTRACT <= served, sorted(CONTRACT - served)


async def test_writes_declare_bearer_auth_and_bodies(london: Instance) -> None:
    schema = (await london.client.get("/api/v1/openapi.json")).json()
    create_event = schema["paths"]["/api/v1/events"]["post"]
    assert create_event["security"] == [{"bearer": []}]
    body = create_event["requestBody"]["content"]["application/json"]["schema"]
    assert {"title", "start", "end", "timezone"} <= set(body["required"])
    assert "422" in create_event["responses"]
