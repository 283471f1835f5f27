"""``fedchapter follow``, ``fedchapter deliveries`` and ``fedchapter worker``."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from fedchapter.cli.common import (
    CommandError,
    add_data_option,
    add_take_over_option,
    ensure_this_machine,
    opened,
    settings_for,
)
from fedchapter.cli.garbage_collection import tune_for_serving
from fedchapter.cli.logging_setup import configure_logging
from fedchapter.cli.composition import running_chapter
from fedchapter.queue_states import DeliveryState
from federation.delivery.health import DeliveryHealth
from federation.safe_http import FetchError
from storage.repositories import Repositories


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    follow = subparsers.add_parser("follow", help="the chapter follows @name@host or an actor URL")
    add_data_option(follow)
    follow.add_argument("target", metavar="TARGET", help="@name@host or an actor URL")
    follow.set_defaults(handler=run_follow)

    deliveries = subparsers.add_parser("deliveries", help="the delivery queue: pending, failed, per server")
    add_data_option(deliveries)
    deliveries.add_argument("--limit", type=int, default=20, help="rows of pending and failed to list")
    deliveries.set_defaults(handler=run_deliveries)

    worker = subparsers.add_parser("worker", help="run only the inbox and delivery workers")
    add_data_option(worker)
    add_take_over_option(worker)
    worker.set_defaults(handler=run_worker)


def run_follow(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def follow() -> str:
        async with running_chapter(settings, run_workers=False) as chapter:
            try:
                return await chapter.federation.follows.follow(args.target)
            except FetchError as error:
                raise CommandError(f"cannot reach {args.target}: {error}") from None
            except ValueError as error:
                raise CommandError(str(error)) from None

    # The Follow is queued; the running server's delivery worker sends it.
    print(asyncio.run(follow()))
    return 0


def run_deliveries(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def show() -> str:
        async with opened(settings) as repos:
            return await deliveries_report(repos, limit=args.limit)

    sys.stdout.write(asyncio.run(show()))
    return 0


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
             for line in [headers, *rows]]
    return "\n".join(lines) + "\n"


async def deliveries_report(repos: Repositories, *, limit: int) -> str:
    report = await DeliveryHealth(repos.deliveries, repos.delivery_hosts).report(limit=limit)
    parts = ["Deliveries: " + ", ".join(
        f"{report.counts.get(state, 0)} {state}"
        for state in DeliveryState
    ) + "\n"]
    server_rows = []
    for entry in report.hosts:
        host = report.host_states.get(entry["host"])
        status = "available"
        if host is not None and not host.available:
            status = "unavailable"
        elif host is not None and host.paused_until is not None:
            status = f"paused until {host.paused_until:%H:%M:%S}"
        server_rows.append([
            entry["host"], status, str(entry["pending"]), str(entry["delivered"]), str(entry["failed"]),
            str(host.failure_days if host else 0), entry["next_try_at"] or "-",
        ])
    if server_rows:
        parts.append("\nServers\n" + _table(
            ["server", "state", "pending", "delivered", "failed", "failing days", "next try"], server_rows))
    pending = [
        [str(row.id), row.inbox or row.recipient_actor_id or "", str(row.attempts),
         "now" if row.state == DeliveryState.SENDING else f"{row.next_try_at:%Y-%m-%d %H:%M:%S}", (row.last_error or "")[:60]]
        for row in report.pending
    ]
    if pending:
        parts.append(f"\nPending (latest {limit})\n"
                     + _table(["id", "inbox", "tries", "next try", "last error"], pending))
    failed = [
        [str(row.id), row.inbox or row.recipient_actor_id or "", str(row.attempts),
         str(row.last_status or "-"), (row.last_error or "")[:60]]
        for row in report.failed
    ]
    if failed:
        parts.append(f"\nFailed (latest {limit})\n"
                     + _table(["id", "inbox", "tries", "status", "last error"], failed))
    return "".join(parts)


def run_worker(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    # A worker on another machine than the SQLite file's would corrupt it.
    ensure_this_machine(settings, take_over=args.take_over)
    configure_logging(settings)
    tune_for_serving()

    async def work() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        # The same composition root as the web process, so replies, votes and
        # RSVPs that arrive while only this process runs are handled by every feature.
        async with running_chapter(settings, run_workers=True) as chapter:
            # Delivering is most of what this process does: ready before the first one.
            chapter.federation.client.open_delivery_client()
            print(f"fedchapter: workers running for {settings.chapter_handle}", flush=True)
            await stop.wait()

    asyncio.run(work())
    return 0
