"""Proposed fixes, applied as monkeypatches so their gain can be measured
with the real harness before anyone edits the code they touch:

    python -m bench.run --patch no-bovine,constant-dummy-hash,single-statement,one-hop-reads,\
        inbox-store,backlog-cache,blocks-cache,key-cache,ics-cache,zone-options,host-fastpath,lease-throttle

runs ``fedchapter serve`` through ``python -m bench.patches NAMES -- ARGS``.
Each patch is the smallest stand-in for a real change described in
docs/performance.md; none of them is meant to stay here once applied.
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


def single_statement() -> None:
    """storage.database.Database.execute wraps every single statement in
    BEGIN IMMEDIATE / statement / COMMIT: three trips to aiosqlite's thread,
    each a GIL hand-off. Outside a transaction, SQLite's autocommit makes one
    statement atomic on its own, so one trip (still under the write lock)."""
    from storage import database

    original = database.Database.execute

    async def execute(self: database.Database, sql: str, params: Any = ()) -> Any:
        if database._holding_write_lock.get():
            return await original(self, sql, params)
        async with self._write_lock:
            cursor = await self.writer.execute(sql, params)
            await cursor.close()
            return cursor

    database.Database.execute = execute  # type: ignore[method-assign]


def backlog_cache() -> None:
    """The inbox counts its unprocessed rows (COUNT(*) over the queue, growing
    with it) on every POST to decide on 503. A count at most a second old is
    as good a bound."""
    from storage import inbox

    original = inbox.InboxRepository.backlog
    cache: dict[int, tuple[float, int]] = {}

    async def backlog(self: inbox.InboxRepository) -> int:
        now = time.monotonic()
        hit = cache.get(id(self))
        if hit is not None and now - hit[0] < 1.0:
            return hit[1]
        value = await original(self)
        cache[id(self)] = (now, value)
        return value

    inbox.InboxRepository.backlog = backlog  # type: ignore[method-assign]


def ics_cache() -> None:
    """/calendar.ics renders every event through icalendar (and computes the
    VTIMEZONE transitions) on every request. Keyed on what the feed is made of
    (each event's id and updated_at, the calendar's name), the bytes can be
    reused until an event changes."""
    from fedchapter.events import ical
    from web.routes import feeds

    original: Callable[..., bytes] = ical.calendar_for
    cache: dict[tuple[Any, ...], bytes] = {}

    def calendar_for(events: Any, **kwargs: Any) -> bytes:
        chosen = list(events)
        key = (tuple((e.id, e.updated_at) for e in chosen), kwargs.get("name"), kwargs.get("timezone"),
               kwargs.get("description"), tuple(kwargs["url_for"](e) for e in chosen))
        body = cache.get(key)
        if body is None:
            if len(cache) > 64:
                cache.clear()
            body = cache[key] = original(chosen, **kwargs)
        return body

    ical.calendar_for = calendar_for
    feeds.calendar_for = calendar_for


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


def blocks_cache() -> None:
    """Every inbox POST asks the database whether the actor and its domain are
    blocked (up to three queries), and every delivery asks about the domain.
    The block list is tiny: kept in memory it costs nothing. The real fix
    reloads it when this process changes it and when PRAGMA data_version says
    another process did; this stand-in keeps answers for one second."""
    from storage import blocks

    for name in ("is_blocked", "is_domain_blocked"):
        original = getattr(blocks.BlockRepository, name)
        cache: dict[str, tuple[float, bool]] = {}

        async def cached(self: blocks.BlockRepository, value: str, _original: Any = original,
                         _cache: dict[str, tuple[float, bool]] = cache) -> bool:
            now = time.monotonic()
            hit = _cache.get(value)
            if hit is not None and now - hit[0] < 1.0:
                return hit[1]
            if len(_cache) > 10_000:
                _cache.clear()
            answer = await _original(self, value)
            _cache[value] = (now, answer)
            return bool(answer)

        setattr(blocks.BlockRepository, name, cached)


def switch_interval() -> None:
    """Every database call hands work to aiosqlite's thread and back. On one
    busy core the thread waiting for the GIL gets it only when the holder
    blocks or after the switch interval (5 ms by default), so a request that
    makes ten calls can spend tens of ms queued for the GIL. A shorter interval
    hands it over sooner. Measured: no gain (kept to show it was tried; see
    docs/performance.md): fewer hand-offs help, faster ones do not."""
    sys.setswitchinterval(0.0005)


def constant_dummy_hash() -> None:
    """fedchapter.services.accounts computes an argon2 hash at import (to keep
    failed logins of unknown users as slow as others): 64 MiB and three passes
    on every start. A constant hash string does the same job."""
    from fedchapter import passwords

    real = passwords.hash_password
    passwords.hash_password = lambda _: (  # type: ignore[assignment]
        "$argon2id$v=19$m=65536,t=3,p=4$mnovOK2rKimm9D3rWyGTEA$z19ZNd8KN/l2q4t69kxXrsE8Zv0R49c4kgB05FM/Y+s")
    try:
        from fedchapter.services import accounts
    finally:
        passwords.hash_password = real
    accounts.hash_password = real  # type: ignore[attr-defined]


def inbox_store() -> None:
    """InboxRepository.store runs BEGIN IMMEDIATE, INSERT OR IGNORE, (UPDATE),
    COMMIT: three or four trips. One upsert with RETURNING says as much in one
    trip (aiosqlite's execute_fetchall), still under the write lock."""
    import json as _json

    from fedchapter.clock import to_iso
    from storage import database, inbox

    async def store(self: inbox.InboxRepository, activity: dict[str, Any], *, activity_id: str, actor_id: str,
                    type: str, local_actor_id: int | None, now: Any) -> bool:
        params = (activity_id, actor_id, type, local_actor_id,
                  _json.dumps(activity, ensure_ascii=False, separators=(",", ":")), to_iso(now))
        sql = ("INSERT INTO inbox (activity_id, actor_id, type, local_actor_id, payload, received_at)"
               " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET redelivered = redelivered + 1"
               " RETURNING redelivered")
        db = self.database
        if database._holding_write_lock.get():
            rows = await db.writer.execute_fetchall(sql, params)
        else:
            async with db._write_lock:
                rows = await db.writer.execute_fetchall(sql, params)
        return bool(rows) and list(rows)[0][0] == 0

    inbox.InboxRepository.store = store  # type: ignore[method-assign]


def key_cache() -> None:
    """Every signed POST looks its key up in remote_actors (one trip). The
    resolver may keep the few hundred keys it has seen in memory for a minute;
    a failed verification refetches anyway."""
    from storage import remote_actors

    original = remote_actors.RemoteActorRepository.get_by_key_id
    cache: dict[str, tuple[float, Any]] = {}

    async def get_by_key_id(self: remote_actors.RemoteActorRepository, key_id: str) -> Any:
        now = time.monotonic()
        hit = cache.get(key_id)
        if hit is not None and now - hit[0] < 60.0:
            return hit[1]
        actor = await original(self, key_id)
        if actor is not None:
            if len(cache) > 4096:
                cache.clear()
            cache[key_id] = (now, actor)
        return actor

    original_save = remote_actors.RemoteActorRepository.save

    async def save(self: remote_actors.RemoteActorRepository, actor: Any, document: Any = None) -> None:
        await original_save(self, actor, document)
        cache.pop(actor.public_key_id, None)  # a refetched (rotated) key is used at once

    remote_actors.RemoteActorRepository.get_by_key_id = get_by_key_id  # type: ignore[method-assign]
    remote_actors.RemoteActorRepository.save = save  # type: ignore[method-assign]


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


def zone_options() -> None:
    """Each event page (and the event lists) renders a <select> of every IANA
    zone (~600 <option>s, each escaped, with a linear ``not in`` over the
    common ones): two thirds of the event page's CPU. The options depend only
    on the selected zone, so they can be rendered once per zone and reused."""
    import functools

    import jinja2
    from markupsafe import Markup, escape

    from web import app, templating
    from web.event_views import COMMON_ZONES, all_zones

    @functools.lru_cache(maxsize=128)
    def options(selected: str, common: bool) -> Markup:
        names = COMMON_ZONES if common else [z for z in all_zones() if z not in set(COMMON_ZONES)]
        return Markup("".join(
            f'<option value="{escape(z)}"{" selected" if z == selected else ""}>{escape(z)}</option>' for z in names))

    original = templating.build_environment

    def build_environment() -> jinja2.Environment:
        environment = original()
        environment.loader = jinja2.ChoiceLoader([
            jinja2.DictLoader({"events/_zone_form.html": _ZONE_FORM}), environment.loader,  # type: ignore[list-item]
        ])
        environment.globals["zone_options"] = options
        return environment

    templating.build_environment = build_environment
    app.build_environment = build_environment  # type: ignore[attr-defined]


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


def one_hop_reads() -> None:
    """Database.fetchone/fetchall go ``async with connection.execute(...) as
    cursor: await cursor.fetchone()``: three trips to aiosqlite's thread per
    query (execute, fetch, close), each a GIL hand-off and a wake-up of the
    event loop. aiosqlite's ``execute_fetchall`` does all three in one trip."""
    from storage import database

    async def fetchall(self: database.Database, sql: str, params: Any = ()) -> list[Any]:
        return list(await self._connection_for_read().execute_fetchall(sql, params))

    async def fetchone(self: database.Database, sql: str, params: Any = ()) -> Any:
        rows = await self._connection_for_read().execute_fetchall(sql, params)
        return next(iter(rows), None)

    database.Database.fetchall = fetchall  # type: ignore[method-assign]
    database.Database.fetchone = fetchone  # type: ignore[method-assign]


PATCHES: dict[str, Callable[[], None]] = {
    "one-hop-reads": one_hop_reads,
    "lease-throttle": lease_throttle,
    "zone-options": zone_options,
    "inbox-store": inbox_store,
    "key-cache": key_cache,
    "constant-dummy-hash": constant_dummy_hash,
    "switch-interval": switch_interval,
    "host-fastpath": host_fastpath,
    "blocks-cache": blocks_cache,
    "no-bovine": no_bovine,
    "single-statement": single_statement,
    "backlog-cache": backlog_cache,
    "ics-cache": ics_cache,
}


def apply(names: list[str]) -> None:
    # These two must come before anything imports what they replace.
    first = ("no-bovine", "constant-dummy-hash")
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
