"""Counting a proposal's votes into its result, for every method.

The order of judgement (see `rules` for quorum and threshold):

1. no quorum → `no-quorum` (the counts are still shown, nothing is decided);
2. consent with a standing block → `blocked`, whatever the other votes;
3. consent and yes-no: agree/yes against disagree/no by the threshold
   (default simple majority; abstentions and blocks are not "for") → `passed`
   or `rejected`;
4. single choice: without a threshold the option with the most votes wins
   (a tie at the top decides nothing: `rejected`); with one, the leading
   option must reach that share of all votes cast;
5. multiple choice (approval): without a threshold every option sharing the
   most approvals wins; with one, every option approved by that share of the
   voters wins; `passed` when there is a winner;
6. ranked (irv, stv): counted by fedchapter.counting (Scottish STV or Meek STV,
   instant-runoff for one seat); the quota decides, so there is no threshold;
   `elected` when anyone is elected. The lot, should one be needed, is seeded
   by the proposal's id, so a recount gives the same result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fedchapter.counting import CountResult, Election, count
from fedchapter.proposals.model import OBJECTING_CHOICES, Method, Outcome, Proposal, Vote
from fedchapter.proposals.rules import Threshold


@dataclass(frozen=True, kw_only=True)
class Objection:
    """A block or a disagreement on a consent proposal, with who raised it and
    why: the group hears every objection, not only how many there were."""

    voter: str  # the member's actor URL
    choice: str  # "block" or "disagree"
    reason: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"voter": self.voter, "choice": self.choice, "reason": self.reason}

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> Objection:
        return cls(voter=str(document["voter"]), choice=str(document["choice"]),
                   reason=str(document.get("reason") or ""))


def objections(proposal: Proposal, votes: Iterable[Vote]) -> tuple[Objection, ...]:
    """The blocks first, then the disagreements, each in the order they were cast."""
    if proposal.method is not Method.CONSENT:
        return ()
    raised = [vote for vote in votes if vote.choices and vote.choices[0] in OBJECTING_CHOICES]
    raised.sort(key=lambda vote: (OBJECTING_CHOICES.index(vote.choices[0]), vote.cast_at))
    return tuple(Objection(voter=vote.voter, choice=vote.choices[0], reason=vote.reason) for vote in raised)


@dataclass(frozen=True, kw_only=True)
class ProposalResult:
    counts: dict[str, int]
    voters: int
    outcome: Outcome
    quorum_met: bool
    members: int
    quorum_required: int | None = None
    winners: tuple[str, ...] = ()
    elected: tuple[str, ...] = ()
    # Ranked methods: the stage-by-stage count as fedchapter.counting reports it.
    stages: tuple[dict[str, Any], ...] = ()
    quota: int | float | None = None
    counting_method: str | None = None
    ranked: bool = field(default=False)
    # Consent: every block and disagreement with its author and reason.
    objections: tuple[Objection, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "counts": dict(self.counts),
            "voters": self.voters,
            "outcome": self.outcome.value,
            "quorum_met": self.quorum_met,
            "quorum_required": self.quorum_required,
            "members": self.members,
        }
        if self.ranked:
            document.update(
                elected=list(self.elected),
                stages=[dict(stage) for stage in self.stages],
                quota=self.quota,
                counting_method=self.counting_method,
            )
        else:
            document["winners"] = list(self.winners)
        if self.objections:
            document["objections"] = [objection.to_dict() for objection in self.objections]
        return document

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> ProposalResult:
        ranked = "stages" in document
        return cls(
            counts={str(k): int(v) for k, v in document["counts"].items()},
            voters=int(document["voters"]),
            outcome=Outcome(document["outcome"]),
            quorum_met=bool(document["quorum_met"]),
            members=int(document.get("members", 0)),
            quorum_required=document.get("quorum_required"),
            winners=tuple(document.get("winners", ())),
            elected=tuple(document.get("elected", ())),
            stages=tuple(document.get("stages", ())),
            quota=document.get("quota"),
            counting_method=document.get("counting_method"),
            ranked=ranked,
            objections=tuple(Objection.from_dict(item) for item in document.get("objections", ())
                             if isinstance(item, dict) and "voter" in item and "choice" in item),
        )


def first_counts(proposal: Proposal, votes: Iterable[Vote]) -> dict[str, int]:
    """Votes per option: every choice for single/multiple, first preferences for ranked."""
    tallies = {option: 0 for option in proposal.options}
    for vote in votes:
        chosen = vote.choices[:1] if proposal.method.is_ranked else vote.choices
        for option in chosen:
            if option in tallies:
                tallies[option] += 1
    return tallies


def tally(proposal: Proposal, votes: list[Vote], members: int) -> ProposalResult:
    """The result of `votes` on `proposal` when the chapter has `members` voting members."""
    counts = first_counts(proposal, votes)
    voters = len(votes)
    required = proposal.quorum.required(members) if proposal.quorum is not None else None
    quorum_met = required is None or voters >= required
    base = {"counts": counts, "voters": voters, "quorum_met": quorum_met, "members": members,
            "quorum_required": required, "objections": objections(proposal, votes)}

    if proposal.method.is_ranked:
        return _ranked(proposal, votes, base)
    if not quorum_met:
        return ProposalResult(outcome=Outcome.NO_QUORUM, **base)
    if proposal.method is Method.CONSENT:
        if counts["block"]:
            return ProposalResult(outcome=Outcome.BLOCKED, **base)
        return _for_against(proposal, counts["agree"], counts["disagree"], base)
    if proposal.method is Method.YES_NO:
        return _for_against(proposal, counts["yes"], counts["no"], base)
    if proposal.method is Method.SINGLE:
        return _single(proposal.threshold, counts, base)
    return _approval(proposal.threshold, counts, voters, base)


def threshold_met(proposal: Proposal) -> bool | None:
    """Whether the closed proposal's votes reached its threshold, for saying so
    beside the result; None when there is nothing to say: no result or no
    quorum, a ranked count (the quota decides), approval (met per option: the
    winners), or a single choice without a threshold. Consent and yes/no are
    judged with the simple majority when no threshold was set, as `tally` does."""
    result = proposal.result
    if result is None or not result.quorum_met or proposal.method.is_ranked or proposal.method is Method.MULTIPLE:
        return None
    counts = result.counts
    if proposal.method is Method.CONSENT:
        return (proposal.threshold or Threshold.SIMPLE_MAJORITY).is_met(counts.get("agree", 0), counts.get("disagree", 0))
    if proposal.method is Method.YES_NO:
        return (proposal.threshold or Threshold.SIMPLE_MAJORITY).is_met(counts.get("yes", 0), counts.get("no", 0))
    if proposal.threshold is None:
        return None
    top = max(counts.values(), default=0)
    return proposal.threshold.is_met(top, sum(counts.values()) - top)


def _for_against(proposal: Proposal, in_favour: int, against: int, base: dict[str, Any]) -> ProposalResult:
    threshold = proposal.threshold or Threshold.SIMPLE_MAJORITY
    passed = threshold.is_met(in_favour, against)
    return ProposalResult(outcome=Outcome.PASSED if passed else Outcome.REJECTED, **base)


def _single(threshold: Threshold | None, counts: dict[str, int], base: dict[str, Any]) -> ProposalResult:
    cast = sum(counts.values())
    top = max(counts.values(), default=0)
    leaders = [option for option, votes in counts.items() if votes == top]
    if top == 0 or len(leaders) > 1:
        return ProposalResult(outcome=Outcome.REJECTED, **base)
    if threshold is not None and not threshold.is_met(top, cast - top):
        return ProposalResult(outcome=Outcome.REJECTED, **base)
    return ProposalResult(outcome=Outcome.PASSED, winners=(leaders[0],), **base)


def _approval(
    threshold: Threshold | None, counts: dict[str, int], voters: int, base: dict[str, Any]
) -> ProposalResult:
    if threshold is None:
        top = max(counts.values(), default=0)
        winners = tuple(option for option, votes in counts.items() if top and votes == top)
    else:
        # An option's "against" are the voters who did not approve it.
        winners = tuple(option for option, votes in counts.items() if threshold.is_met(votes, voters - votes))
    outcome = Outcome.PASSED if winners else Outcome.REJECTED
    return ProposalResult(outcome=outcome, winners=winners, **base)


def ranked_election(proposal: Proposal, votes: Iterable[Vote]) -> Election:
    """The ballots of a ranked proposal as fedchapter.counting's input."""
    index = {option: number for number, option in enumerate(proposal.options)}
    lines = Counter(tuple(index[option] for option in vote.choices) for vote in votes if vote.choices)
    ballots = tuple(sorted(((weight, ranking) for ranking, weight in lines.items()), key=lambda line: line[1]))
    seats = proposal.seats if proposal.method is Method.STV else 1
    return Election(title=proposal.title, candidates=proposal.options, seats=seats, ballots=ballots)


def count_ranked(proposal: Proposal, votes: list[Vote]) -> CountResult:
    method = proposal.stv_rule.counting_method if proposal.method is Method.STV else "irv"
    return count(ranked_election(proposal, votes), method, seed=proposal.id)


def _ranked(proposal: Proposal, votes: list[Vote], base: dict[str, Any]) -> ProposalResult:
    if not votes:
        outcome = Outcome.NO_QUORUM if not base["quorum_met"] else Outcome.REJECTED
        return ProposalResult(outcome=outcome, ranked=True, **base)
    counted = count_ranked(proposal, votes).to_dict()
    elected = tuple(counted["elected"]) if base["quorum_met"] else ()
    if not base["quorum_met"]:
        outcome = Outcome.NO_QUORUM
    else:
        outcome = Outcome.ELECTED if elected else Outcome.REJECTED
    return ProposalResult(
        outcome=outcome,
        elected=elected,
        stages=tuple(counted["stages"]),
        quota=counted["quota"],
        counting_method=counted["method"],
        ranked=True,
        **base,
    )
