"""Proposed fixes, applied as monkeypatches so their gain can be measured
with the real harness before anyone edits the code they touch:

    python -m bench.run --patch no-bovine,host-fastpath,lease-throttle,switch-interval

runs ``fedchapter serve`` through ``python -m bench.patches NAMES -- ARGS``.
Each patch is the smallest stand-in for a real change described in
docs/performance.md; none of them is meant to stay here once applied (the
applied ones are gone: see git history and docs/performance.md).
"""
from __future__ import annotations

import base64
import hashlib
import sys
import time
import types
from collections.abc import Callable
from typing import Any


def no_bovine() -> None:
    """federation.signatures uses three small helpers from bovine, and importing
    bovine loads pydantic models, pyld, BeautifulSoup and its CSS parser (~12 MB
    and a good part of the start). Stand-ins with the same behaviour: draft-cavage
    signing in a dozen lines."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    class CryptographicSecret:
        def __init__(self, key_id: str, private_key: Any) -> None:
            self.key_id = key_id
            self.private_key = private_key

    class _Signature:
        def __init__(self, fields: list[tuple[str, str]]) -> None:
            self.fields = fields

        def with_field(self, name: str, value: str) -> _Signature:
            return _Signature([*self.fields, (name, value)])

        def sign_for_http_draft(self, secret: CryptographicSecret) -> str:
            message = "\n".join(f"{name}: {value}" for name, value in self.fields).encode()
            signature = secret.private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())
            names = " ".join(name for name, _ in self.fields)
            return (f'keyId="{secret.key_id}",algorithm="rsa-sha256",headers="{names}",'
                    f'signature="{base64.b64encode(signature).decode()}"')

    def build_signature(host: str, method: str, target: str) -> _Signature:
        return _Signature([("(request-target)", f"{method} {target}"), ("host", host)])

    def content_digest_sha256(content: bytes | str, prefix: str = "sha-256") -> str:
        data = content.encode() if isinstance(content, str) else content
        return f"{prefix}={base64.b64encode(hashlib.sha256(data).digest()).decode()}"

    modules = {
        "bovine": {}, "bovine.crypto": {},
        "bovine.crypto.helper": {"content_digest_sha256": content_digest_sha256},
        "bovine.crypto.http_signature": {"build_signature": build_signature},
        "bovine.crypto.types": {"CryptographicSecret": CryptographicSecret},
    }
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module


def host_fastpath() -> None:
    """After each successful delivery the worker runs record_success: a
    transaction with a read, an upsert and a delete (five trips to the database
    thread) even for a host that never failed. Nothing needs to be forgotten
    then (and last_success_at is read nowhere), so a read decides."""
    from storage import delivery_hosts

    original = delivery_hosts.DeliveryHostRepository.record_success

    async def record_success(self: delivery_hosts.DeliveryHostRepository, host: str, now: Any) -> bool:
        state = await self.get(host)
        if state is None or (state.available and state.consecutive_failures == 0 and state.paused_until is None):
            return False
        return await original(self, host, now)

    delivery_hosts.DeliveryHostRepository.record_success = record_success  # type: ignore[method-assign]


def switch_interval() -> None:
    """Every database call hands work to aiosqlite's thread and back. On one
    busy core the thread waiting for the GIL gets it only when the holder
    blocks or after the switch interval (5 ms by default), so a request that
    makes ten calls can spend tens of ms queued for the GIL. A shorter interval
    hands it over sooner. Measured: no gain (kept to show it was tried; see
    docs/performance.md): fewer hand-offs help, faster ones do not."""
    sys.setswitchinterval(0.0005)


_ZONE_FORM = """{# "Show times in my zone": a GET form, no script. #}
<form method="get" class="zone-form inline">
  <label for="tz">{{ _('Show times also in') }}</label>
  <select id="tz" name="tz">
    <option value="">{{ _('only the chapter’s zone') }}</option>
    <optgroup label="{{ _('Common') }}">{{ zone_options(reader_tz, True) }}</optgroup>
    <optgroup label="{{ _('All zones') }}">{{ zone_options(reader_tz, False) }}</optgroup>
  </select>
  <button type="submit">{{ _('Show') }}</button>
</form>
"""


def lease_throttle() -> None:
    """The delivery worker scans the queue again each time a request finishes,
    and every scan first requeues expired leases (an UPDATE in its own
    transaction). Leases last five minutes: looking for expired ones once a
    minute (as the worker already does for expiry) is plenty."""
    from storage import deliveries

    original = deliveries.DeliveryRepository.release_stale_leases
    last: dict[int, float] = {}

    async def release_stale_leases(self: deliveries.DeliveryRepository, now: Any) -> int:
        moment = time.monotonic()
        if moment - last.get(id(self), -1e9) < 60.0:
            return 0
        last[id(self)] = moment
        return await original(self, now)

    deliveries.DeliveryRepository.release_stale_leases = release_stale_leases  # type: ignore[method-assign]


PATCHES: dict[str, Callable[[], None]] = {
    "lease-throttle": lease_throttle,
    "switch-interval": switch_interval,
    "host-fastpath": host_fastpath,
    "no-bovine": no_bovine,
}


def apply(names: list[str]) -> None:
    # It must come before anything imports what it replaces.
    first = ("no-bovine",)
    for name in sorted(names, key=lambda n: n not in first):
        PATCHES[name]()


def main() -> None:
    separator = sys.argv.index("--")
    names = [name for name in sys.argv[1:separator] for name in name.split(",") if name]
    apply(names)
    from fedchapter.cli import main as fedchapter_main

    fedchapter_main(sys.argv[separator + 1:])


if __name__ == "__main__":
    main()
