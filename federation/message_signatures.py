"""RFC 9421 HTTP Message Signatures, beside draft-cavage (``federation.signatures``).

Mastodon verifies these since 4.5 and signs ``("@method" "@target-uri"
"content-digest");created;keyid`` (app/lib/signed_request.rb, via linzer);
Fedify signs with them first and falls back to draft-cavage on a 4xx.
Structured fields are parsed and serialised with ``http-sf`` (already a
dependency of bovine); the signature base (RFC 9421 section 2.5) is small
enough to build here, which also lets us take the scheme of ``@target-uri``
from our settings: behind a reverse proxy the app cannot see it.

Verification rules, as Mastodon's: ``keyid`` and ``created`` are required;
the signature must cover ``@method`` and the target (``@target-uri``, or
``@authority`` with ``@path``); a POST must cover ``content-digest``, which
must match the body; ``created`` lies within ``max_skew`` of now. Keys are
RSA (``rsa-v1_5-sha256``) or Ed25519 (``ed25519``); ``alg``, when given, must
agree with the key. Only the first signature label is checked, so a request
cannot make us fetch many keys.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

import http_sf
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from federation.signatures import (
    KeyLookup, SignatureError, SigningKey, VerifiedSignature, load_public_key, normal_host, signature_matches,
)

RSA_ALGORITHM = "rsa-v1_5-sha256"
ED25519_ALGORITHM = "ed25519"
_CONTENT_DIGESTS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


def _reject(reason: str) -> SignatureError:
    return SignatureError(401, reason)


# Signing --------------------------------------------------------------------


def content_digest(body: bytes) -> str:
    return http_sf.ser({"sha-256": hashlib.sha256(body).digest()})


def _serialised_parameters(label: str, components: list[str], parameters: dict[str, Any]) -> str:
    """The ``@signature-params`` value: the Signature-Input member without its label."""
    member = ([(name, {}) for name in components], parameters)
    return http_sf.ser({label: member})[len(label) + 1:]


def sign_request_rfc9421(
    method: str,
    url: str,
    *,
    key: SigningKey,
    body: bytes | None = None,
    now: datetime | None = None,
    extra_headers: Mapping[str, str] | None = None,
    label: str = "sig1",
) -> dict[str, str]:
    """Headers for the request: Host, Date, Content-Digest (with a body), Signature-Input, Signature.

    Covers what Mastodon requires: ``@method``, ``@target-uri`` and, with a
    body, ``content-digest``; ``created`` and ``keyid`` as parameters."""
    headers: dict[str, str] = dict(extra_headers or {})
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    headers["Host"] = urlsplit(url).netloc
    headers["Date"] = format_datetime(moment, usegmt=True)
    components = ["@method", "@target-uri"]
    lines = [f'"@method": {method.upper()}', f'"@target-uri": {url}']
    if body is not None:
        headers["Content-Digest"] = content_digest(body)
        components.append("content-digest")
        lines.append(f'"content-digest": {headers["Content-Digest"]}')
    parameters: dict[str, Any] = {"created": int(moment.timestamp()), "keyid": key.key_id, "alg": RSA_ALGORITHM}
    signature_params = _serialised_parameters(label, components, parameters)
    lines.append(f'"@signature-params": {signature_params}')
    signature = key.private_key.sign("\n".join(lines).encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature-Input"] = f"{label}={signature_params}"
    headers["Signature"] = http_sf.ser({label: signature})
    return headers


# Verification ---------------------------------------------------------------


def _parse_dictionary(value: str, name: str) -> dict[str, Any]:
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary")
    except (http_sf.StructuredFieldError, UnicodeEncodeError, ValueError):
        raise _reject(f"{name} is not a valid structured field") from None
    return dict(parsed)


def _first_signature(headers: dict[str, str]) -> tuple[str, list[str], dict[str, Any], bytes]:
    inputs = _parse_dictionary(headers.get("signature-input", ""), "Signature-Input")
    signatures = _parse_dictionary(headers.get("signature", ""), "Signature")
    for label, member in inputs.items():
        value, parameters = member
        if not isinstance(value, list) or label not in signatures:
            continue
        signature = signatures[label][0]
        if not isinstance(signature, bytes):
            raise _reject(f"Signature {label} is not a byte sequence")
        components: list[str] = []
        for item, item_parameters in value:
            if not isinstance(item, str) or item_parameters:
                raise _reject(f"unsupported covered component {item!r} in {label}")
            components.append(item)
        if len(set(components)) != len(components):
            raise _reject(f"a component is covered twice in {label}")
        return label, components, dict(parameters), signature
    raise _reject("no signature in Signature-Input has a matching Signature")


def _check_created(parameters: dict[str, Any], now: datetime, max_skew: timedelta) -> None:
    created, expires = parameters.get("created"), parameters.get("expires")
    if not isinstance(created, int) or isinstance(created, bool):
        raise _reject("the signature has no created parameter")
    try:
        moment = datetime.fromtimestamp(created, tz=timezone.utc)
        ends = None if expires is None else datetime.fromtimestamp(int(expires), tz=timezone.utc)
    except (ValueError, OverflowError, OSError, TypeError):
        raise _reject("created or expires is out of range") from None
    if moment > now + max_skew:
        raise _reject("signed request date is in the future")
    if moment < now - max_skew:
        raise _reject("signed request date is too old")
    if ends is not None and ends + max_skew < now:
        raise _reject("signature has expired")


def _check_content_digest(headers: dict[str, str], body: bytes | None) -> None:
    value = headers.get("content-digest")
    if not value:
        raise _reject("Content-Digest header is missing")
    checked = False
    for algorithm, (digest, _) in _parse_dictionary(value, "Content-Digest").items():
        hash_function = _CONTENT_DIGESTS.get(algorithm)
        if hash_function is None:
            continue
        if digest != hash_function(body or b"").digest():
            raise _reject(f"Content-Digest {algorithm} does not match the body")
        checked = True
    if not checked:
        raise _reject("Content-Digest offers neither sha-256 nor sha-512")


def _component_value(name: str, method: str, target: str, scheme: str, headers: dict[str, str]) -> str:
    path, _, query = target.partition("?")
    authority = normal_host(headers.get("host", ""))
    derived = {
        "@method": method.upper(),
        "@target-uri": f"{scheme}://{authority}{target}",
        "@authority": authority,
        "@scheme": scheme,
        "@request-target": target,
        "@path": path or "/",
        "@query": f"?{query}",
    }
    if name in derived:
        return derived[name]
    if name.startswith("@"):
        raise _reject(f"unsupported derived component {name}")
    if name not in headers:
        raise _reject(f"signed header {name} is missing from the request")
    return headers[name].strip()


def _signature_base(
    label: str, components: list[str], parameters: dict[str, Any], method: str, target: str, scheme: str,
    headers: dict[str, str],
) -> bytes:
    lines = [f'"{name}": {_component_value(name, method, target, scheme, headers)}' for name in components]
    lines.append(f'"@signature-params": {_serialised_parameters(label, components, parameters)}')
    try:
        return "\n".join(lines).encode("utf-8")
    except UnicodeEncodeError:
        raise _reject("signed headers are not valid text") from None


def _algorithm_fits(algorithm: Any, public_key_pem: str) -> bool:
    if algorithm is None:
        return True
    key = load_public_key(public_key_pem)
    return (algorithm == RSA_ALGORITHM and isinstance(key, rsa.RSAPublicKey)) or (
        algorithm == ED25519_ALGORITHM and isinstance(key, ed25519.Ed25519PublicKey))


async def verify_rfc9421(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes | None,
    lookup: KeyLookup,
    *,
    now: datetime,
    max_skew: timedelta,
    scheme: str,
) -> VerifiedSignature:
    """Check an RFC 9421 signature; ``headers`` have lowercase names."""
    label, components, parameters, signature = _first_signature(headers)
    key_id = parameters.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise _reject("the signature has no keyid parameter")
    algorithm = parameters.get("alg")
    if algorithm is not None and algorithm not in (RSA_ALGORITHM, ED25519_ALGORITHM):
        raise _reject(f"unsupported signature algorithm {algorithm}; use {RSA_ALGORITHM} or {ED25519_ALGORITHM}")
    if "@method" not in components:
        raise _reject("the signature must cover @method")
    if "@target-uri" not in components and not {"@authority", "@path"} <= set(components):
        raise _reject("the signature must cover @target-uri, or @authority and @path")
    if method.upper() == "POST" and "content-digest" not in components:
        raise _reject("a POST signature must cover content-digest")
    _check_created(parameters, now, max_skew)
    if "content-digest" in components:
        _check_content_digest(headers, body)
    message = _signature_base(label, components, parameters, method, target, scheme, headers)

    key = await lookup(key_id, False)
    if key is None:
        raise _reject(f"unknown key {key_id}")
    if _algorithm_fits(algorithm, key.public_key_pem) and signature_matches(key.public_key_pem, signature, message):
        return VerifiedSignature(key_id=key_id, owner=key.owner)
    refreshed = await lookup(key_id, True)  # the key may have been rotated
    if (
        refreshed is not None
        and refreshed.public_key_pem != key.public_key_pem
        and _algorithm_fits(algorithm, refreshed.public_key_pem)
        and signature_matches(refreshed.public_key_pem, signature, message)
    ):
        return VerifiedSignature(key_id=key_id, owner=refreshed.owner)
    raise _reject("signature does not match")
