"""Members' ballots a member chapter forwards to the network (docs/networks.md).

A ballot is counted only when the chapter that sent it signed it (HTTP
signature) and vouched for it (FEP-8b32 proof by the same chapter); anything
refused is recorded as ignored with the reason and changes nothing.
"""
from __future__ import annotations

import json
from typing import Any

from fedchapter.errors import DomainError
from federation.from_as.proposals import read_forwarded_ballot
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.proofs import check_proof


class NetworkBallotReceiver:
    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        try:
            ballot = read_forwarded_ballot(ctx.urls, obj)
        except ValueError as error:
            raise Ignored(str(error)) from None
        if ballot is None:
            return False
        what = f"the ballot of {ballot.voter} forwarded by {ballot.chapter}"
        if ballot.chapter != activity.actor:
            raise Ignored(f"refused {what}: attributedTo is not the signed actor {activity.actor}")
        await check_proof(ctx, obj, ballot.chapter, what)
        try:
            await ctx.features.network_ballots.receive(
                ballot.proposal_id, ballot.chapter, ballot.voter, ballot.choices, ballot.cast_at, ballot.members,
                json.dumps(obj, ensure_ascii=False),
            )
        except DomainError as error:
            raise Ignored(f"refused {what}: {error}") from None
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        # A member changed their vote: the same Note, newer.
        return await self.create(ctx, activity, obj)

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        return False
