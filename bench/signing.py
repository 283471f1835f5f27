"""Remote senders for the inbox benchmarks: their keys, their actor documents
(served by ``bench.peers``) and unique signed activities, signed *before* the
timed runs so the load generator only replays bytes.

Signing uses fedchapter's own ``sign_request`` (draft-cavage, Mastodon's
header set), so what the inbox verifies is what real peers send. RSA-2048
signing costs ~1-4 ms here, so the pool is signed on both cores in parallel
while nothing else runs.
"""
from __future__ import annotations

import json
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.loadgen import PreparedRequest
from federation.signatures import SigningKey, sign_request

AS_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@dataclass(frozen=True)
class Sender:
    name: str
    actor_id: str
    key_id: str
    private_pem: str
    public_pem: str

    def document(self) -> dict[str, Any]:
        return {
            "@context": AS_CONTEXT,
            "id": self.actor_id,
            "type": "Person",
            "preferredUsername": self.name,
            "name": f"Bench sender {self.name}",
            "inbox": f"{self.actor_id}/inbox",
            "outbox": f"{self.actor_id}/outbox",
            "publicKey": {"id": self.key_id, "owner": self.actor_id, "publicKeyPem": self.public_pem},
        }


def new_key_pems() -> tuple[str, str]:
    """A fresh RSA-2048 key as (private PKCS#8 PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private_pem, public_pem


def make_senders(actor_host: str, count: int) -> list[Sender]:
    """``count`` actors on ``actor_host`` (host:port), each with its own RSA-2048 key."""
    senders = []
    for number in range(count):
        private_pem, public_pem = new_key_pems()
        name = f"sender{number}"
        actor_id = f"http://{actor_host}/users/{name}"
        senders.append(Sender(name, actor_id, f"{actor_id}#main-key", private_pem, public_pem))
    return senders


def actor_documents(senders: list[Sender]) -> dict[str, dict[str, Any]]:
    """What ``bench.peers`` serves at /users/{name}."""
    return {sender.name: sender.document() for sender in senders}


def note_activity(sender: Sender, audience: str) -> dict[str, Any]:
    """A public Create(Note) addressed to the chapter: a realistic size (~1 kB);
    not a reply to the chapter's objects, so processing stores nothing more
    and queues no relay (the fan-out is measured on its own)."""
    note_id = f"{sender.actor_id}/statuses/{uuid.uuid4().hex}"
    published = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "@context": AS_CONTEXT,
        "id": f"{note_id}/activity",
        "type": "Create",
        "actor": sender.actor_id,
        "published": published,
        "to": [PUBLIC],
        "cc": [audience, f"{sender.actor_id}/followers"],
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": sender.actor_id,
            "published": published,
            "to": [PUBLIC],
            "cc": [audience],
            "content": "<p>Solidarity from the bench: see you at the assembly on Thursday, "
                       "bring leaflets, banners and friends. " + "Organise! " * 40 + "</p>",
            "sensitive": False,
        },
    }


def _sign_batch(args: tuple[str, str, list[tuple[Sender, str]]]) -> list[PreparedRequest]:
    inbox_url, audience, batch = args
    keys: dict[str, SigningKey] = {}
    prepared = []
    for sender, _ in batch:
        key = keys.get(sender.name)
        if key is None:
            private = serialization.load_pem_private_key(sender.private_pem.encode(), password=None)
            assert isinstance(private, rsa.RSAPrivateKey)
            key = keys[sender.name] = SigningKey(sender.key_id, sender.actor_id, private)
        body = json.dumps(note_activity(sender, audience), separators=(",", ":")).encode()
        # Host stays in: the inbox ceiling is sent the same requests on another port.
        headers = sign_request("POST", inbox_url, key=key, body=body)
        prepared.append(PreparedRequest("POST", inbox_url, headers, body))
    return prepared


def signed_activities(inbox_url: str, audience: str, senders: list[Sender], count: int) -> list[PreparedRequest]:
    """``count`` unique signed Create(Note) POSTs to ``inbox_url``, round-robin over the senders."""
    if count <= 0:
        return []
    jobs = [(senders[number % len(senders)], "") for number in range(count)]
    workers = max(1, min(os.cpu_count() or 1, 4))
    size = -(-count // workers)
    batches = [(inbox_url, audience, jobs[start:start + size]) for start in range(0, count, size)]
    if workers == 1:
        return [request for batch in batches for request in _sign_batch(batch)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [request for result in pool.map(_sign_batch, batches) for request in result]
