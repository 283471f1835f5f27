"""``fedchapter affiliate TARGET``: ask a network to take this chapter as a member."""
from __future__ import annotations

import argparse
import asyncio

from fedchapter.cli.common import add_data_option, settings_for
from fedchapter.cli.composition import running_chapter


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    affiliate = subparsers.add_parser(
        "affiliate", help="ask the network @name@host or an actor URL to take this chapter as a member"
    )
    add_data_option(affiliate)
    affiliate.add_argument("target", metavar="TARGET", help="the network as @name@host or an actor URL")
    affiliate.set_defaults(handler=run_affiliate)


def run_affiliate(args: argparse.Namespace) -> int:
    settings = settings_for(args)

    async def affiliate() -> str:
        async with running_chapter(settings, run_workers=False) as chapter:
            # Not a network, unreachable, already a member: a DomainError, one line on stderr.
            affiliation = await chapter.networks.affiliations.affiliate(None, args.target)
            return affiliation.network

    # The Join is queued; the running server's delivery worker sends it.
    print(asyncio.run(affiliate()))
    return 0
