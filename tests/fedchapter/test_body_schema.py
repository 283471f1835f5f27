"""One description of a request body: it refuses what it says it refuses,
naming the dotted field, and shows itself as the JSON Schema the API documents."""
from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest

from fedchapter.body_schema import Boolean, Integer, ListOf, Obj, OneOf, Text
from fedchapter.errors import ValidationError


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


BODY = Obj(
    {"name": Text(), "colour": Text.of(Colour), "count": Integer(minimum=1), "on": Boolean(),
     "quorum": OneOf((Integer(), Text(pattern=r"\d+%"))),
     "items": ListOf(Obj({"text": Text()}, required=("text",)))},
    required=("name",),
    echoed=frozenset({"id"}),
    closed=True,
)


@pytest.mark.parametrize("body, field, reason", [
    ({}, "name", "is required"),
    ({"name": ""}, "name", "is required"),
    ({"name": 3}, "name", "must be text"),
    ({"name": "a", "colour": "green"}, "colour", "must be one of red, blue"),
    ({"name": "a", "count": True}, "count", "must be a whole number"),
    ({"name": "a", "on": "yes"}, "on", "must be true or false"),
    ({"name": "a", "quorum": "half"}, "quorum", "must be a whole number or is not in the expected form"),
    ({"name": "a", "items": [{"text": "x"}, {}]}, "items.1.text", "is required"),
    ({"name": "a", "items": "x"}, "items", "must be a list"),
    ({"name": "a", "colour_": "red"}, "colour_", "is not a field of this body"),
])
def test_a_body_is_refused_naming_the_field(body: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        BODY.check(body)
    assert (refused.value.field, refused.value.message) == (field, reason)


def test_what_clients_send_back_and_numbers_as_text_pass() -> None:
    BODY.check({"name": "a", "id": "x1", "count": "3", "quorum": "10%", "colour": None})


def test_the_json_schema_says_the_same() -> None:
    schema = BODY.json_schema()
    assert schema["required"] == ["name"]
    assert schema["properties"]["colour"] == {"type": "string", "enum": ["red", "blue"]}
    assert schema["properties"]["items"]["items"]["required"] == ["text"]
    assert schema["properties"]["quorum"]["oneOf"][1]["pattern"] == r"\d+%"


def test_a_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValidationError, match="JSON object"):
        BODY.check(["name"])
