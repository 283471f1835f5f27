"""The API describes itself, and the description matches the contract's routes."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route

from fedchapter.cli.composition import chapter_app
from fedchapter.settings import Settings
from tests.support.instances import Instance
from web.api_contract import CONTRACT as DECLARED

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
    # The zone defaults to the chapter's: the document says what the server accepts.
    assert set(body["required"]) == {"title", "start", "end"}
    assert "timezone" in body["properties"]
    assert {"201", "422"} <= set(create_event["responses"])


def _served_routes() -> set[tuple[str, str]]:
    app = chapter_app(Settings(data_dir=Path("."), base_url="https://x.example", handle="x",
                               session_secret="s" * 40))
    return {(method, route.path) for route in app.routes
            if isinstance(route, Route) and route.path.startswith("/api/")
            for method in (route.methods or set()) - {"HEAD"}}


def test_every_api_route_is_documented_and_every_documented_route_is_served() -> None:
    served = _served_routes()
    assert served == set(DECLARED), {"undocumented": sorted(served - set(DECLARED)),
                                     "not served": sorted(set(DECLARED) - served)}


async def test_the_document_shows_the_bodies_that_check_requests(london: Instance) -> None:
    schema = (await london.client.get("/api/v1/openapi.json")).json()
    for (method, path), declared in DECLARED.items():
        operation = schema["paths"][path][method.lower()]
        assert str(declared.status) in operation["responses"], (method, path)
        if declared.body is not None:
            shown = operation["requestBody"]["content"]["application/json"]["schema"]
            assert shown == declared.body.json_schema(), (method, path)
        if declared.paged:
            assert {"limit", "offset"} <= {parameter["name"] for parameter in operation["parameters"]}


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/events", {"start": "2030-01-01T10:00", "end": "2030-01-01T11:00"}, "title"),
    ("/api/v1/events", {"title": "T", "start": "2030-01-01T10:00", "end": "2030-01-01T11:00",
                        "join_mode": "whoever"}, "join_mode"),
    ("/api/v1/minutes", {"title": "M", "attendance": 3}, "meeting_date"),
    ("/api/v1/proposals", {"title": "P", "body": "B", "closes_at": "2030-01-01T10:00:00Z"}, "method"),
    ("/api/v1/posts", {"title": "News", "body": ["not", "text"]}, "body"),
    ("/api/v1/members", {"role": "member"}, "actor"),
])
async def test_a_body_the_document_refuses_is_refused_with_its_field(london: Instance, path: str,
                                                                      body: dict[str, Any], field: str) -> None:
    admin = {"Authorization": f"Bearer {await london.ctx.accounts.create_token('admin')}"}
    response = await london.client.post(path, json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert (method_path := ("POST", path)) in DECLARED and field in _documented_fields(method_path)


def _documented_fields(key: tuple[str, str]) -> set[str]:
    declared = DECLARED[key].body
    assert declared is not None
    return set(declared.properties)
