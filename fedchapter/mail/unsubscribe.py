"""Signed unsubscribe tokens: the link in every bulletin and notification.

The token names the address and the list (``bulletin`` or a notification
kind) and carries an HMAC of both under the installation's secret, so nobody
can unsubscribe someone else by guessing a link, and no row is needed per
mail sent. A token does not expire: a bulletin read a year later still works.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from fedchapter.errors import N_, ValidationError

MAX_TOKEN = 600


@dataclass(frozen=True)
class Unsubscribe:
    address: str
    kind: str


class UnsubscribeSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("unsubscribe links need a secret")
        # A key of its own, derived from the session secret: a token for one
        # purpose can never pass as the other.
        self._key = hashlib.sha256(b"fedchapter unsubscribe\0" + secret.encode("utf-8")).digest()

    def _mac(self, payload: bytes) -> str:
        digest = hmac.new(self._key, payload, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def token(self, address: str, kind: str) -> str:
        payload = f"{kind}\n{address}".encode()
        encoded = base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")
        return f"{encoded}.{self._mac(payload)}"

    def read(self, token: str) -> Unsubscribe:
        """What the token unsubscribes; ValidationError when it was not made by us."""
        encoded, dot, mac = token.partition(".")
        if not dot or len(token) > MAX_TOKEN:
            raise ValidationError("token", N_("this unsubscribe link is not valid"))
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (ValueError, TypeError):
            raise ValidationError("token", N_("this unsubscribe link is not valid")) from None
        if not hmac.compare_digest(self._mac(payload), mac):
            raise ValidationError("token", N_("this unsubscribe link is not valid"))
        kind, _, address = payload.decode("utf-8", "replace").partition("\n")
        return Unsubscribe(address=address, kind=kind)
