"""Object integrity proofs (FEP-8b32) with the ``eddsa-jcs-2022`` cryptosuite
(W3C vc-di-eddsa), and the chapter's Ed25519 key as a Multikey (FEP-521a).

A chapter signs what others must be able to check without trusting whoever
relays it: its reported result on a network's proposal and each member's
ballot it forwards. The proof travels inside the object, so a network can
relay the object unchanged (FEP-1b12 ``Announce``) and any third chapter
verifies it against the chapter's actor document.

The Ed25519 key is derived from the actor's RSA private key (HKDF-SHA256),
not stored beside it: every actor, old or new, on SQLite or PostgreSQL, has
one without a schema change or a key-generation step, and it changes when the
RSA key is rotated, as a key pair rotated together should.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fedchapter.actors import LocalActor
from fedchapter.clock import to_iso
from federation.multikey import (
    decode_ed25519_public_key,
    encode_ed25519_public_key,
    multibase_58btc_encode,
    multibase_decode,
)

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
KEY_FRAGMENT = "#ed25519-key"
_DERIVATION_INFO = b"fedchapter FEP-8b32 assertion key v1"


class ProofError(ValueError):
    """The proof is missing, malformed or does not verify; the message says which."""


def integrity_key(actor: LocalActor) -> ed25519.Ed25519PrivateKey:
    """The actor's Ed25519 assertion key (see the module's note on deriving it)."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        actor.private_key_pem.encode("ascii"))
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def key_id(actor_url: str) -> str:
    return actor_url + KEY_FRAGMENT


def multikey(actor_url: str, public_key: ed25519.Ed25519PublicKey) -> dict[str, str]:
    """The key as FEP-521a publishes it in the actor's ``assertionMethod``."""
    return {"id": key_id(actor_url), "type": "Multikey", "controller": actor_url,
            "publicKeyMultibase": encode_ed25519_public_key(public_key)}


def _hash_data(unsecured: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    # vc-di-eddsa, eddsa-jcs-2022: SHA-256(JCS(proof config)) || SHA-256(JCS(document)).
    return hashlib.sha256(rfc8785.dumps(proof_config)).digest() + hashlib.sha256(rfc8785.dumps(unsecured)).digest()


def sign(
    document: dict[str, Any], private_key: ed25519.Ed25519PrivateKey, verification_method: str,
    created: datetime | str,
) -> dict[str, Any]:
    """``document`` with a ``proof``; its ``@context`` should already name the
    data integrity context (our signed objects carry their own ``@context``)."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof: dict[str, Any] = {
        "type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod", "created": to_iso(created) if isinstance(created, datetime) else created,
    }
    if "@context" in unsecured:
        proof = {"@context": unsecured["@context"], **proof}
    signature = private_key.sign(_hash_data(unsecured, proof))
    return {**unsecured, "proof": {**proof, "proofValue": multibase_58btc_encode(signature)}}


def proof_of(document: dict[str, Any]) -> dict[str, Any]:
    """The one ``eddsa-jcs-2022`` proof of ``document``; ProofError otherwise."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("the object carries no integrity proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the proof is not a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    if not isinstance(proof.get("verificationMethod"), str) or not isinstance(proof.get("proofValue"), str):
        raise ProofError("the proof names no verificationMethod or proofValue")
    return proof


def verify(document: dict[str, Any], public_key: ed25519.Ed25519PublicKey) -> None:
    """Checks the proof of ``document`` with ``public_key``; ProofError says why not."""
    proof = proof_of(document)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" in proof and proof["@context"] != unsecured.get("@context"):
        raise ProofError("the proof's @context is not the object's")
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        signature = multibase_decode(proof["proofValue"])
        public_key.verify(signature, _hash_data(unsecured, config))
    except (InvalidSignature, ValueError):
        raise ProofError("the integrity proof does not verify: the object was changed or signed by another key") from None


def assertion_key(actor: dict[str, Any], verification_method: str) -> ed25519.Ed25519PublicKey:
    """The Ed25519 key ``verification_method`` names in ``actor``'s
    ``assertionMethod``, controlled by that actor; ProofError otherwise."""
    actor_id = actor.get("id")
    methods = actor.get("assertionMethod")
    for method in methods if isinstance(methods, list) else [methods]:
        if not isinstance(method, dict) or method.get("id") != verification_method:
            continue
        if method.get("type") != "Multikey" or method.get("controller") != actor_id:
            raise ProofError(f"{verification_method} is not a Multikey controlled by {actor_id}")
        encoded = method.get("publicKeyMultibase")
        try:
            key = decode_ed25519_public_key(encoded) if isinstance(encoded, str) and encoded else None
        except ValueError:
            key = None
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ProofError(f"{verification_method} is not an Ed25519 key")
        return key
    raise ProofError(f"{actor_id} publishes no assertion key {verification_method}")
