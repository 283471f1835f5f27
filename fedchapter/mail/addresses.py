"""Email addresses as members type them: one address, one line, no display
name. A newline in an address is how header injection starts, so it is
refused here, before anything is stored or sent."""
from __future__ import annotations

import re

from fedchapter.errors import N_, ValidationError

MAX_ADDRESS = 254  # RFC 5321's limit on a forward path
# Deliberately plain: local@domain.tld with no spaces, quotes, angle brackets or
# commas (each of those could smuggle a second recipient into a header).
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


def check_address(raw: str, field: str = "email") -> str:
    """The address, its domain in lower case; ValidationError for anything else."""
    if any(character in raw for character in "\r\n\0"):
        raise ValidationError(field, N_("an email address must be one line"))
    address = raw.strip()
    if not address:
        raise ValidationError(field, N_("please fill this in"))
    if len(address) > MAX_ADDRESS or not _ADDRESS.match(address):
        raise ValidationError(field, N_("this is not an email address (name@example.org)"))
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def raw_address(value: str | None, field: str = "email") -> str:
    """A submitted address as it came, not yet stripped: a newline at its end
    is refused too, rather than quietly trimmed away."""
    value = value or ""
    if len(value) > MAX_ADDRESS + 2:
        raise ValidationError(field, N_("this is too long: at most %(max_address)s characters"),
                              max_address=MAX_ADDRESS)
    return value


def same_address(address: str) -> str:
    """The form addresses are compared and stored in: lower case throughout
    (nearly every mail server treats the local part case-insensitively)."""
    return address.lower()
