"""RFC 9421 HTTP Message Signatures (issue 14.7): verified beside draft-cavage,
checked against the RFC's own test vector and against signatures made the
way Mastodon 4.5 and Fedify make them, independently of the code under test."""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from federation.message_signatures import _signature_base, sign_request_rfc9421
from federation.signatures import (
    PublicKeyInfo, SignatureError, load_signing_key, signature_matches, verify_request,
)
from tests.support.keys import pooled_keypair

ALICE = "https://remote.example/users/alice"
ALICE_KEY = ALICE + "#main-key"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
BODY = b'{"type":"Follow","actor":"https://remote.example/users/alice"}'
INBOX = "https://chapter.example/inbox"


class Lookup:
    def __init__(self, pem: str) -> None:
        self.pem = pem
        self.calls: list[tuple[str, bool]] = []

    async def __call__(self, key_id: str, refresh: bool) -> PublicKeyInfo | None:
        self.calls.append((key_id, refresh))
        return PublicKeyInfo(key_id=ALICE_KEY, owner=ALICE, public_key_pem=self.pem)


@pytest.fixture(scope="module")
def rsa_pair() -> tuple[str, str]:
    return pooled_keypair()


def sf_bytes(data: bytes) -> str:
    return ":" + base64.b64encode(data).decode() + ":"


def hand_signed(sign, components: list[tuple[str, str]], params: str, extra: dict[str, str]) -> dict[str, str]:
    """Build the signature base as RFC 9421 section 2.5 spells it, by hand."""
    names = " ".join(f'"{name}"' for name, _ in components)
    lines = [f'"{name}": {value}' for name, value in components]
    lines.append(f'"@signature-params": ({names}){params}')
    signature = sign("\n".join(lines).encode())
    return {**extra, "signature-input": f"sig1=({names}){params}", "signature": f"sig1={sf_bytes(signature)}"}


def mastodon_style(private_pem: str, *, body: bytes = BODY, url: str = INBOX, created: datetime = NOW,
                   digest_body: bytes | None = None) -> dict[str, str]:
    key = load_pem_private_key(private_pem.encode(), password=None)
    digest = "sha-256=" + sf_bytes(hashlib.sha256(digest_body if digest_body is not None else body).digest())
    return hand_signed(
        lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256()),
        [("@method", "POST"), ("@target-uri", url), ("content-digest", digest)],
        f';created={int(created.timestamp())};keyid="{ALICE_KEY}"',
        {"host": "chapter.example", "content-digest": digest},
    )


async def verify(headers, lookup, *, target="/inbox", body=BODY, host="chapter.example"):
    return await verify_request("POST", target, headers, body, lookup, now=NOW, expected_host=host)


async def refused(headers, lookup, **kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        await verify(headers, lookup, **kwargs)
    assert caught.value.status == 401
    return caught.value.reason


def test_the_rfc_test_vector_b_2_6_ed25519() -> None:
    """RFC 9421 appendix B.2.6: our signature base is byte for byte the RFC's, and its signature verifies."""
    pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n"
    headers = {"host": "example.com", "date": "Tue, 20 Apr 2021 02:07:55 GMT",
               "content-type": "application/json", "content-length": "18"}
    base = _signature_base("sig-b26", ["date", "@method", "@path", "@authority", "content-type", "content-length"],
                           {"created": 1618884473, "keyid": "test-key-ed25519"},
                           "POST", "/foo?param=Value&Pet=dog", "https", headers)
    assert base.decode().endswith(
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")'
        ';created=1618884473;keyid="test-key-ed25519"')
    signature = base64.b64decode(
        "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==")
    assert signature_matches(pem, signature, base)


async def test_a_mastodon_style_signature_verifies(rsa_pair) -> None:
    lookup = Lookup(rsa_pair[0])
    verified = await verify(mastodon_style(rsa_pair[1]), lookup)
    assert (verified.key_id, verified.owner) == (ALICE_KEY, ALICE)
    assert lookup.calls == [(ALICE_KEY, False)]


async def test_ed25519_over_authority_and_path_with_alg_verifies() -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    digest = "sha-512=" + sf_bytes(hashlib.sha512(BODY).digest())
    headers = hand_signed(
        private.sign,
        [("@method", "POST"), ("@authority", "chapter.example"), ("@path", "/inbox"), ("content-digest", digest)],
        f';created={int(NOW.timestamp())};keyid="{ALICE_KEY}";alg="ed25519"',
        {"host": "chapter.example", "content-digest": digest},
    )
    assert (await verify(headers, Lookup(pem))).owner == ALICE


async def test_our_own_signature_verifies_and_looks_like_mastodons(rsa_pair) -> None:
    key = load_signing_key(ALICE_KEY, ALICE, rsa_pair[1])
    headers = sign_request_rfc9421("POST", INBOX, key=key, body=BODY, now=NOW)
    assert headers["Signature-Input"] == (
        f'sig1=("@method" "@target-uri" "content-digest");created={int(NOW.timestamp())};'
        f'keyid="{ALICE_KEY}";alg="rsa-v1_5-sha256"')
    assert headers["Content-Digest"] == "sha-256=" + sf_bytes(hashlib.sha256(BODY).digest())
    assert (await verify(headers, Lookup(rsa_pair[0]))).owner == ALICE


async def test_a_query_is_part_of_the_target_uri(rsa_pair) -> None:
    headers = mastodon_style(rsa_pair[1], url=INBOX + "?a=1")
    assert (await verify(headers, Lookup(rsa_pair[0]), target="/inbox?a=1")).owner == ALICE
    assert "does not match" in await refused(headers, Lookup(rsa_pair[0]), target="/inbox?a=2")


async def test_a_changed_body_is_refused(rsa_pair) -> None:
    headers = mastodon_style(rsa_pair[1])
    assert "Content-Digest" in await refused(headers, Lookup(rsa_pair[0]), body=BODY + b" ")


async def test_a_signature_for_another_host_is_refused(rsa_pair) -> None:
    headers = mastodon_style(rsa_pair[1], url="https://other.example/inbox")
    assert "does not match" in await refused(headers, Lookup(rsa_pair[0]))
    headers = dict(headers, host="other.example")
    assert "signed for host" in await refused(headers, Lookup(rsa_pair[0]))


async def test_a_stale_signature_is_refused(rsa_pair) -> None:
    headers = mastodon_style(rsa_pair[1], created=NOW - timedelta(hours=2))
    assert "too old" in await refused(headers, Lookup(rsa_pair[0]))


async def test_a_post_must_cover_the_content_digest_and_the_target(rsa_pair) -> None:
    key = load_pem_private_key(rsa_pair[1].encode(), password=None)
    sign = lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())  # noqa: E731
    created = f';created={int(NOW.timestamp())};keyid="{ALICE_KEY}"'
    no_digest = hand_signed(sign, [("@method", "POST"), ("@target-uri", INBOX)], created, {"host": "chapter.example"})
    assert "content-digest" in await refused(no_digest, Lookup(rsa_pair[0]))
    digest = "sha-256=" + sf_bytes(hashlib.sha256(BODY).digest())
    no_target = hand_signed(sign, [("@method", "POST"), ("content-digest", digest)], created,
                            {"host": "chapter.example", "content-digest": digest})
    assert "@target-uri" in await refused(no_target, Lookup(rsa_pair[0]))
    no_created = hand_signed(sign, [("@method", "POST"), ("@target-uri", INBOX), ("content-digest", digest)],
                             f';keyid="{ALICE_KEY}"', {"host": "chapter.example", "content-digest": digest})
    assert "created" in await refused(no_created, Lookup(rsa_pair[0]))


async def test_an_alg_that_does_not_fit_the_key_is_refused(rsa_pair) -> None:
    key = load_signing_key(ALICE_KEY, ALICE, rsa_pair[1])
    headers = sign_request_rfc9421("POST", INBOX, key=key, body=BODY, now=NOW)
    headers["Signature-Input"] = headers["Signature-Input"].replace("rsa-v1_5-sha256", "ed25519")
    assert "does not match" in await refused(headers, Lookup(rsa_pair[0]))


@pytest.mark.parametrize(("signature_input", "signature"), [
    ("sig1=(((", "sig1=:AAAA:"),
    ('sig1=("@method");created=1;keyid="k"', "sig2=:AAAA:"),
    ('sig1=("@method");created=1;keyid="k"', 'sig1="not bytes"'),
    ('sig1=("@method" "@query-param";name="a");created=1;keyid="k"', "sig1=:AAAA:"),
    ('sig1=("@method" "@method");created=1;keyid="k"', "sig1=:AAAA:"),
    ("sig1=(\"@method\");created=1;keyid=\"\u00e9\"", "sig1=:AAAA:"),
])
async def test_malformed_headers_are_401_not_500(rsa_pair, signature_input: str, signature: str) -> None:
    headers = {"host": "chapter.example", "signature-input": signature_input, "signature": signature}
    await refused(headers, Lookup(rsa_pair[0]))
