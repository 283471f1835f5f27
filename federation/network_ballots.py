"""A member's ballot on a network's ``scope: "members"`` proposal on the wire
(docs/networks.md): the chapter forwards it to the network, and only there,
as a Note carrying ``fc:ballot`` and the chapter's FEP-8b32 proof, in a
``Create`` when cast and an ``Update`` (same Note id) when changed."""
from __future__ import annotations

import hashlib
from typing import Any

from fedchapter.actors import LocalActor
from fedchapter.clock import to_iso
from fedchapter.networks.model import ForwardedBallot
from federation.integrity import DATA_INTEGRITY_CONTEXT, integrity_key, key_id, sign
from federation.local_actors import chapter_actor, local_actor_url
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.urls import Urls
from federation.vocabulary import context


def ballot_url(proposal_url: str, voter: str) -> str:
    # One Note per voter and proposal; the voter's URL stays out of the id.
    return f"{proposal_url}/ballots/{hashlib.sha256(voter.encode('utf-8')).hexdigest()[:32]}"


def ballot_to_as(ballot: ForwardedBallot, urls: Urls, chapter: LocalActor, actor_url: str) -> dict[str, Any]:
    proposal_url = urls.proposal(ballot.proposal.id)
    note = {
        "@context": [*context(), DATA_INTEGRITY_CONTEXT],
        "id": ballot_url(proposal_url, ballot.voter),
        "type": "Note",
        "attributedTo": actor_url,
        "inReplyTo": ballot.origin_question,
        "content": f"<p>A member's ballot on {ballot.origin_question}, forwarded by {actor_url}.</p>",
        "published": to_iso(ballot.cast_at),
        "to": [ballot.network],
        "fc:proposal": proposal_url,
        "fc:ballot": {"voter": ballot.voter, "choices": list(ballot.choices), "castAt": to_iso(ballot.cast_at),
                      "members": ballot.members},
    }
    # The chapter vouches for its member: the network counts only what the chapter signed.
    return sign(note, integrity_key(chapter), key_id(actor_url), ballot.cast_at)


class FederatedBallotCourier:
    def __init__(self, *, stores: FederationStores, outbound: Outbound, urls: Urls) -> None:
        self.stores = stores
        self.outbound = outbound
        self.urls = urls

    async def forward(self, ballot: ForwardedBallot) -> None:
        chapter = await chapter_actor(self.stores.chapter, self.stores.actors)
        actor_url = local_actor_url(self.urls, chapter)
        activity = {
            "@context": context(),
            "id": self.outbound.new_activity_id(),
            "type": "Update" if ballot.changed else "Create",
            "actor": actor_url,
            "object": ballot_to_as(ballot, self.urls, chapter, actor_url),
            "to": [ballot.network],
        }
        # Not public and to the network alone: a ballot is for counting, not for reading.
        await self.outbound.send(activity, chapter, [ballot.network])
