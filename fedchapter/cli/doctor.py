"""``fedchapter doctor``: is this installation sound? One line per check,
``NAME: ok (detail)`` or ``NAME: FAIL: reason``; exit 1 when any fails.

What it checks, in the order an admin would fix them:

- ``base-url``: the settings' address is one peers can use (https, a public
  host) unless the chapter is a ``--dev`` one;
- ``webfinger``: an HTTP GET of our own WebFinger document through whatever
  answers at the base URL (the reverse proxy in production), as a remote
  server would make it, and that it names our chapter's actor;
- ``clock``: this machine's clock against that answer's ``Date`` (HTTP
  signatures are refused by peers beyond a skew, so NTP matters);
- ``database``: it opens and its schema is the one this version expects
  (doctor never migrates: it reports); a SQLite one belongs to this machine
  (storage/sqlite_owner.py);
- ``keys``: the chapter's and the instance actor's private keys load and
  match the public keys peers verify with;
- ``queues``: the inbox and deliveries are moving (old due rows mean no
  worker runs); failed deliveries are counted.
"""
from __future__ import annotations

import argparse
import asyncio
import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization

from fedchapter.cli.common import add_data_option, settings_for
from fedchapter.clock import utc_now
from fedchapter.settings import Settings, SettingsError, validate_base_url
from storage.engine import engine_for
from storage.migrations import available_migrations
from storage.queue_stats import QueueStatsRepository
from storage.sqlite_owner import OWNER_FILE, other_owner
from storage.repositories import Repositories

WEBFINGER_TIMEOUT_SECONDS = 10.0
# Peers refuse signatures beyond an hour of skew; a minute already means the
# clock is not kept (NTP) and will drift further.
MAX_CLOCK_SKEW = timedelta(seconds=60)
# A queued inbox row or a due delivery this old means no worker is taking them.
STUCK_AFTER = timedelta(minutes=10)


class CheckFailed(Exception):
    """Why a check failed, as one line."""


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    text: str

    def line(self) -> str:
        if self.ok:
            return f"{self.name}: ok" + (f" ({self.text})" if self.text else "")
        return f"{self.name}: FAIL: {self.text}"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("doctor", help="check the address, WebFinger, clock, keys, database and queues")
    add_data_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    outcomes = asyncio.run(diagnose(settings))
    for outcome in outcomes:
        print(outcome.line(), flush=True)
    return 0 if all(outcome.ok for outcome in outcomes) else 1


async def diagnose(settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> list[Outcome]:
    outcomes = [await _check("base-url", lambda: check_base_url(settings))]
    answer: dict[str, Any] = {}
    outcomes.append(await _check("webfinger", lambda: check_webfinger(settings, answer, transport)))
    outcomes.append(await _check("clock", lambda: check_clock(answer.get("date"), answered="date" in answer)))
    database = await _check("database", lambda: open_checked(settings, answer))
    outcomes.append(database)
    repos: Repositories | None = answer.get("repos")
    if repos is None:
        reason = "the database did not open"
        outcomes += [Outcome("keys", False, reason), Outcome("queues", False, reason)]
        return outcomes
    try:
        outcomes.append(await _check("keys", lambda: check_keys(repos)))
        outcomes.append(await _check("queues", lambda: check_queues(repos)))
    finally:
        await repos.database.close()
    return outcomes


async def _check(name: str, run: Callable[[], Awaitable[str]]) -> Outcome:
    try:
        return Outcome(name, True, await run())
    except CheckFailed as failure:
        return Outcome(name, False, str(failure))
    except Exception as error:  # a check that breaks is a failure to report, not a traceback
        return Outcome(name, False, f"{type(error).__name__}: {error}".splitlines()[0])


async def check_base_url(settings: Settings) -> str:
    try:
        validate_base_url(settings.base_url, dev=settings.dev)
    except SettingsError as error:
        raise CheckFailed(str(error)) from None
    host = urlsplit(settings.base_url).hostname or ""
    if settings.dev:
        return f"{settings.base_url}, a --dev chapter: local testing only"
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".test", ".example")):
        raise CheckFailed(f"{host} is not a public name; peers cannot reach it")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return settings.base_url
    if not address.is_global:
        raise CheckFailed(f"{host} is not a public address; peers cannot reach it")
    return f"{settings.base_url} (an address, not a name: certificates and handles want a domain)"


async def check_webfinger(
    settings: Settings, answer: dict[str, Any], transport: httpx.AsyncBaseTransport | None
) -> str:
    resource = f"acct:{settings.handle}@{settings.host}"
    url = f"{settings.base_url}/.well-known/webfinger"
    actor = f"{settings.base_url}/actors/{settings.handle}"
    try:
        async with httpx.AsyncClient(transport=transport, timeout=WEBFINGER_TIMEOUT_SECONDS) as client:
            response = await client.get(url, params={"resource": resource},
                                        headers={"Accept": "application/jrd+json"})
    except httpx.TimeoutException:
        raise CheckFailed(f"{url} did not answer within {WEBFINGER_TIMEOUT_SECONDS:g}s") from None
    except httpx.ConnectError as error:
        raise CheckFailed(f"nothing answers at {settings.base_url} ({error or 'connection refused'}):"
                          " is the server (and its proxy) running?") from None
    except httpx.HTTPError as error:
        raise CheckFailed(f"{url}: {type(error).__name__}: {error}") from None
    answer["date"] = response.headers.get("date")
    if response.status_code != 200:
        raise CheckFailed(f"{url}?resource={resource} answered {response.status_code}, not 200")
    try:
        document = response.json()
    except ValueError:
        raise CheckFailed(f"{url} answered 200 but not JSON: is the proxy sending it to fedchapter?") from None
    selves = [link.get("href") for link in document.get("links", []) if link.get("rel") == "self"]
    if actor not in selves:
        raise CheckFailed(f"the answer does not link {actor} (it links {selves or 'nothing'})")
    return f"{resource} -> {actor}"


async def check_clock(date_header: str | None, *, answered: bool = True) -> str:
    if not date_header:
        raise CheckFailed("no Date header to compare with ("
                          + ("the answer had none)" if answered else "WebFinger did not answer)"))
    try:
        theirs = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        raise CheckFailed(f"cannot read the Date header {date_header!r}") from None
    # The Date header has whole seconds: allow for that and the round trip.
    skew = utc_now() - theirs
    if abs(skew) > MAX_CLOCK_SKEW:
        raise CheckFailed(f"this machine's clock is {skew.total_seconds():+.0f}s off the server's Date"
                          " header: keep time with NTP (timedatectl set-ntp true)")
    return f"within {MAX_CLOCK_SKEW.total_seconds():.0f}s of the server's Date header"


async def open_checked(settings: Settings, answer: dict[str, Any]) -> str:
    """Open without migrating: doctor reports a schema that is behind or ahead, it never changes it."""
    where = _shown(settings)
    if not settings.database_url and not settings.database_path.is_file():
        raise CheckFailed(f"no database at {where}")
    elsewhere = None if settings.database_url else other_owner(settings.data_dir)
    if elsewhere is not None:
        raise CheckFailed(f"{where} belongs to machine {elsewhere.hostname!r} ({OWNER_FILE}), not this one;"
                          " serve and worker refuse to start here (docs/databases.md)")
    database = engine_for(settings.database_target)
    await database.connect()
    try:
        rows = await database.fetchall("SELECT version FROM schema_version")
    except Exception as error:
        await database.close()
        raise CheckFailed(f"{where} has no schema_version table ({error})") from None
    applied = {int(row[0]) for row in rows}
    expected = {migration.version for migration in available_migrations()}
    if applied - expected:
        await database.close()
        raise CheckFailed(f"the schema is newer than this fedchapter (versions {sorted(applied - expected)});"
                          " upgrade fedchapter")
    answer["repos"] = Repositories.for_database(database)
    if expected - applied:
        raise CheckFailed(f"migrations {sorted(expected - applied)} are not applied yet;"
                          " starting the server applies them")
    return f"{where}, schema version {max(applied)}"


def _shown(settings: Settings) -> str:
    """Where the database is, without a password."""
    if not settings.database_url:
        return str(settings.database_path)
    parts = urlsplit(settings.database_url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


async def check_keys(repos: Repositories) -> str:
    chapter = await repos.chapter.get()
    if chapter is None:
        raise CheckFailed("the database has no chapter; was 'fedchapter init' run?")
    problems = []
    for label, actor_id in (("chapter", chapter.actor_id), ("instance actor", chapter.instance_actor_id)):
        actor = await repos.actors.by_id(actor_id)
        if actor is None:
            problems.append(f"the {label} is missing")
            continue
        problem = key_problem(actor.private_key_pem, actor.public_key_pem)
        if problem:
            problems.append(f"the {label}'s {problem}")
    if problems:
        raise CheckFailed("; ".join(problems))
    return "the chapter's and the instance actor's private keys match their public keys"


def key_problem(private_pem: str, public_pem: str) -> str | None:
    try:
        private = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        return "private key does not load"
    try:
        public = serialization.load_pem_public_key(public_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return "public key does not load"
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if private.public_key().public_bytes(*spki) != public.public_bytes(*spki):
        return "private key does not match its public key (peers could not verify what it signs)"
    return None


async def check_queues(repos: Repositories, now: datetime | None = None) -> str:
    now = now or utc_now()
    snapshot = await QueueStatsRepository(repos.database).snapshot()
    stuck = []
    if snapshot.inbox_oldest is not None and now - snapshot.inbox_oldest > STUCK_AFTER:
        stuck.append(f"{snapshot.inbox_pending} inbox activities waiting, the oldest for {_age(now - snapshot.inbox_oldest)}")
    due = await repos.deliveries.next_due_at()
    if due is not None and now - due > STUCK_AFTER:
        stuck.append(f"deliveries due for {_age(now - due)} are not being sent")
    failed = snapshot.deliveries_by_state.get("failed", 0)
    if stuck:
        raise CheckFailed("; ".join(stuck) + ": is a worker running ('serve' without --no-workers, or 'worker')?")
    oldest = "" if snapshot.deliveries_oldest is None else f", the oldest {_age(now - snapshot.deliveries_oldest)} old"
    return (f"inbox {snapshot.inbox_pending} pending; deliveries {snapshot.deliveries_pending} pending{oldest},"
            f" {failed} failed; {snapshot.hosts_unavailable} servers unavailable")


def _age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds >= 86400:
        return f"{seconds // 86400}d {seconds % 86400 // 3600}h"
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60}m"
    return f"{seconds // 60}m {seconds % 60}s"
