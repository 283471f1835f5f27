"""The shapes of the proposals API's request bodies, described once
(``fedchapter.body_schema``): checked at the API and shown in its OpenAPI
document. ``validation.read_proposal`` and ``ballots`` read their meaning."""
from __future__ import annotations

from fedchapter.body_schema import Boolean, Integer, ListOf, Obj, OneOf, Text
from fedchapter.networks.model import NetworkRule, Scope
from fedchapter.proposals.model import Method, StvRule
from fedchapter.proposals.rules import Threshold

PROPOSAL_BODY = Obj(
    {
        "title": Text(),
        "body": Text(description="Markdown"),
        "method": Text.of(Method),
        "options": ListOf(Text(), description="required for single, multiple, irv and stv"),
        "seats": Integer(minimum=1),
        "stv_rule": Text.of(StvRule),
        "closes_at": Text(description="a date and time with its offset: 2026-07-01T18:00:00+01:00"),
        "quorum": OneOf((Integer(minimum=1), Text(pattern=r"\d{1,3}%")),
                        description="a number of voters or N% of members"),
        "threshold": Text.of(Threshold),
        "hide_results": Boolean(),
        "share_with": ListOf(Text(), description="actor URLs of chapters to offer it to"),
        "status": Text(choices=("draft", "open")),
        "scope": Text.of(Scope, "on a network: put to the member chapters"),
        "network_rule": Text.of(NetworkRule),
    },
    required=("title", "body", "method", "closes_at"),
    closed=True,
)
BALLOT_BODY = Obj(
    {"choice": Text(), "choices": ListOf(Text()), "ranking": ListOf(Text(), description="most preferred first"),
     "reason": Text(description="required to block")},
    closed=True,
)
ADOPT_BODY = Obj(
    {"question": Text(description="the shared proposal's id (its Question)"), "closes_at": Text(),
     "method": Text.of(Method), "quorum": PROPOSAL_BODY.properties["quorum"], "threshold": Text.of(Threshold)},
    required=("question",),
)
DECISION_BODY = Obj({"statement": Text(description="the outcome statement")}, required=("statement",))
