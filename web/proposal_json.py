"""The JSON shapes of the proposals API: a proposal with its result, a vote,
an entry of the vote log, an offer from another chapter."""
from __future__ import annotations

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.proposals.model import ChapterResult, PollSnapshot, Proposal, ProposalOffer, Vote, VoteRecord
from fedchapter.proposals.tally import Objection
from fedchapter.text import render_markdown
from fedchapter.networks.model import RelayedReport
from fedchapter.networks.tally import NetworkTally
from fedchapter.services.network_ballots import MembersTally
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
        "reported_at": to_iso(result.reported_at), "report": result.report, "verified": result.verified,
    }


def network_result_json(proposal: Proposal, tally: NetworkTally) -> dict[str, Any]:
    """A network proposal's result: live while open, final once closed (docs/networks.md)."""
    document: dict[str, Any] = proposal.result.to_dict() if proposal.result is not None else {}
    if proposal.result is not None:
        # The network's own members' count stays visible beside the chapters' decision.
        document["own_outcome"] = document.get("outcome")
    document.update(
        scope=proposal.scope, network_rule=tally.rule.value, outcome=tally.outcome,
        chapters=[{**chapter_result_json(report), "weight": weight} for report, weight in tally.reports],
        pending=list(tally.pending), weighted=dict(tally.weighted), final=proposal.is_finished,
    )
    return document


def members_result_json(snapshot: PollSnapshot, tally: MembersTally) -> dict[str, Any]:
    """A members ballot's result: every voter once, counted with the proposal's
    own method; live (counts as visible) while open, final once closed."""
    proposal = snapshot.proposal
    document: dict[str, Any] = (proposal.result.to_dict() if proposal.result is not None
                                else {"counts": snapshot.counts, "voters": snapshot.voters})
    document.update(scope=proposal.scope, by_chapter=dict(tally.by_chapter), final=proposal.is_finished)
    return document


def _network_json(snapshot: PollSnapshot, network: NetworkTally | MembersTally) -> dict[str, Any]:
    if isinstance(network, MembersTally):
        return members_result_json(snapshot, network)
    return network_result_json(snapshot.proposal, network)


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
    network: NetworkTally | MembersTally | None = None,
    objections: tuple[Objection, ...] = (),
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
        "result": _network_json(snapshot, network) if network is not None
        else result_json(proposal, chapters or []),
        "outcome_statement": proposal.outcome_statement,
    }
    if proposal.method.value == "stv":
        document["stv_rule"] = proposal.stv_rule.value
    if proposal.adopted_from:
        document.update(adopted_from=proposal.adopted_from, origin_chapter=proposal.origin_chapter)
    if proposal.share_with or chapters:
        # Shared proposals, and any that chapters following us adopted and reported on.
        document["chapter_results"] = [chapter_result_json(result) for result in chapters or []]
    if objections and proposal.result is None:
        # While open, to members: every block and disagreement so far (the
        # result carries them once closed).
        document["objections"] = [objection.to_dict() for objection in objections]
    if my_vote is not None:
        document["my_vote"] = vote_json(proposal, my_vote)
    return document


def vote_record_json(record: VoteRecord) -> dict[str, Any]:
    return {"voter": record.voter, "action": record.action, "channel": record.channel.value, "at": to_iso(record.at)}


def relayed_report_json(report: RelayedReport) -> dict[str, Any]:
    # Kept only once its proof checked: "verified" is what a reader looks for.
    return {"chapter": report.chapter, "outcome": report.outcome, "report": report.report,
            "relayed_by": report.relayed_by, "received_at": to_iso(report.received_at), "verified": True}


def offer_json(
    offer: ProposalOffer, adopted: str | None = None, reports: list[RelayedReport] | None = None
) -> dict[str, Any]:
    return {
        "question": offer.question_id, "from": offer.origin_chapter, "scope": offer.scope, "adopted": adopted,
        # Other chapters' results the network relayed to us (network proposals only).
        "reports": [relayed_report_json(report) for report in reports or []],
        # The network's running tally as it last sent it (None until a chapter reported).
        "tally": offer.tally,
        "origin_chapter": offer.origin_chapter, "title": offer.title,
        "body": offer.body, "method": offer.method.value, "options": list(offer.options), "seats": offer.seats,
        "quorum": None if offer.quorum is None else offer.quorum.to_json(),
        "threshold": None if offer.threshold is None else offer.threshold.value,
        "closes_at": to_iso(offer.closes_at), "received_at": to_iso(offer.received_at),
    }
