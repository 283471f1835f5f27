"""One-click unsubscribe (RFC 8058) for every mail sent to a list: the link
in the ``List-Unsubscribe`` header and at the foot of the mail.

The link's token is signed (fedchapter.mail.unsubscribe), so it works without
logging in and without a row per mail, and a forged one changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from fedchapter.errors import N_, ValidationError
from fedchapter.mail.kinds import NOTIFICATION_KINDS, MailKind, parse_kind
from fedchapter.mail.unsubscribe import Unsubscribe, UnsubscribeSigner
from fedchapter.services.mail_preferences import MailPreferenceService


class SubscriberLookup(Protocol):
    async def unsubscribe(self, address: str) -> bool: ...


class AddressOwners(Protocol):
    async def user_of(self, address: str) -> int | None: ...


class Unsubscribing:
    def __init__(
        self,
        signer: UnsubscribeSigner,
        subscribers: SubscriberLookup,
        owners: AddressOwners,
        preferences: MailPreferenceService,
        absolute: Callable[[str], str],
    ) -> None:
        self.signer = signer
        self.subscribers = subscribers
        self.owners = owners
        self.preferences = preferences
        self.absolute = absolute

    def url(self, address: str, kind: MailKind) -> str:
        return self.absolute(f"/unsubscribe/{self.signer.token(address, kind.value)}")

    def read(self, token: str) -> Unsubscribe:
        """What a link would unsubscribe (for the page that asks first)."""
        found = self.signer.read(token)
        if parse_kind(found.kind) is None:
            raise ValidationError("token", N_("this unsubscribe link is not valid"))
        return found

    async def unsubscribe(self, token: str) -> Unsubscribe:
        found = self.read(token)
        kind = MailKind(found.kind)
        if kind is MailKind.BULLETIN:
            await self.subscribers.unsubscribe(found.address)
        user_id = await self.owners.user_of(found.address)
        if user_id is not None:
            # Stopping the digest stops what it gathers, not just its bundling.
            kinds = (kind, *NOTIFICATION_KINDS) if kind is MailKind.DIGEST else (kind,)
            for each in kinds:
                await self.preferences.turn_off(user_id, each)
        return found
