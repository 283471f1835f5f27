"""Mail is written in the member's language, else the chapter's: one answer
for account mail, notifications and bulletins (MailPreferenceService)."""
from __future__ import annotations

from fedchapter.services.mail_preferences import MailPreferenceService


class Languages:
    def __init__(self, chosen: dict[int, str]) -> None:
        self.chosen = chosen

    async def language_of(self, user_id: int) -> str | None:
        return self.chosen.get(user_id)

    async def set_language(self, user_id: int, language: str) -> None:
        self.chosen[user_id] = language


class NoPreferences:
    async def of_user(self, user_id: int) -> dict[str, bool]:
        return {}

    async def set(self, user_id: int, kind: str, enabled: bool) -> None: ...

    async def chosen(self, kind: str) -> dict[int, bool]:
        return {}


async def test_a_member_gets_the_language_they_chose_and_everyone_else_the_chapters() -> None:
    preferences = MailPreferenceService(NoPreferences(), Languages({1: "de"}), chapter_language="en")
    assert await preferences.mail_language(1) == "de"
    assert await preferences.mail_language(2) == "en"  # a member who never chose
    assert await preferences.mail_language(None) == "en"  # a subscriber who is no member
    await preferences.choose_language(2, "de")
    assert await preferences.mail_language(2) == "de"
