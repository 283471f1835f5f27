"""An activity as the inbox worker hands it to a handler, and the small
helpers handlers share to read the shapes other servers send (a string or an
object where we expect one, a list where we expect one value)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class Ignored(Exception):
    """Raised by a handler for an activity it deliberately does nothing with;
    the row is recorded as 'ignored' with the reason."""


@dataclass(frozen=True)
class ReceivedActivity:
    id: str
    type: str
    actor: str  # verified: the signature's key belongs to this actor
    payload: dict[str, Any]
    # Our actor whose inbox received it; None for the shared inbox.
    local_actor_id: int | None

    @property
    def object(self) -> Any:
        return self.payload.get("object")

    @property
    def object_id(self) -> str | None:
        return id_of(self.object)


def id_of(value: Any) -> str | None:
    """The id of a reference: a string, an object with an id, or the first of a list."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        found = value.get("id")
        return found if isinstance(found, str) and found else None
    if isinstance(value, list) and value:
        return id_of(value[0])
    return None


def type_of(value: Any) -> str | None:
    """The first type of an object (``["Note", "as:Note"]`` counts as Note)."""
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if isinstance(item, str)), None)
    return kind if isinstance(kind, str) else None


def host_of(url: str | None) -> str:
    return urlsplit(url or "").netloc.lower()


def same_host(first: str | None, second: str | None) -> bool:
    return bool(first) and bool(second) and host_of(first) == host_of(second)
