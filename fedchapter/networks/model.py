"""What a network knows of its member chapters, and what a chapter knows of
the networks it belongs to. Plain data; the wire shapes live in ``federation``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fedchapter.errors import N_, ValidationError
from fedchapter.proposals.model import Proposal

MAX_DELEGATES = 50
MAX_DELEGATE_NAME = 100
MAX_WEIGHT = 1000


class AffiliationStatus(StrEnum):
    """The same four states on both sides of an affiliation."""

    PENDING = "pending"  # asked; the network's admins have not answered
    MEMBER = "member"
    REJECTED = "rejected"
    LEFT = "left"


class Scope(StrEnum):
    """Who decides a network proposal."""

    CHAPTERS = "chapters"  # each member chapter decides by its own means and reports
    MEMBERS = "members"  # one ballot of every member of every member chapter


class NetworkRule(StrEnum):
    """How the network combines the chapters' reports."""

    CHAPTERS = "chapters"  # a majority of the reporting chapters
    DELEGATES = "delegates"  # a majority of the reporting chapters' weights


@dataclass(frozen=True, kw_only=True)
class MemberChapter:
    """A chapter that asked to join this network (any status)."""

    id: str
    actor: str
    name: str
    join_activity: dict[str, object]
    status: AffiliationStatus
    weight: int
    delegates: tuple[str, ...]
    requested_at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Affiliation:
    """A network this chapter asked to join."""

    id: str
    network: str
    name: str
    join_activity: str  # the id of our Join, which the network's answer names
    status: AffiliationStatus
    requested_at: datetime
    answered_at: datetime | None = None


def read_weight(value: object) -> int:
    """Delegates a chapter sends: a whole number from 1 (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEIGHT:
        raise ValidationError("weight", N_("must be a whole number from 1 to %(max_weight)s"), max_weight=MAX_WEIGHT)
    return value


def read_delegates(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_DELEGATES:
        raise ValidationError("delegates", N_("must be a list of at most %(max_delegates)s names"),
                              max_delegates=MAX_DELEGATES)
    names: list[str] = []
    for index, name in enumerate(value):
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_DELEGATE_NAME:
            raise ValidationError(f"delegates.{index}", N_("must be a name of 1 to %(max_delegate_name)s characters"),
                                  max_delegate_name=MAX_DELEGATE_NAME)
        names.append(name.strip())
    return tuple(names)


@dataclass(frozen=True, kw_only=True)
class NetworkBallot:
    """On a network: one person's ballot on a ``scope: "members"`` proposal,
    forwarded and vouched for by one member chapter."""

    voter: str  # the member's actor URL: the one key a person is counted under
    chapter: str
    choices: tuple[str, ...]
    cast_at: datetime
    document: str  # the chapter's signed Note as received


@dataclass(frozen=True, kw_only=True)
class RelayedReport:
    """On a chapter: another chapter's result on a network proposal, relayed by
    the network and kept once its integrity proof checked."""

    question_id: str
    chapter: str
    relayed_by: str
    report: str | None
    outcome: str
    document: str
    received_at: datetime


@dataclass(frozen=True, kw_only=True)
class ForwardedBallot:
    """On a chapter: a member's ballot on its copy of a network's ``scope:
    "members"`` proposal, as the chapter forwards it to the network, vouching
    that the voter is one of its voting members."""

    proposal: Proposal  # the chapter's local copy
    origin_question: str
    network: str
    voter: str
    choices: tuple[str, ...]
    cast_at: datetime
    members: int  # the chapter's voting members now: the network's quorum counts them
    changed: bool  # a member changing their vote: sent again as an Update
