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

from typing import Any

from fedchapter.clock import to_iso
from fedchapter.proposals.model import ChapterDecision, Method, PollSnapshot, Proposal
from fedchapter.proposals.tally import ProposalResult
from fedchapter.text import escape, render_markdown
from federation.to_as.record import audience
from federation.to_as.registry import ConversionContext, register_converter
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
    return document


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
        "endTime": to_iso(proposal.closes_at),
        "anyOf" if proposal.method is Method.MULTIPLE else "oneOf": options,
        "votersCount": snapshot.voters,
        "sensitive": False,
        "fc:method": proposal.method.value,
        "fc:hideResults": proposal.hide_results,
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
    if proposal.adopted_from:
        # The proposal another chapter shared, which we put to our own members.
        document["fc:adoptedFrom"] = proposal.adopted_from
    return document


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
    return {
        "@context": context(),
        "id": f"{object_url}#decision",
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
    }


register_converter(PollSnapshot, poll_to_as)
register_converter(ChapterDecision, decision_to_as)
