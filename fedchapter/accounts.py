"""Local accounts: a Person actor with a password and a role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from fedchapter.actors import RESERVED_USERNAMES
from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class User:
    id: int
    actor_id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class ApiToken:
    """What the holder may see of one of their API tokens: never the token itself."""
    id: int
    created_at: datetime
    last_used_at: datetime | None


def check_username(username: str, field: str = "username") -> str:
    if not USERNAME_PATTERN.match(username):
        raise ValidationError(field, N_("use 1-30 lowercase letters, digits or underscores"))
    if username in RESERVED_USERNAMES:
        raise ValidationError(field, N_("%(username)s is reserved"), username=repr(username))
    return username
