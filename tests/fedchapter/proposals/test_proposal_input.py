"""Reading proposals and ballots: what is accepted, and the reason for every refusal."""
from __future__ import annotations

from typing import Any

import pytest

from fedchapter.errors import ValidationError
from fedchapter.proposals.ballots import read_ballot, ranking_from_numbers
from fedchapter.proposals.model import Method, StvRule
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.proposals.validation import read_proposal
from tests.fedchapter.proposals.proposal_helpers import NOW, proposal

BASE: dict[str, Any] = {"title": "Adopt the budget", "body": "As circulated.", "closes_at": "2026-06-08T18:00:00+01:00"}


def refusal(call: Any, *args: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value


def test_yes_no_gets_its_fixed_options() -> None:
    draft = read_proposal({**BASE, "method": "yes-no", "quorum": "25%", "threshold": "two-thirds"}, NOW)
    assert draft.options == ("yes", "no", "abstain")
    assert draft.quorum == Quorum.parse("25%")
    assert draft.threshold is Threshold.TWO_THIRDS
    assert draft.closes_at.utcoffset() is not None


def test_stv_with_seats_and_meek() -> None:
    body = {**BASE, "method": "stv", "options": ["Ann", "Bo", "Cy", "Di"], "seats": 2, "stv_rule": "meek"}
    draft = read_proposal(body, NOW)
    assert (draft.seats, draft.stv_rule) == (2, StvRule.MEEK)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "single"}, "options"),
        ({"method": "ranked"}, "method"),
        ({"method": "yes-no", "options": ["maybe"]}, "options"),
        ({"method": "single", "options": ["a"]}, "options"),
        ({"method": "single", "options": ["a", "A"]}, "options.1"),
        ({"method": "single", "options": ["a", 3]}, "options.1"),
        ({"method": "stv", "options": ["a", "b"], "seats": 2}, "seats"),
        ({"method": "irv", "options": ["a", "b", "c"], "seats": 2}, "seats"),
        ({"method": "yes-no", "seats": 1}, "seats"),
        ({"method": "yes-no", "stv_rule": "meek"}, "stv_rule"),
        ({"method": "irv", "options": ["a", "b"], "threshold": "two-thirds"}, "threshold"),
        ({"method": "yes-no", "threshold": "most"}, "threshold"),
        ({"method": "yes-no", "quorum": "lots"}, "quorum"),
        ({"method": "yes-no", "closes_at": "2026-05-01T00:00:00Z"}, "closes_at"),
        ({"method": "yes-no", "closes_at": "2026-06-08T18:00:00"}, "closes_at"),
        ({"method": "yes-no", "closes_at": "next week"}, "closes_at"),
        ({"method": "yes-no", "hide_results": "yes"}, "hide_results"),
        ({"method": "yes-no", "share_with": ["ftp://x"]}, "share_with.0"),
        ({"method": "yes-no", "title": ""}, "title"),
        ({"method": "yes-no", "colour": "red"}, "colour"),
        ({"method": "yes-no", "status": "closed"}, "status"),
    ],
)
def test_bad_proposals_are_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    assert refusal(read_proposal, {**BASE, **change}, NOW).field == field


def test_ballots_for_each_method() -> None:
    assert read_ballot(proposal(Method.YES_NO), {"choice": "Yes"}).choices == ("yes",)
    approval = proposal(Method.MULTIPLE, ("a", "b", "c"))
    assert read_ballot(approval, {"choices": ["c", "a"]}).choices == ("a", "c")
    ranked = proposal(Method.STV, ("a", "b", "c", "d"), seats=2)
    assert read_ballot(ranked, {"ranking": ["c", "a"]}).choices == ("c", "a")


@pytest.mark.parametrize(
    ("method", "options", "body", "field"),
    [
        (Method.YES_NO, None, {"choice": "maybe"}, "choice"),
        (Method.YES_NO, None, {"choices": ["yes"]}, "choices"),
        (Method.YES_NO, None, {}, "choice"),
        (Method.SINGLE, ("a", "b"), {"choice": "a", "ranking": ["a"]}, "ranking"),
        (Method.MULTIPLE, ("a", "b"), {"choices": ["a", "a"]}, "choices.1"),
        (Method.MULTIPLE, ("a", "b"), {"choices": []}, "choices"),
        (Method.IRV, ("a", "b", "c"), {"ranking": ["a", "b", "a"]}, "ranking.2"),
        (Method.IRV, ("a", "b", "c"), {"ranking": ["a", None, "b"]}, "ranking.1"),
        (Method.IRV, ("a", "b", "c"), {"ranking": ["a", "", "b"]}, "ranking.1"),
        (Method.IRV, ("a", "b", "c"), {"ranking": ["z"]}, "ranking.0"),
        (Method.IRV, ("a", "b", "c"), {"choice": "a"}, "choice"),
        (Method.CONSENT, None, {"choice": "block"}, "reason"),
        (Method.CONSENT, None, {"choice": "block", "reason": "   "}, "reason"),
        (Method.CONSENT, None, {"choice": "agree", "reason": "x" * 2001}, "reason"),
        (Method.CONSENT, None, {"choice": "agree", "weight": 2}, "weight"),
    ],
)
def test_bad_ballots_are_refused(method: Method, options: tuple[str, ...] | None, body: dict[str, Any], field: str) -> None:
    seats = 1
    assert refusal(read_ballot, proposal(method, options, seats=seats), body).field == field


def test_a_block_with_a_reason_is_accepted() -> None:
    ballot = read_ballot(proposal(Method.CONSENT), {"choice": "block", "reason": "It breaks our safeguarding policy."})
    assert ballot.choices == ("block",) and ballot.reason.startswith("It breaks")


def test_ranking_from_typed_numbers() -> None:
    ranked = proposal(Method.IRV, ("a", "b", "c", "d"))
    assert ranking_from_numbers(ranked, {"a": "2", "b": "", "c": "1", "d": " "}) == ["c", "a"]
    assert refusal(ranking_from_numbers, ranked, {"a": "1", "b": "3"}).field == "ranking"  # a gap at 2
    assert refusal(ranking_from_numbers, ranked, {"a": "1", "b": "1"}).field == "rank.b"  # a repeat
    assert refusal(ranking_from_numbers, ranked, {"a": "one"}).field == "rank.a"
    assert refusal(ranking_from_numbers, ranked, {"a": "9"}).field == "rank.a"
    assert refusal(ranking_from_numbers, ranked, {}).field == "ranking"
