"""The JSON shapes of the proposals API: a proposal with its result, a vote,
an entry of the vote log, an offer from another chapter."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.proposals.model import ChapterResult, PollSnapshot, Proposal, ProposalOffer, Vote, VoteRecord
from fedchapter.text import render_markdown
from web.context import AppContext


def _optional_time(value: Any) -> str | None:
    return None if value is None else to_iso(value)


def vote_json(proposal: Proposal, vote: Vote) -> dict[str, Any]:
    document: dict[str, Any] = {"proposal": proposal.id, "voter": vote.voter}
    if proposal.method.is_ranked:
        document["ranking"] = list(vote.choices)
    elif proposal.method.allows_several_choices:
        document["choices"] = list(vote.choices)
    else:
        document["choice"] = vote.choices[0]
    document.update(reason=vote.reason, channel=vote.channel.value, cast_at=to_iso(vote.cast_at))
    return document


def chapter_result_json(result: ChapterResult) -> dict[str, Any]:
    return {
        "chapter": result.chapter, "outcome": result.outcome, "counts": result.counts, "voters": result.voters,
        "quorum_met": result.quorum_met, "elected": list(result.elected),
        "reported_at": to_iso(result.reported_at),
    }


def result_json(proposal: Proposal, chapters: list[ChapterResult]) -> dict[str, Any] | None:
    if proposal.result is None:
        return None
    document = proposal.result.to_dict()
    if proposal.share_with or chapters:
        document["chapters"] = [chapter_result_json(result) for result in chapters]
    return document


def proposal_json(
    ctx: AppContext,
    snapshot: PollSnapshot,
    *,
    chapters: list[ChapterResult] | None = None,
    my_vote: Vote | None = None,
) -> dict[str, Any]:
    proposal = snapshot.proposal
    url = ctx.urls.proposal(proposal.id)
    document: dict[str, Any] = {
        "id": proposal.id,
        "ap_id": url,
        "url": url,
        "title": proposal.title,
        "body": proposal.body,
        "body_html": render_markdown(proposal.body),
        "method": proposal.method.value,
        "options": list(proposal.options),
        "seats": proposal.seats,
        "status": proposal.status.value,
        "author": proposal.author,
        "created_at": to_iso(proposal.created_at),
        "opened_at": _optional_time(proposal.opened_at),
        "closes_at": to_iso(proposal.closes_at),
        "closed_at": _optional_time(proposal.closed_at),
        "quorum": None if proposal.quorum is None else proposal.quorum.to_json(),
        "threshold": None if proposal.threshold is None else proposal.threshold.value,
        "hide_results": proposal.hide_results,
        "share_with": list(proposal.share_with),
        "voters_count": snapshot.voters,
        # While open: the running counts, or null when hidden until the close.
        "counts": snapshot.counts,
        "result": result_json(proposal, chapters or []),
        "outcome_statement": proposal.outcome_statement,
    }
    if proposal.method.value == "stv":
        document["stv_rule"] = proposal.stv_rule.value
    if proposal.adopted_from:
        document.update(adopted_from=proposal.adopted_from, origin_chapter=proposal.origin_chapter)
    if proposal.share_with or chapters:
        # Shared proposals, and any that chapters following us adopted and reported on.
        document["chapter_results"] = [chapter_result_json(result) for result in chapters or []]
    if my_vote is not None:
        document["my_vote"] = vote_json(proposal, my_vote)
    return document


def vote_record_json(record: VoteRecord) -> dict[str, Any]:
    return {"voter": record.voter, "action": record.action, "channel": record.channel.value, "at": to_iso(record.at)}


def offer_json(offer: ProposalOffer) -> dict[str, Any]:
    return {
        "question": offer.question_id, "origin_chapter": offer.origin_chapter, "title": offer.title,
        "body": offer.body, "method": offer.method.value, "options": list(offer.options), "seats": offer.seats,
        "quorum": None if offer.quorum is None else offer.quorum.to_json(),
        "threshold": None if offer.threshold is None else offer.threshold.value,
        "closes_at": to_iso(offer.closes_at), "received_at": to_iso(offer.received_at),
    }
