"""A deleted object as a `Tombstone`: in the Delete we send and at its old
URL (410 Gone)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import to_iso

# `formerType` names the ActivityStreams type in full, as peers compare it
# with their own type names ("Note", never "note", "as:Note" or an IRI).
_AS_PREFIXES = ("https://www.w3.org/ns/activitystreams#", "as:")


def former_type(value: object) -> str:
    if not isinstance(value, str) or not value:
        return "Object"
    for prefix in _AS_PREFIXES:
        value = value.removeprefix(prefix)
    return value[:1].upper() + value[1:]


def tombstone_to_as(url: str, kind: object, deleted: datetime) -> dict[str, Any]:
    return {"id": url, "type": "Tombstone", "formerType": former_type(kind), "deleted": to_iso(deleted)}
