"""What each member chose to receive by mail, kind by kind, and the language
their mail is written in: the language the member last chose on the site (kept
with their account), so mail reaches them as the pages do.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.errors import N_, ValidationError
from fedchapter.mail.kinds import DEFAULTS, MailKind, parse_kind


class PreferenceStore(Protocol):
    async def of_user(self, user_id: int) -> dict[str, bool]: ...
    async def set(self, user_id: int, kind: str, enabled: bool) -> None: ...
    async def chosen(self, kind: str) -> dict[int, bool]: ...


class LanguageStore(Protocol):
    async def language_of(self, user_id: int) -> str | None: ...
    async def set_language(self, user_id: int, language: str) -> None: ...


class MailPreferenceService:
    def __init__(self, store: PreferenceStore, languages: LanguageStore, *, chapter_language: str = "en") -> None:
        self.store = store
        self.languages = languages
        self.chapter_language = chapter_language

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
                raise ValidationError("kind", N_("not a kind of mail"))
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

    async def language_of(self, user_id: int) -> str | None:
        """The language the member chose last, or None when they never chose."""
        return await self.languages.language_of(user_id)

    async def mail_language(self, user_id: int | None) -> str:
        """What mail to this person is written in: the language the member chose
        last, else the chapter's (also for a subscriber who is no member: None).
        Every kind of mail asks here: account mail, notifications, bulletins."""
        chosen = None if user_id is None else await self.languages.language_of(user_id)
        return chosen or self.chapter_language

    async def choose_language(self, user_id: int, language: str) -> None:
        """``language`` is one the site offers (the web checks it)."""
        if not language.isalpha() or len(language) > 8:
            raise ValidationError("language", N_("not a language tag"))
        await self.languages.set_language(user_id, language)
