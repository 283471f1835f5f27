"""Multibase (base58btc, prefix ``z``) and Ed25519 Multikeys (FEP-521a), as
the integrity proofs (``federation.integrity``) need them.

These few lines were bovine's (``bovine.crypto.multibase``). Importing any
module of bovine runs its package ``__init__``, which loads its HTTP clients,
pydantic models, pyld and BeautifulSoup: about 20 MB of a serving process's
idle memory and a third of its start-up, for two encodings. base58 itself
comes from ``based58`` (bovine's own choice).
"""
from __future__ import annotations

import based58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

# The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint).
ED25519_PUBLIC = b"\xed\x01"


def multibase_58btc_encode(data: bytes) -> str:
    return "z" + based58.b58encode(data).decode("ascii")


def multibase_decode(encoded: str) -> bytes:
    """The bytes of a base58btc multibase string; ValueError for any other."""
    if not encoded.startswith("z"):
        raise ValueError("not a base58btc multibase string (it must start with z)")
    return bytes(based58.b58decode(encoded[1:].encode("ascii")))


def encode_ed25519_public_key(public_key: ed25519.Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    return multibase_58btc_encode(ED25519_PUBLIC + raw)


def decode_ed25519_public_key(encoded: str) -> ed25519.Ed25519PublicKey | None:
    """The Ed25519 key of a ``publicKeyMultibase``; None when it is another kind
    of key; ValueError when it is not a multibase key at all."""
    data = multibase_decode(encoded)
    if not data.startswith(ED25519_PUBLIC):
        return None
    return ed25519.Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUBLIC):])
