"""A proposal as a `Question` (so Mastodon shows it as a poll), and a chapter's
decision on a shared proposal as a Note carrying `fc:result`.

Mastodon reads `oneOf`/`anyOf` option Notes with `name` and
`replies.totalItems`, `endTime`, `closed` (present only once closed) and
`votersCount`, the shape its own app/serializers/activitypub/note_serializer.rb
writes for a poll. While results are hidden the options carry no `replies`
(Mastodon then shows no counts) and only the turnout is told. Ranked and
consent ballots still go out as a Question with their options, plus our
namespace fields, and their text tells people to vote on the chapter's site.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fedchapter.clock import to_iso, to_iso_microseconds
from fedchapter.networks.tally import NetworkTally
from fedchapter.proposals.model import ChapterDecision, Method, PollSnapshot, Proposal
from fedchapter.proposals.tally import ProposalResult
from fedchapter.text import escape, render_markdown
from federation.integrity import DATA_INTEGRITY_CONTEXT, integrity_key, key_id, sign
from federation.to_as.record import audience, thread_fields
from federation.to_as.registry import ConversionContext
from federation.vocabulary import context


def _content(proposal: Proposal, object_url: str) -> str:
    # Mastodon shows a Question's content, not its name: the title leads.
    html = f"<p><strong>{escape(proposal.title)}</strong></p>{render_markdown(proposal.body)}"
    if not proposal.method.mastodon_votable:
        html += (f'<p>Vote on the chapter\'s site (a {escape(proposal.method.value)} ballot): '
                 f'<a href="{escape(object_url)}">{escape(object_url)}</a></p>')
    return html


def result_fields(result: ProposalResult) -> dict[str, Any]:
    """The outcome in our namespace: what another chapter or a network needs to collect it."""
    document: dict[str, Any] = {
        "outcome": result.outcome.value,
        "counts": dict(result.counts),
        "voters": result.voters,
        "quorum_met": result.quorum_met,
    }
    if result.ranked:
        document["elected"] = list(result.elected)
    else:
        document["winners"] = list(result.winners)
    if result.objections:
        # Consent: each block and disagreement with its author and reason.
        document["objections"] = [objection.to_dict() for objection in result.objections]
    return document


def end_time(proposal: Proposal) -> datetime:
    """When voting ended or ends: closed early, the close time (servers that
    read only `endTime`, not `closed`, would still offer the vote)."""
    if proposal.closed_at is not None and proposal.closed_at < proposal.closes_at:
        return proposal.closed_at
    return proposal.closes_at


def poll_to_as(snapshot: PollSnapshot, ctx: ConversionContext) -> dict[str, Any]:
    proposal = snapshot.proposal
    object_url = ctx.urls.proposal(proposal.id)
    options: list[dict[str, Any]] = []
    for option in proposal.options:
        note: dict[str, Any] = {"type": "Note", "name": option}
        if snapshot.counts is not None:
            note["replies"] = {"type": "Collection", "totalItems": snapshot.counts.get(option, 0)}
        options.append(note)
    content = _content(proposal, object_url)
    document: dict[str, Any] = {
        "@context": context(),
        "id": object_url,
        "type": "Question",
        "name": proposal.title,
        "content": content,
        "contentMap": {ctx.language: content},
        "mediaType": "text/html",
        "url": object_url,
        "attributedTo": ctx.actor_url,
        "audience": ctx.actor_url,
        "published": to_iso(proposal.opened_at or proposal.created_at),
        "endTime": to_iso(end_time(proposal)),
        "anyOf" if proposal.method is Method.MULTIPLE else "oneOf": options,
        "votersCount": snapshot.voters,
        "sensitive": False,
        "fc:method": proposal.method.value,
        "fc:hideResults": proposal.hide_results,
        **thread_fields(ctx, object_url),
        **audience(ctx),
    }
    if proposal.method.is_ranked:
        document["fc:seats"] = proposal.seats
        if proposal.method is Method.STV:
            document["fc:stvRule"] = proposal.stv_rule.value
    if proposal.quorum is not None:
        document["fc:quorum"] = proposal.quorum.to_json()
    if proposal.threshold is not None:
        document["fc:threshold"] = proposal.threshold.value
    if proposal.closed_at is not None:
        document["closed"] = to_iso(proposal.closed_at)
        document["updated"] = to_iso(proposal.closed_at)
    if proposal.result is not None:
        document["fc:result"] = result_fields(proposal.result)
    if proposal.outcome_statement:
        document["fc:outcomeStatement"] = proposal.outcome_statement
    if proposal.scope is not None:
        # A network's proposal: who decides, and how the chapters' reports combine.
        document["fc:scope"] = proposal.scope
        document["fc:networkRule"] = proposal.network_rule
    if snapshot.network is not None:
        document["fc:tally"] = tally_fields(snapshot.network, final=proposal.is_finished)
    if proposal.adopted_from:
        # The proposal another chapter shared, which we put to our own members.
        document["fc:adoptedFrom"] = proposal.adopted_from
    return document


def tally_fields(tally: NetworkTally, *, final: bool) -> dict[str, Any]:
    """`fc:tally`: the network's per-chapter table, who is still to report, the
    weighted totals and the outcome so far (docs/networks.md)."""
    return {
        "networkRule": tally.rule.value, "outcome": tally.outcome, "final": final,
        "chapters": [
            {"chapter": report.chapter, "outcome": report.outcome, "weight": weight, "voters": report.voters,
             "reportedAt": to_iso(report.reported_at), "report": report.report}
            for report, weight in tally.reports
        ],
        "pending": list(tally.pending),
        "weighted": dict(tally.weighted),
        # To the microsecond: a chapter keeps the newest of Updates sent close together.
        **({"updated": to_iso_microseconds(tally.as_of)} if tally.as_of is not None else {}),
    }


def decision_url(proposal_url: str) -> str:
    return f"{proposal_url}/decision"


def decision_to_as(decision: ChapterDecision, ctx: ConversionContext) -> dict[str, Any]:
    """`Create(Note{inReplyTo: ORIGIN_QUESTION, fc:result})` to the origin chapter
    (docs/federation-proposals.md). Software that does not know `fc:result`
    shows it as an ordinary reply saying what we decided."""
    proposal = decision.proposal
    object_url = ctx.urls.proposal(proposal.id)
    result = decision.result
    summary = ", ".join(f"{option}: {votes}" for option, votes in result.counts.items())
    elected = f" Elected: {', '.join(result.elected)}." if result.elected else ""
    content = (f"<p>{escape(ctx.actor.display_name)} decided on “{escape(proposal.title)}”: "
               f"{escape(result.outcome.value)} ({result.voters} voters; {escape(summary)}).{escape(elected)}</p>"
               f'<p><a href="{escape(object_url)}">{escape(object_url)}</a></p>')
    note = {
        # Signed with its own context: it travels unchanged, embedded in our
        # Create and in the network's Announce, and served at its URL.
        "@context": [*context(), DATA_INTEGRITY_CONTEXT],
        # Its own URL (not a fragment): the network lists it, and anyone
        # fetches it there to check the proof (docs/networks.md).
        "id": decision_url(object_url),
        "type": "Note",
        "attributedTo": ctx.actor_url,
        "inReplyTo": decision.origin_question,
        "content": content,
        "url": object_url,
        "published": to_iso(proposal.closed_at or proposal.created_at),
        "to": [decision.origin_chapter],
        "cc": audience(ctx)["cc"],
        "fc:result": result_fields(result),
        "fc:proposal": object_url,
        # A reply keeps its root's thread. Only chapters share proposals, and a
        # chapter serves a Question's thread at QUESTION/context.
        "context": f"{decision.origin_question}/context",
        "conversation": f"{decision.origin_question}/context",
    }
    # FEP-8b32: whoever relays the report, any chapter can check it is ours and unchanged.
    return sign(note, integrity_key(ctx.actor), key_id(ctx.actor_url), proposal.closed_at or proposal.created_at)
