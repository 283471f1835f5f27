"""Reading a ballot: `{choice}`, `{choices: [...]}` or `{ranking: [...]}`, plus `reason`.

A ballot is checked against its proposal before anything is stored: unknown
options, a second choice on a single-choice ballot, a ranking that names an
option twice or leaves a gap, a block without a reason are all refused with a
reason naming the field, and the member's existing vote stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fedchapter.errors import N_, Problems, ValidationError
from fedchapter.proposals.model import CHOICES_NEEDING_REASON, Method, Proposal

MAX_REASON = 2_000
BALLOT_FIELDS = frozenset({"choice", "choices", "ranking", "reason"})


@dataclass(frozen=True)
class Ballot:
    choices: tuple[str, ...]  # one choice, the approved options, or a ranking best first
    reason: str = ""


def read_ballot(proposal: Proposal, body: Mapping[str, Any]) -> Ballot:
    unknown = sorted(set(body) - BALLOT_FIELDS)
    if unknown:
        raise ValidationError(unknown[0], N_("unknown field; send choice, choices or ranking, and reason"))
    given = [name for name in ("choice", "choices", "ranking") if body.get(name) is not None]
    if len(given) > 1:
        raise ValidationError(given[1], N_("send only one of choice, choices and ranking, not %(given)s"),
                              given=" and ".join(given))
    reason = _reason(body.get("reason"))
    method = proposal.method
    if method.is_ranked:
        return Ballot(_ranking(proposal, body.get("ranking"), given), reason)
    if method is Method.MULTIPLE:
        return Ballot(_approvals(proposal, body, given), reason)
    if given != ["choice"]:
        raise ValidationError(given[0] if given else "choice", N_("a %(method)s ballot takes one choice"),
                              plain=N_("choose one of the options"), method=method.value)
    choice = _known_option(proposal, body["choice"], "choice")
    if method is Method.CONSENT and choice in CHOICES_NEEDING_REASON and not reason:
        raise ValidationError("reason", N_("give a reason to block: the group needs to hear it"))
    return Ballot((choice,), reason)


def _reason(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("reason", N_("must be text"))
    if len(value.strip()) > MAX_REASON:
        raise ValidationError("reason", N_("must be at most %(limit)s characters"), limit=MAX_REASON)
    return value.strip()


def _known_option(proposal: Proposal, value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, N_("must be an option's name"), plain=N_("choose one of the options"))
    name = value.strip()
    if name in proposal.options:
        return name
    # Be forgiving about case ("Yes"), never about spelling.
    for option in proposal.options:
        if option.casefold() == name.casefold():
            return option
    raise ValidationError(field, N_("%(name)s is not an option; the options are %(options)s"),
                          plain=N_("choose one of the options"), name=repr(name), options=", ".join(proposal.options))


def _approvals(proposal: Proposal, body: Mapping[str, Any], given: list[str]) -> tuple[str, ...]:
    if given == ["choice"]:
        return (_known_option(proposal, body["choice"], "choice"),)
    if given != ["choices"]:
        raise ValidationError(given[0] if given else "choices", N_("a multiple-choice ballot takes choices: a list of options"),
                              plain=N_("tick at least one option"))
    value = body["choices"]
    if not isinstance(value, list) or not value:
        raise ValidationError("choices", N_("must be a list of at least one option"),
                              plain=N_("tick at least one option"))
    chosen: list[str] = []
    for number, item in enumerate(value):
        option = _known_option(proposal, item, f"choices.{number}")
        if option in chosen:
            raise ValidationError(f"choices.{number}", N_("%(option)s is chosen twice"), option=repr(option))
        chosen.append(option)
    # Store approvals in the proposal's order: the order of ticks means nothing.
    return tuple(option for option in proposal.options if option in chosen)


def _ranking(proposal: Proposal, value: object, given: list[str]) -> tuple[str, ...]:
    if given != ["ranking"]:
        raise ValidationError(given[0] if given else "ranking", N_("a ranked ballot takes ranking: options, most preferred first"),
                              plain=N_("number at least one option, starting with 1"))
    if not isinstance(value, list) or not value:
        raise ValidationError("ranking", N_("must be a list of at least one option, most preferred first"),
                              plain=N_("number at least one option, starting with 1"))
    ranked: list[str] = []
    for number, item in enumerate(value):
        field = f"ranking.{number}"
        if item is None or (isinstance(item, str) and not item.strip()):
            raise ValidationError(field, N_("preference %(number)s is empty: a ranking has no gaps"), number=number + 1)
        option = _known_option(proposal, item, field)
        if option in ranked:
            raise ValidationError(field, N_("%(option)s is ranked twice"), option=repr(option))
        ranked.append(option)
    return tuple(ranked)


def ranking_from_numbers(proposal: Proposal, numbers: Mapping[str, str]) -> list[str]:
    """A ranking from the no-JavaScript form: a preference number typed next to
    each option (blank for unranked). The numbers must run 1, 2, 3… without a
    repeat or a gap."""
    # Every number is checked, so the form can mark each wrong one at once.
    problems = Problems()
    by_rank: dict[int, str] = {}
    for option in proposal.options:
        raw = (numbers.get(option) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= len(proposal.options):
            problems.add(ValidationError(
                f"rank.{option}", N_("give %(option)s a number from 1 to %(most)s, or leave it blank"),
                plain=N_("enter a number from 1 to %(most)s, or leave it blank"),
                option=repr(option), most=len(proposal.options)))
            continue
        rank = int(raw)
        if rank in by_rank:
            problems.add(ValidationError(f"rank.{option}", N_("%(other)s and %(option)s are both number %(rank)s"),
                                         plain=N_("%(other)s is number %(rank)s too: give each option its own number"),
                                         other=repr(by_rank[rank]), option=repr(option), rank=rank))
            continue
        by_rank[rank] = option
    if not by_rank and not problems:
        problems.add(ValidationError("ranking", N_("number at least one option, starting with 1")))
    for rank in range(1, max(by_rank, default=0) + 1):
        if rank not in by_rank:
            problems.add(ValidationError(
                "ranking", N_("no option is number %(rank)s: the numbers must run 1, 2, 3… without gaps"), rank=rank))
            break
    problems.raise_any()
    return [by_rank[rank] for rank in sorted(by_rank)]
