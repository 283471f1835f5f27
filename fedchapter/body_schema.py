"""Request bodies described once: the same description checks a body's shape
(required fields, JSON types, choices) before a parser reads its meaning, and
is what the API's OpenAPI document shows. So the document cannot drift from
what the server accepts.

A small subset of JSON Schema, on purpose: the parsers (``*/validation.py``)
still check meaning (dates, zones, limits between fields); this checks what
JSON Schema can say. Numbers given as digit strings and fields a client
copies back from our own answers stay accepted, as the parsers accept them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fedchapter.errors import N_, ValidationError


def _at(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)


class Schema:
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, value: Any, path: str) -> None:
        raise NotImplementedError

    def _described(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {**schema, "description": self.description} if self.description else schema


@dataclass(frozen=True)
class Text(Schema):
    description: str | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    max_length: int | None = None

    @classmethod
    def of(cls, enum: type[StrEnum], description: str | None = None) -> Text:
        return cls(description=description, choices=tuple(item.value for item in enum))

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.pattern:
            schema["pattern"] = self.pattern
        if self.max_length:
            schema["maxLength"] = self.max_length
        return self._described(schema)

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise ValidationError(path, N_("must be text"))
        if self.choices and value not in self.choices:
            raise ValidationError(path, N_("must be one of %(items)s"), items=', '.join(self.choices))
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise ValidationError(path, N_("is not in the expected form"))


@dataclass(frozen=True)
class Integer(Schema):
    description: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._described(schema)

    def check(self, value: Any, path: str) -> None:
        # Digit strings are read as numbers (forms send them so); true is not a count.
        whole = (
            isinstance(value, int) and not isinstance(value, bool)
            or isinstance(value, float) and value.is_integer()
            or isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value) is not None
        )
        if not whole:
            raise ValidationError(path, N_("must be a whole number"))


@dataclass(frozen=True)
class Number(Schema):
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "number"})

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError(path, N_("must be a number"))
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                raise ValidationError(path, N_("must be a number")) from None


@dataclass(frozen=True)
class Boolean(Schema):
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "boolean"})

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            raise ValidationError(path, N_("must be true or false"))


@dataclass(frozen=True)
class ListOf(Schema):
    items: Schema
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "array", "items": self.items.json_schema()})

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise ValidationError(path, N_("must be a list"))
        for index, item in enumerate(value):
            if item is not None:
                self.items.check(item, _at(path, index))


@dataclass(frozen=True)
class OneOf(Schema):
    options: tuple[Schema, ...]
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"oneOf": [option.json_schema() for option in self.options]})

    def check(self, value: Any, path: str) -> None:
        errors = []
        for option in self.options:
            try:
                option.check(value, path)
                return
            except ValidationError as error:
                errors.append(error.message)
        raise ValidationError(path, "%(reasons)s", reasons=" or ".join(dict.fromkeys(errors)),
                              plain=N_("this is not in the expected form"))


@dataclass(frozen=True)
class Obj(Schema):
    properties: Mapping[str, Schema]
    required: Sequence[str] = ()
    description: str | None = None
    # Fields our answers carry that a client may send back unchanged: accepted, not documented.
    echoed: frozenset[str] = field(default_factory=frozenset)
    # Refuse fields it does not know (a typo is then a 422, not silently ignored).
    closed: bool = False

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: prop.json_schema() for name, prop in self.properties.items()},
        }
        if self.required:
            schema["required"] = list(self.required)
        if self.closed and not self.echoed:
            schema["additionalProperties"] = False
        return self._described(schema)

    def check(self, value: Any, path: str = "") -> None:
        if not isinstance(value, dict):
            raise ValidationError(path or None,
                                  N_("must be a JSON object") if path else N_("the body must be a JSON object"))
        for name in self.required:
            if value.get(name) in (None, ""):
                raise ValidationError(_at(path, name), N_("is required"))
        for name, item in value.items():
            prop = self.properties.get(name)
            if prop is None:
                if self.closed and name not in self.echoed:
                    raise ValidationError(_at(path, name), N_("is not a field of this body"))
                continue
            if item is not None:
                prop.check(item, _at(path, name))
