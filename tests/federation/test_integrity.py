"""FEP-8b32 object integrity proofs with eddsa-jcs-2022, checked against the
FEP's own test vector (the same secret key and Multikey as W3C vc-di-eddsa)."""
from __future__ import annotations

import copy

import pytest
from bovine.crypto.multibase import multibase_to_private_key
from cryptography.hazmat.primitives.asymmetric import ed25519

from federation.integrity import ProofError, assertion_key, multikey, sign, verify

SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
ALICE = "https://server.example/users/alice"
DOCUMENT = {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
    "id": "https://server.example/activities/1",
    "type": "Create",
    "actor": ALICE,
    "object": {
        "id": "https://server.example/objects/1", "type": "Note", "attributedTo": ALICE, "content": "Hello world",
        "location": {"type": "Place", "longitude": -71.184902, "latitude": 25.273962},
    },
}
# FEP-8b32's "Signing document" scenario: the expected proof, byte for byte.
EXPECTED_PROOF_VALUE = "z42ffGu6AUKPCFcFPiabmUvnGLPJzC7e4DGWC52NUasSSH37UMa9c58tdgVszUcZfytxa4fQ5TYHaJENCxUDe9SdL"
ACTOR = {"id": ALICE, "type": "Person", "assertionMethod": [{
    "id": f"{ALICE}#ed25519-key", "type": "Multikey", "controller": ALICE,
    "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]}


def signed() -> dict:
    return sign(copy.deepcopy(DOCUMENT), multibase_to_private_key(SECRET), f"{ALICE}#ed25519-key",
                "2023-02-24T23:36:38Z")


def test_signing_reproduces_the_fep_test_vector() -> None:
    proof = signed()["proof"]
    assert proof["proofValue"] == EXPECTED_PROOF_VALUE
    assert (proof["cryptosuite"], proof["proofPurpose"], proof["@context"]) == (
        "eddsa-jcs-2022", "assertionMethod", DOCUMENT["@context"])


def test_the_published_multikey_is_the_vectors_and_verifies_the_vector() -> None:
    assert multikey(ALICE, multibase_to_private_key(SECRET).public_key()) == ACTOR["assertionMethod"][0]
    verify(signed(), assertion_key(ACTOR, f"{ALICE}#ed25519-key"))


def test_a_changed_object_or_another_key_does_not_verify() -> None:
    tampered = signed()
    tampered["object"]["content"] = "Goodbye world"
    with pytest.raises(ProofError, match="does not verify"):
        verify(tampered, assertion_key(ACTOR, f"{ALICE}#ed25519-key"))
    # Signed by someone else's key while naming Alice's.
    other = sign(copy.deepcopy(DOCUMENT), ed25519.Ed25519PrivateKey.generate(), f"{ALICE}#ed25519-key",
                 "2023-02-24T23:36:38Z")
    with pytest.raises(ProofError, match="does not verify"):
        verify(other, assertion_key(ACTOR, f"{ALICE}#ed25519-key"))


def test_a_missing_proof_or_unknown_key_is_refused_with_the_reason() -> None:
    with pytest.raises(ProofError, match="no integrity proof"):
        verify(copy.deepcopy(DOCUMENT), assertion_key(ACTOR, f"{ALICE}#ed25519-key"))
    with pytest.raises(ProofError, match="publishes no assertion key"):
        assertion_key(ACTOR, f"{ALICE}#other-key")
    foreign = {**ACTOR, "assertionMethod": [{**ACTOR["assertionMethod"][0], "controller": "https://evil.example/x"}]}
    with pytest.raises(ProofError, match="not a Multikey controlled by"):
        assertion_key(foreign, f"{ALICE}#ed25519-key")
