"""Reading JSON that strangers send: one function for every API write (and
the inbox), refusing with a reason what would otherwise become a 500 later.
``web.api_support.read_json`` reads a request's bounded body through it.

``json.loads`` alone accepts things that break us further in: nesting deep
enough to exhaust the recursion limit of whoever walks the result, lone
surrogates (``"\\ud800"``) that SQLite and every UTF-8 encoder refuse,
integers too long to convert (Python raises past 4,300 digits) and the
non-standard ``NaN``/``Infinity``. Each is refused here as a ValidationError
(422 with ``{"error": reason}``), before anything is stored.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from fedchapter.errors import ValidationError

# Far deeper than any real activity or API body (a few levels), far below
# Python's recursion limit.
MAX_DEPTH = 64
# Longer than any id, count or timestamp we take; short enough to convert cheaply.
MAX_INTEGER_DIGITS = 30
_SURROGATE = re.compile("[\ud800-\udfff]")
JSON_MEDIA_TYPES = ("application/json", "application/activity+json", "application/ld+json")


class MalformedJson(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise MalformedJson(f"a number in the body is too long (more than {MAX_INTEGER_DIGITS} digits)")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedJson("a number in the body is too large")
    return value


def _constant(name: str) -> Any:
    raise MalformedJson(f"{name} is not JSON")


def _check_shape(value: Any) -> None:
    """Depth and strings, walked without recursion (the point is deep input)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise MalformedJson("the body contains an unpaired surrogate (\\ud800-\\udfff), which is not text")
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise MalformedJson(f"the body is nested too deeply (more than {MAX_DEPTH} levels)")
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                pending.extend((child, depth + 1) for child in item.values())
            else:
                pending.extend((child, depth + 1) for child in item)


def parse_json(raw: bytes) -> Any:
    """The parsed body, or MalformedJson saying what is wrong with it."""
    try:
        # Strict UTF-8: encoded surrogates and stray bytes are not text.
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedJson("the body is not UTF-8 text") from None
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except MalformedJson:
        raise
    except RecursionError:
        raise MalformedJson(f"the body is nested too deeply (more than {MAX_DEPTH} levels)") from None
    except ValueError:  # JSONDecodeError, and any conversion that still fails
        raise MalformedJson("the body is not valid JSON") from None
    _check_shape(value)
    return value


def is_json_media_type(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type in JSON_MEDIA_TYPES

