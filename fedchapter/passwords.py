"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fedchapter.errors import N_, ValidationError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; cap it so nobody makes us hash megabytes


def check_password_rules(password: str, field: str = "password") -> None:
    """Refuses a new password that breaks the rules (a ValidationError on `field`)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(field, N_("password must have at least %(least)s characters"),
                              plain=N_("use at least %(least)s characters"), least=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(field, N_("password must have at most %(most)s characters"),
                              plain=N_("use at most %(most)s characters"), most=MAX_PASSWORD_LENGTH)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
