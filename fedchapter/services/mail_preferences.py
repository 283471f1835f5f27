"""What each member chose to receive by mail, kind by kind."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.errors import ValidationError
from fedchapter.mail.kinds import DEFAULTS, MailKind, parse_kind


class PreferenceStore(Protocol):
    async def of_user(self, user_id: int) -> dict[str, bool]: ...
    async def set(self, user_id: int, kind: str, enabled: bool) -> None: ...
    async def chosen(self, kind: str) -> dict[int, bool]: ...


class MailPreferenceService:
    def __init__(self, store: PreferenceStore) -> None:
        self.store = store

    async def choices(self, user: User) -> list[tuple[str, bool]]:
        """Every kind with whether this member receives it, in a fixed order."""
        chosen = await self.store.of_user(user.id)
        return [(kind.value, chosen.get(kind.value, DEFAULTS[kind])) for kind in MailKind]

    async def choose(self, user: User, kinds: Iterable[str]) -> None:
        """Exactly ``kinds`` on, every other kind off."""
        wanted: set[MailKind] = set()
        for text in kinds:
            kind = parse_kind(text)
            if kind is None:
                raise ValidationError("kind", "not a kind of mail")
            wanted.add(kind)
        for kind in MailKind:
            await self.store.set(user.id, kind.value, kind in wanted)

    async def turn_off(self, user_id: int, kind: MailKind) -> None:
        await self.store.set(user_id, kind.value, False)

    async def wants(self, user_id: int, kind: MailKind) -> bool:
        chosen = await self.store.of_user(user_id)
        return chosen.get(kind.value, DEFAULTS[kind])

    async def receivers(self, kind: MailKind, user_ids: Iterable[int]) -> set[int]:
        """Of ``user_ids``, those who receive ``kind``."""
        chosen = await self.store.chosen(kind.value)
        return {user_id for user_id in user_ids if chosen.get(user_id, DEFAULTS[kind])}
