"""Per-server delivery state: available or not (decided by the distinct days on
which it failed, never by a count of attempts), a short pause after a burst of
failures, and when it last answered."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fedchapter.clock import from_iso, to_iso
from storage.database import Database
from storage.engine import page_neutral_writes


@dataclass(frozen=True)
class HostState:
    host: str
    available: bool
    paused_until: datetime | None
    consecutive_failures: int
    failure_days: int
    last_success_at: datetime | None
    last_failure_at: datetime | None


# The host answered (params: host, when); one statement for one host or a batch.
_HOST_ANSWERED = (
    "INSERT INTO delivery_hosts (host, available, last_success_at) VALUES (?, 1, ?)"
    " ON CONFLICT (host) DO UPDATE SET available = 1, paused_until = NULL,"
    " consecutive_failures = 0, last_success_at = excluded.last_success_at"
)
# The host answered an activity of this type (params: host, type, when).
_TYPE_ANSWERED = (
    "INSERT INTO delivery_host_types (host, activity_type, last_success_at) VALUES (?, ?, ?)"
    " ON CONFLICT (host, activity_type) DO UPDATE SET last_success_at = excluded.last_success_at"
)


def _maybe(value: str | None) -> datetime | None:
    return None if value is None else from_iso(value)


# Queue bookkeeping: storing, claiming and finishing rows changes no page.
@page_neutral_writes
class DeliveryHostRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def get(self, host: str) -> HostState | None:
        row = await self.database.fetchone(
            "SELECT h.*, (SELECT COUNT(*) FROM delivery_host_failure_days f WHERE f.host = h.host)"
            " AS failure_days FROM delivery_hosts h WHERE h.host = ?",
            (host,),
        )
        if row is None:
            return None
        return HostState(
            host=row["host"], available=bool(row["available"]), paused_until=_maybe(row["paused_until"]),
            consecutive_failures=row["consecutive_failures"], failure_days=row["failure_days"],
            last_success_at=_maybe(row["last_success_at"]), last_failure_at=_maybe(row["last_failure_at"]),
        )

    async def all(self) -> list[HostState]:
        rows = await self.database.fetchall("SELECT host FROM delivery_hosts ORDER BY host")
        states = [await self.get(row[0]) for row in rows]
        return [state for state in states if state is not None]

    async def record_success(self, host: str, now: datetime) -> bool:
        """The host answered: forget its failures. True when it had been failing."""
        async with self.database.transaction():
            before = await self.get(host)
            await self.database.execute(
                _HOST_ANSWERED,
                (host, to_iso(now)),
            )
            await self.database.execute("DELETE FROM delivery_host_failure_days WHERE host = ?", (host,))
        return before is not None and (not before.available or before.consecutive_failures > 0)

    async def record_successes(self, successes: Iterable[tuple[str, str]], now: datetime) -> set[str]:
        """Several deliveries answered, as ``(host, activity type)``: what
        :meth:`record_success` and :meth:`record_type_success` do for each, in
        one transaction. Returns the hosts that had been failing."""
        pairs = sorted(set(successes))
        hosts = sorted({host for host, _ in pairs})
        if not hosts:
            return set()
        stamp = to_iso(now)
        marks = ",".join("?" * len(hosts))
        async with self.database.transaction():
            failing = await self.database.fetchall(
                f"SELECT host FROM delivery_hosts WHERE host IN ({marks})"
                " AND (available = 0 OR consecutive_failures > 0)",
                hosts,
            )
            await self.database.executemany(
                _HOST_ANSWERED,
                [(host, stamp) for host in hosts],
            )
            await self.database.execute(f"DELETE FROM delivery_host_failure_days WHERE host IN ({marks})", hosts)
            await self.database.executemany(
                _TYPE_ANSWERED,
                [(host, activity_type, stamp) for host, activity_type in pairs],
            )
        return {row[0] for row in failing}

    async def record_failure(
        self,
        host: str,
        now: datetime,
        *,
        unavailable_after_days: int,
        pause_after_failures: int,
        pause: timedelta,
    ) -> HostState:
        async with self.database.transaction():
            await self.database.execute(
                "INSERT INTO delivery_hosts (host, consecutive_failures, last_failure_at) VALUES (?, 1, ?)"
                " ON CONFLICT (host) DO UPDATE SET consecutive_failures = delivery_hosts.consecutive_failures + 1,"
                " last_failure_at = excluded.last_failure_at",
                (host, to_iso(now)),
            )
            await self.database.execute(
                "INSERT OR IGNORE INTO delivery_host_failure_days (host, day) VALUES (?, ?)",
                (host, now.date().isoformat()),
            )
            state = await self.get(host)
            assert state is not None
            if state.failure_days >= unavailable_after_days:
                await self.database.execute("UPDATE delivery_hosts SET available = 0 WHERE host = ?", (host,))
            if state.consecutive_failures % pause_after_failures == 0:
                await self.database.execute(
                    "UPDATE delivery_hosts SET paused_until = ? WHERE host = ?", (to_iso(now + pause), host)
                )
            updated = await self.get(host)
        assert updated is not None
        return updated

    async def record_type_success(self, host: str, activity_type: str, now: datetime) -> None:
        await self.database.execute(
            _TYPE_ANSWERED,
            (host, activity_type, to_iso(now)),
        )

    async def answers_other_types(self, host: str, activity_type: str, since: datetime) -> bool:
        """Has the host answered another activity type after ``since`` and after
        it last answered this one? Then its silence is about this type only."""
        own = await self.database.fetchvalue(
            "SELECT last_success_at FROM delivery_host_types WHERE host = ? AND activity_type = ?",
            (host, activity_type),
        )
        after = max(to_iso(since), own or "")
        found = await self.database.fetchvalue(
            "SELECT 1 FROM delivery_host_types WHERE host = ? AND activity_type <> ? AND last_success_at > ?"
            " LIMIT 1",
            (host, activity_type, after),
        )
        return found is not None

    async def signature_scheme(self, host: str) -> str | None:
        """The scheme the host last accepted ('cavage' or 'rfc9421'), None if unknown."""
        value = await self.database.fetchvalue(
            "SELECT signature_scheme FROM delivery_hosts WHERE host = ?", (host,)
        )
        return None if value is None else str(value)

    async def signature_schemes(self, hosts: Iterable[str]) -> dict[str, str | None]:
        """:meth:`signature_scheme` of several hosts in one query (None: unknown)."""
        wanted = sorted(set(hosts))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = await self.database.fetchall(
            f"SELECT host, signature_scheme FROM delivery_hosts WHERE host IN ({marks})", wanted
        )
        found: dict[str, str | None] = dict.fromkeys(wanted)
        found.update({row[0]: None if row[1] is None else str(row[1]) for row in rows})
        return found

    async def remember_signature_scheme(self, host: str, scheme: str) -> None:
        await self.database.execute(
            "INSERT INTO delivery_hosts (host, signature_scheme) VALUES (?, ?)"
            " ON CONFLICT (host) DO UPDATE SET signature_scheme = excluded.signature_scheme",
            (host, scheme),
        )

    async def restore(self, host: str, now: datetime) -> bool:
        """An inbound activity from the host proves it is up. True when it had been failing."""
        state = await self.get(host)
        if state is None or (state.available and state.consecutive_failures == 0 and state.paused_until is None):
            return False
        return await self.record_success(host, now)
