"""What a proposal is: a text put to the members, a voting method, options,
a quorum and a threshold, and a life cycle draft → open → closed → decided.

Voters are named by an actor URL (a local member's Person or a remote member's
account), which is what makes "one member, one vote" hold across the site and
the fediverse: both paths lead to the same key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from fedchapter.proposals.rules import Quorum, Threshold

if TYPE_CHECKING:
    from fedchapter.networks.tally import NetworkTally
    from fedchapter.proposals.tally import ProposalResult


class Method(StrEnum):
    CONSENT = "consent"
    YES_NO = "yes-no"
    SINGLE = "single"
    MULTIPLE = "multiple"  # approval: tick every option you support
    IRV = "irv"  # ranked, one seat
    STV = "stv"  # ranked, several seats

    @property
    def is_ranked(self) -> bool:
        return self in (Method.IRV, Method.STV)

    @property
    def fixed_options(self) -> tuple[str, ...] | None:
        """The options every proposal of this method has, or None when the author names them."""
        return FIXED_OPTIONS.get(self)

    @property
    def allows_several_choices(self) -> bool:
        return self is Method.MULTIPLE

    @property
    def mastodon_votable(self) -> bool:
        """Whether a Mastodon poll vote (one Note per option) can express a ballot.

        A ranking cannot be; neither can a consent vote, whose block needs a
        reason (and a disagreement may carry one) that a poll vote has no room for.
        """
        return self in (Method.YES_NO, Method.SINGLE, Method.MULTIPLE)


FIXED_OPTIONS: dict[Method, tuple[str, ...]] = {
    Method.YES_NO: ("yes", "no", "abstain"),
    Method.CONSENT: ("agree", "abstain", "disagree", "block"),
}
# Consent choices that must come with a reason (the group needs to hear it);
# a disagreement may carry one (the contract asks one only to block).
CHOICES_NEEDING_REASON = frozenset({"block"})
# Consent choices shown to the members with their author and reason, while
# the vote is open and in the result (a facilitator must know what to address).
OBJECTING_CHOICES = ("block", "disagree")


class Status(StrEnum):
    DRAFT = "draft"  # written by a member, waiting for a facilitator to open it
    OPEN = "open"  # taking votes until closes_at
    CLOSED = "closed"  # counted; the result is frozen
    DECIDED = "decided"  # a facilitator recorded the outcome statement


class Outcome(StrEnum):
    PASSED = "passed"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    NO_QUORUM = "no-quorum"
    ELECTED = "elected"


class StvRule(StrEnum):
    SCOTTISH = "scottish"
    MEEK = "meek"

    @property
    def counting_method(self) -> str:
        """The name fedchapter.counting knows this rule by."""
        return f"{self.value}-stv"


class VoteChannel(StrEnum):
    SITE = "site"  # the chapter's web page or the API
    FEDIVERSE = "fediverse"  # a poll vote from the member's own server (Mastodon)
    # On a network: a member chapter forwarded it (scope "members"). Kept in
    # network_ballots, never in proposal_votes; counted beside the votes there.
    CHAPTER = "chapter"


@dataclass(frozen=True, kw_only=True)
class Proposal:
    id: str
    title: str
    body: str  # Markdown
    method: Method
    options: tuple[str, ...]
    closes_at: datetime
    author: str  # actor URL of whoever drafted it
    created_at: datetime
    status: Status = Status.DRAFT
    seats: int = 1
    stv_rule: StvRule = StvRule.SCOTTISH
    quorum: Quorum | None = None
    threshold: Threshold | None = None
    hide_results: bool = False
    share_with: tuple[str, ...] = ()
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    outcome_statement: str = ""
    # A proposal adopted from another chapter: its Question id and that chapter,
    # to whom our decision is reported when we close.
    adopted_from: str | None = None
    origin_chapter: str | None = None
    result: ProposalResult | None = None
    # On a network: put to the member chapters (in share_with) and how their
    # reports combine; None for a chapter's own proposal (docs/networks.md).
    scope: str | None = None
    network_rule: str | None = None

    def __post_init__(self) -> None:
        if len(set(self.options)) != len(self.options) or not self.options:
            raise ValueError("a proposal has distinct options")
        fixed = self.method.fixed_options
        if fixed is not None and self.options != fixed:
            raise ValueError(f"a {self.method} proposal has the options {fixed}")
        if not 1 <= self.seats < max(2, len(self.options)):
            raise ValueError("seats must be fewer than the options")
        if self.closes_at.utcoffset() is None:
            raise ValueError("closes_at is an aware datetime")

    def is_accepting_votes(self, now: datetime) -> bool:
        return self.status is Status.OPEN and now < self.closes_at

    @property
    def is_finished(self) -> bool:
        return self.status in (Status.CLOSED, Status.DECIDED)

    def results_visible(self) -> bool:
        """Counts are public once closed, and while open unless hidden until the close."""
        return self.is_finished or (self.status is Status.OPEN and not self.hide_results)


@dataclass(frozen=True, kw_only=True)
class Vote:
    """One member's current ballot: `choices` in order (a ranking, best first)."""

    voter: str
    choices: tuple[str, ...]
    channel: VoteChannel
    cast_at: datetime
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class VoteRecord:
    """The audit trail: who voted (or changed their vote) when and how they
    reached us, never what they chose, so it can be shown for secret ballots."""

    voter: str
    action: str  # "cast" or "changed"
    channel: VoteChannel
    at: datetime


@dataclass(frozen=True, kw_only=True)
class PollSnapshot:
    """What federation publishes of a proposal: the Question with its counts.

    `counts` is None while results are hidden until the close; `voters` (the
    turnout) is always shown, because it reveals nothing about how anyone voted.
    """

    proposal: Proposal
    counts: dict[str, int] | None
    voters: int
    # A network's proposal decided by its chapters: the running tally of their
    # reports, carried to every chapter offered it (docs/networks.md).
    network: NetworkTally | None = None


@dataclass(frozen=True, kw_only=True)
class ChapterDecision:
    """Our decision on a proposal we adopted from another chapter, reported back to it."""

    proposal: Proposal
    origin_question: str
    origin_chapter: str
    result: ProposalResult


@dataclass(frozen=True, kw_only=True)
class ChapterResult:
    """Another chapter's decision on a proposal we shared with it."""

    chapter: str
    outcome: str
    counts: dict[str, int]
    voters: int
    quorum_met: bool
    reported_at: datetime
    elected: tuple[str, ...] = field(default=())
    # The chapter's result Note (its URL, the document as received) and
    # whether its integrity proof checked.
    report: str | None = None
    document: str | None = None
    verified: bool = False


@dataclass(frozen=True, kw_only=True)
class ProposalOffer:
    """A proposal another chapter shared with us: ours to adopt and decide locally."""

    question_id: str
    origin_chapter: str
    title: str
    body: str
    method: Method
    options: tuple[str, ...]
    closes_at: datetime
    received_at: datetime
    seats: int = 1
    stv_rule: StvRule = StvRule.SCOTTISH
    quorum: Quorum | None = None
    threshold: Threshold | None = None
    scope: str | None = None
    # The network's running tally as it last sent it (JSON, the API's `tally`).
    tally: dict[str, Any] | None = None
