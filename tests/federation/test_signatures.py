"""HTTP signatures: what a peer that signs correctly, sloppily or maliciously sees."""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from bovine.crypto import generate_rsa_public_private_key
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from starlette.datastructures import Headers

from federation.signatures import (
    PublicKeyInfo,
    SignatureError,
    _cached_digest,
    load_signing_key,
    sign_request,
    verify_request,
)

ALICE = "https://remote.example/users/alice"
ALICE_KEY = ALICE + "#main-key"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
BODY = b'{"type":"Follow","actor":"https://remote.example/users/alice"}'


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[str, str]]:
    """Two RSA key pairs: (public PEM, private PEM)."""
    return {"alice": generate_rsa_public_private_key(), "mallory": generate_rsa_public_private_key()}


class Lookup:
    """A key lookup that records its calls; answers come from a list per refresh flag."""

    def __init__(self, cached: PublicKeyInfo | None, refreshed: PublicKeyInfo | None = None) -> None:
        self.cached = cached
        self.refreshed = refreshed if refreshed is not None else cached
        self.calls: list[tuple[str, bool]] = []

    async def __call__(self, key_id: str, refresh: bool) -> PublicKeyInfo | None:
        self.calls.append((key_id, refresh))
        return self.refreshed if refresh else self.cached


def alice_info(keys: dict[str, tuple[str, str]], name: str = "alice") -> PublicKeyInfo:
    return PublicKeyInfo(key_id=ALICE_KEY, owner=ALICE, public_key_pem=keys[name][0])


def signed_post(keys, url="https://chapter.example/inbox", body=BODY, now=NOW, signer="alice"):
    key = load_signing_key(ALICE_KEY, ALICE, keys[signer][1])
    return sign_request("POST", url, key=key, body=body, now=now)


def hand_signed(private_pem: str, method: str, target: str, headers: dict[str, str],
                signed: list[str], *, algorithm: str | None = "hs2019",
                created: int | None = None, expires: int | None = None) -> dict[str, str]:
    """Sign the way other servers do, independently of the code under test."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    private_key = load_pem_private_key(private_pem.encode(), password=None)
    lines = []
    for name in signed:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name == "(created)":
            lines.append(f"(created): {created}")
        elif name == "(expires)":
            lines.append(f"(expires): {expires}")
        else:
            lines.append(f"{name}: {headers[name]}")
    signature = base64.b64encode(
        private_key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    parameters = [f'keyId="{ALICE_KEY}"']
    if algorithm:
        parameters.append(f'algorithm="{algorithm}"')
    if created is not None:
        parameters.append(f"created={created}")
    if expires is not None:
        parameters.append(f"expires={expires}")
    parameters += [f'headers="{" ".join(signed)}"', f'signature="{signature}"']
    return {**headers, "signature": ",".join(parameters)}


async def verify(headers, lookup, *, method="POST", target="/inbox", body=BODY, now=NOW):
    return await verify_request(method, target, headers, body, lookup, now=now)


# Round trips -----------------------------------------------------------------


async def test_signed_post_verifies_and_names_the_key_owner(keys):
    headers = signed_post(keys)
    assert headers["Signature"].startswith(f'keyId="{ALICE_KEY}",algorithm="rsa-sha256",')
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    assert headers["Content-Type"] == "application/activity+json"
    lookup = Lookup(alice_info(keys))
    verified = await verify(headers, lookup)
    assert (verified.key_id, verified.owner) == (ALICE_KEY, ALICE)
    assert lookup.calls == [(ALICE_KEY, False)]


async def test_signed_get_verifies_with_starlette_headers(keys):
    key = load_signing_key(ALICE_KEY, ALICE, keys["alice"][1])
    headers = sign_request("GET", "https://chapter.example/actors/chapter", key=key, now=NOW,
                           extra_headers={"Accept": "application/activity+json"})
    assert 'headers="(request-target) host date"' in headers["Signature"]
    assert "Digest" not in headers and headers["Accept"] == "application/activity+json"
    raw = Headers(raw=[(k.lower().encode(), v.encode()) for k, v in headers.items()])
    verified = await verify(raw, Lookup(alice_info(keys)), method="GET",
                            target="/actors/chapter", body=None)
    assert verified.owner == ALICE


async def test_query_string_is_part_of_the_signed_target(keys):
    key = load_signing_key(ALICE_KEY, ALICE, keys["alice"][1])
    headers = sign_request("GET", "https://chapter.example/outbox?page=2", key=key, now=NOW)
    lookup = Lookup(alice_info(keys))
    await verify(headers, lookup, method="GET", target="/outbox?page=2", body=None)
    for other in ("/outbox", "/outbox?page=3"):
        with pytest.raises(SignatureError) as caught:
            await verify(headers, lookup, method="GET", target=other, body=None)
        assert caught.value.status == 401


def test_signing_keys_are_parsed_once(keys):
    first = load_signing_key(ALICE_KEY, ALICE, keys["alice"][1])
    second = load_signing_key("https://other.example/actor#main-key", "https://other.example/actor",
                              keys["alice"][1])
    assert first.private_key is second.private_key
    assert second.key_id == "https://other.example/actor#main-key"


@pytest.mark.parametrize(("method", "body"), [("POST", BODY), ("GET", None)])
def test_signing_writes_exactly_the_header_bovine_wrote(keys, method, body):
    """Signing no longer goes through bovine (its import alone was ~20 MB of
    a server's memory); what peers receive must not change by a byte."""
    from bovine.crypto.helper import content_digest_sha256
    from bovine.crypto.http_signature import build_signature
    from bovine.crypto.types import CryptographicSecret

    key = load_signing_key(ALICE_KEY, ALICE, keys["alice"][1])
    ours = sign_request(method, "https://chapter.example/inbox?page=2", key=key, body=body, now=NOW)
    signature = build_signature("chapter.example", method.lower(), "/inbox?page=2").with_field(
        "date", format_datetime(NOW, usegmt=True))
    if body is not None:
        signature = signature.with_field("digest", content_digest_sha256(body, prefix="SHA-256"))
        assert ours["Digest"] == content_digest_sha256(body, prefix="SHA-256")
    secret = CryptographicSecret(key_id=ALICE_KEY, private_key=key.private_key)
    assert ours["Signature"] == signature.sign_for_http_draft(secret)


# Attacks and sloppy senders --------------------------------------------------


async def expect_401(headers, lookup, **kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        await verify(headers, lookup, **kwargs)
    assert caught.value.status == 401
    return caught.value.reason


async def test_unsigned_request_is_refused(keys):
    reason = await expect_401({"host": "chapter.example", "date": "x"}, Lookup(alice_info(keys)))
    assert "not signed" in reason


async def test_tampered_signature_is_refused_after_one_refetch(keys):
    headers = signed_post(keys)
    encoded = headers["Signature"].rsplit('signature="', 1)
    flipped = "A" if encoded[1][0] != "A" else "B"
    headers["Signature"] = encoded[0] + 'signature="' + flipped + encoded[1][1:]
    lookup = Lookup(alice_info(keys))
    assert "does not match" in await expect_401(headers, lookup)
    assert lookup.calls == [(ALICE_KEY, False), (ALICE_KEY, True)]


@pytest.mark.parametrize("offset", [timedelta(hours=-2), timedelta(hours=2)])
async def test_date_outside_the_window_is_refused(keys, offset):
    headers = signed_post(keys, now=NOW + offset)
    reason = await expect_401(headers, Lookup(alice_info(keys)))
    assert "date" in reason


async def test_date_within_the_window_is_accepted(keys):
    headers = signed_post(keys, now=NOW - timedelta(minutes=50))
    assert (await verify(headers, Lookup(alice_info(keys)))).owner == ALICE


async def test_body_that_does_not_match_the_digest_is_refused(keys):
    headers = signed_post(keys)
    reason = await expect_401(headers, Lookup(alice_info(keys)), body=BODY.replace(b"Follow", b"Delete"))
    assert "Digest" in reason


@pytest.mark.parametrize("algorithm, function", [
    ("sha-256", hashlib.sha256), ("SHA-256", hashlib.sha256), ("Sha-512", hashlib.sha512),
])
async def test_digest_algorithm_names_in_any_case(keys, algorithm, function):
    digest = f"{algorithm}={base64.b64encode(function(BODY).digest()).decode()}"
    base = {"host": "chapter.example", "date": format_datetime(NOW, usegmt=True), "digest": digest}
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", base,
                          ["(request-target)", "host", "date", "digest"], algorithm="rsa-sha256")
    assert (await verify(headers, Lookup(alice_info(keys)))).owner == ALICE
    reason = await expect_401(headers, Lookup(alice_info(keys)), body=BODY + b" ")
    assert "does not match the body" in reason


async def test_post_must_sign_the_digest(keys):
    base = {"host": "chapter.example", "date": format_datetime(NOW, usegmt=True)}
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", base,
                          ["(request-target)", "host", "date"], algorithm="rsa-sha256")
    assert "digest" in await expect_401(headers, Lookup(alice_info(keys)))


async def test_host_must_be_signed(keys):
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    base = {"host": "chapter.example", "date": format_datetime(NOW, usegmt=True), "digest": digest}
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", base,
                          ["(request-target)", "date", "digest"], algorithm="rsa-sha256")
    assert "host" in await expect_401(headers, Lookup(alice_info(keys)))


async def test_signature_by_another_key_than_the_key_id_names_is_refused(keys):
    # Mallory signs with her own key but claims Alice's keyId.
    headers = signed_post(keys, signer="mallory")
    lookup = Lookup(alice_info(keys))
    assert "does not match" in await expect_401(headers, lookup)


async def test_owner_is_the_key_owner_not_the_claimed_actor(keys):
    # Mallory's key, honestly named: the verifier reports Mallory, and the
    # inbox compares that with the activity's actor (Alice) and refuses.
    mallory = "https://evil.example/users/mallory"
    key = load_signing_key(mallory + "#main-key", mallory, keys["mallory"][1])
    headers = sign_request("POST", "https://chapter.example/inbox", key=key, body=BODY, now=NOW)
    lookup = Lookup(PublicKeyInfo(mallory + "#main-key", mallory, keys["mallory"][0]))
    verified = await verify(headers, lookup)
    assert verified.owner == mallory != ALICE


async def test_unknown_key_is_refused_without_a_second_fetch(keys):
    lookup = Lookup(None)
    assert "unknown key" in await expect_401(signed_post(keys), lookup)
    assert lookup.calls == [(ALICE_KEY, False)]


async def test_rotated_key_is_fetched_again_once(keys):
    # We cached Mallory's key under Alice's keyId; Alice has since "rotated" to her real key.
    lookup = Lookup(cached=alice_info(keys, "mallory"), refreshed=alice_info(keys, "alice"))
    verified = await verify(signed_post(keys), lookup)
    assert verified.owner == ALICE
    assert lookup.calls == [(ALICE_KEY, False), (ALICE_KEY, True)]


async def test_hs2019_with_created_and_expires(keys):
    created = int(NOW.timestamp()) - 10
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    base = {"host": "chapter.example", "digest": digest}
    signed = ["(request-target)", "host", "(created)", "(expires)", "digest"]
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", base, signed,
                          created=created, expires=created + 300)
    assert (await verify(headers, Lookup(alice_info(keys)))).owner == ALICE
    # The same request replayed two hours later: (created) is checked although no Date is signed.
    assert "too old" in await expect_401(headers, Lookup(alice_info(keys)), now=NOW + timedelta(hours=2))


async def test_hs2019_without_algorithm_parameter_and_authorization_header(keys):
    created = int(NOW.timestamp())
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    base = {"host": "chapter.example", "digest": digest}
    signed = ["(request-target)", "host", "(created)", "digest"]
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", base, signed,
                          algorithm=None, created=created)
    headers["authorization"] = "Signature " + headers.pop("signature")
    assert (await verify(headers, Lookup(alice_info(keys)))).owner == ALICE


async def test_created_pseudo_header_is_refused_with_rsa_sha256(keys):
    created = int(NOW.timestamp())
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    headers = hand_signed(keys["alice"][1], "POST", "/inbox", {"host": "chapter.example", "digest": digest},
                          ["(request-target)", "host", "(created)", "digest"],
                          algorithm="rsa-sha256", created=created)
    assert "hs2019" in await expect_401(headers, Lookup(alice_info(keys)))


async def test_unsupported_algorithm_is_refused(keys):
    headers = signed_post(keys)
    headers["Signature"] = headers["Signature"].replace('algorithm="rsa-sha256"', 'algorithm="hmac-sha256"')
    assert "unsupported" in await expect_401(headers, Lookup(alice_info(keys)))


async def test_a_bad_rfc9421_signature_is_answered_with_401_so_the_sender_falls_back(keys):
    headers = {
        "host": "chapter.example",
        "content-digest": "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":",
        "signature-input": f'sig1=("@method" "@target-uri" "content-digest");created={int(NOW.timestamp())};'
                           f'keyid="{ALICE_KEY}"',
        "signature": "sig1=:" + base64.b64encode(b"x" * 256).decode() + ":",
    }
    lookup = Lookup(alice_info(keys))
    assert "does not match" in await expect_401(headers, lookup)


@pytest.mark.parametrize("value", [
    "garbage",
    'keyId="https://remote.example/users/alice#main-key"',
    'keyId="https://remote.example/users/alice#main-key",signature="not base64!"',
    'keyId="unterminated,signature="abc',
    'signature="abcd"',
    "sig1=:AAAA:",
    "",
])
async def test_malformed_signature_header_is_401(keys, value):
    headers = {**signed_post(keys), "Signature": value}
    await expect_401(headers, Lookup(alice_info(keys)))


async def test_key_that_is_not_a_valid_pem_is_401_not_500(keys):
    lookup = Lookup(PublicKeyInfo(ALICE_KEY, ALICE, "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"))
    await expect_401(signed_post(keys), lookup)


def test_a_fan_out_shares_the_digest_but_signs_per_inbox(keys):
    # draft-cavage covers (request-target) and host: the signature differs per
    # inbox; the Digest of the one body does not, and is computed once.
    key = load_signing_key(ALICE_KEY, ALICE, keys["alice"][1])
    body = b'{"type":"Create","id":"https://remote.example/a/fan-out"}'
    before = _cached_digest.cache_info()
    first = sign_request("POST", "https://one.example/inbox", key=key, body=body, now=NOW)
    second = sign_request("POST", "https://two.example/users/b/inbox", key=key, body=body, now=NOW)
    after = _cached_digest.cache_info()
    assert first["Digest"] == second["Digest"] == "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert first["Signature"] != second["Signature"]
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
