"""Reading fields of a submitted body (JSON or a form turned into a dict).

Every refusal is a ValidationError naming the dotted path of the field, and a
value of the wrong type is a refusal too, never a crash. Used by minutes,
news posts and comments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from fedchapter.errors import N_, ValidationError

Choice = TypeVar("Choice", bound=StrEnum)

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def optional(data: Mapping[str, Any], key: str) -> Any:
    """The value, or None when missing, null or an empty string."""
    value = data.get(key)
    return None if value is None or value == "" else value


def text(value: Any, field: str, *, limit: int, required: bool = False) -> str:
    if value is None:
        if required:
            raise ValidationError(field, N_("this is required"))
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, N_("must be text"))
    value = value.strip()
    if required and not value:
        raise ValidationError(field, N_("this is required"))
    if len(value) > limit:
        raise ValidationError(field, N_("must be at most %(limit)s characters"), limit=limit)
    return value


def single_line(value: Any, field: str, *, limit: int, required: bool = False) -> str:
    value = text(value, field, limit=limit, required=required)
    if "\n" in value or "\r" in value:
        raise ValidationError(field, N_("must be one line"))
    return value


def whole_number(value: Any, field: str, *, minimum: int = 0, maximum: int = 1_000_000) -> int:
    # bool is an int in Python; true is not a count.
    if isinstance(value, bool):
        raise ValidationError(field, N_("must be a whole number"))
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError(field, N_("must be a whole number"))
    if value < minimum:
        raise ValidationError(field, N_("must be at least %(minimum)s"), minimum=minimum)
    if value > maximum:
        raise ValidationError(field, N_("must be at most %(maximum)s"), maximum=maximum)
    return value


def calendar_date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise ValidationError(field, N_("must be a date (YYYY-MM-DD)"), plain=N_("enter a date"))
    try:
        parsed = date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValidationError(field, N_("must be a date (YYYY-MM-DD)"), plain=N_("enter a date")) from None
    if not 1970 <= parsed.year <= 2200:
        raise ValidationError(field, N_("must be a date between 1970 and 2200"))
    return parsed


def clock_time(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _TIME.match(value.strip()):
        raise ValidationError(field, N_("must be a time of day (HH:MM, 24-hour)"), plain=N_("enter a time of day"))
    return value.strip()


def choice(value: Any, field: str, allowed: type[Choice]) -> Choice:
    try:
        return allowed(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        options = ", ".join(member.value for member in allowed)
        raise ValidationError(field, N_("must be one of: %(options)s"), plain=N_("choose one of the options"),
                              options=options) from None


def language_tag(value: Any, field: str = "language", default: str = "en") -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not _LANGUAGE_TAG.match(value):
        raise ValidationError(field, N_("must be a language tag such as en or pt-BR"))
    return value


def _bounded_list(value: Any, field: str, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(field, N_("must be a list"))
    if len(value) > limit:
        raise ValidationError(field, N_("may have at most %(limit)s entries"), limit=limit)
    return value


def object_list(value: Any, field: str, *, limit: int) -> list[Mapping[str, Any]]:
    """A list of JSON objects (missing → empty)."""
    value = _bounded_list(value, field, limit)
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValidationError(f"{field}.{index}", N_("must be an object"))
    return value


def string_list(value: Any, field: str, *, limit: int, item_limit: int) -> list[str]:
    return [single_line(item, f"{field}.{index}", limit=item_limit, required=True)
            for index, item in enumerate(_bounded_list(value, field, limit))]


def refuse_unknown(data: Mapping[str, Any], known: frozenset[str], prefix: str = "") -> None:
    """A misspelt field is refused rather than silently ignored."""
    for key in data:
        if key not in known:
            raise ValidationError(f"{prefix}{key}", N_("is not a field we know"))
