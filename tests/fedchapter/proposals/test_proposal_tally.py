"""The tally of every method, on hand-worked and published examples."""
from __future__ import annotations

from decimal import Decimal

from fedchapter.proposals.model import Method, Outcome, StvRule
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.proposals.tally import tally
from tests.fedchapter.proposals.proposal_helpers import proposal, votes


# Yes / no -----------------------------------------------------------------------
def test_yes_no_simple_majority_ignores_abstentions() -> None:
    # 2 for, 1 against, 5 abstain: for > against, so it passes although only
    # 2 of 8 voters said yes: abstentions never count toward the threshold.
    result = tally(proposal(Method.YES_NO), votes((2, ("yes",)), (1, ("no",)), (5, ("abstain",))), 10)
    assert result.counts == {"yes": 2, "no": 1, "abstain": 5}
    assert result.voters == 8
    assert result.outcome is Outcome.PASSED
    assert result.quorum_met


def test_yes_no_tie_is_rejected_under_simple_majority() -> None:
    result = tally(proposal(Method.YES_NO), votes((3, ("yes",)), (3, ("no",))), 10)
    assert result.outcome is Outcome.REJECTED


def test_two_thirds_is_met_exactly_at_two_thirds() -> None:
    two_thirds = proposal(Method.YES_NO, threshold=Threshold.TWO_THIRDS)
    assert tally(two_thirds, votes((2, ("yes",)), (1, ("no",))), 3).outcome is Outcome.PASSED
    # 6 of 10 is below two thirds.
    assert tally(two_thirds, votes((6, ("yes",)), (4, ("no",))), 10).outcome is Outcome.REJECTED


def test_unanimity_fails_on_one_no_but_not_on_abstentions() -> None:
    unanimous = proposal(Method.YES_NO, threshold=Threshold.UNANIMITY)
    assert tally(unanimous, votes((9, ("yes",)), (1, ("abstain",))), 10).outcome is Outcome.PASSED
    assert tally(unanimous, votes((9, ("yes",)), (1, ("no",))), 10).outcome is Outcome.REJECTED


def test_everyone_abstaining_passes_nothing() -> None:
    for threshold in Threshold:
        result = tally(proposal(Method.YES_NO, threshold=threshold), votes((4, ("abstain",))), 4)
        assert result.outcome is Outcome.REJECTED


# Quorum ---------------------------------------------------------------------------
def test_quorum_as_a_number_counts_abstentions() -> None:
    needs_three = proposal(Method.YES_NO, quorum=Quorum(voters=3))
    assert tally(needs_three, votes((2, ("yes",))), 10).outcome is Outcome.NO_QUORUM
    result = tally(needs_three, votes((2, ("yes",)), (1, ("abstain",))), 10)
    assert result.quorum_met and result.outcome is Outcome.PASSED


def test_quorum_as_a_percentage_of_members_rounds_up() -> None:
    quarter = proposal(Method.YES_NO, quorum=Quorum.parse("25%"))
    # 25% of 10 members is 2.5 voters: 3 are needed.
    below = tally(quarter, votes((2, ("yes",))), 10)
    assert (below.outcome, below.quorum_met, below.quorum_required) == (Outcome.NO_QUORUM, False, 3)
    assert tally(quarter, votes((3, ("yes",))), 10).quorum_met
    # The member count is the one at the close: with 12 members, 3 still suffice; with 13, 4.
    assert tally(quarter, votes((3, ("yes",))), 12).quorum_met
    assert not tally(quarter, votes((3, ("yes",))), 13).quorum_met


def test_quorum_parsing() -> None:
    assert Quorum.parse(12) == Quorum(voters=12)
    assert Quorum.parse("12") == Quorum(voters=12)
    assert Quorum.parse("33.5%") == Quorum(percent=Decimal("33.5"))
    assert str(Quorum.parse("50%")) == "50%"
    assert Quorum.parse("100%").required(7) == 7
    for bad in ("0%", "101%", "x%", "-3", True, 0, "nan%", 1.5):
        try:
            Quorum.parse(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")


def test_no_quorum_still_reports_the_counts() -> None:
    result = tally(proposal(Method.SINGLE, ("a", "b"), quorum=Quorum(voters=5)), votes((2, ("a",))), 10)
    assert result.outcome is Outcome.NO_QUORUM
    assert result.counts == {"a": 2, "b": 0}
    assert result.winners == ()


# Consent --------------------------------------------------------------------------
def test_a_single_block_stops_a_proposal_everyone_else_agrees_with() -> None:
    result = tally(proposal(Method.CONSENT), votes((11, ("agree",)), (1, ("block",))), 12)
    assert result.outcome is Outcome.BLOCKED
    assert result.counts["block"] == 1


def test_consent_passes_when_the_block_is_withdrawn() -> None:
    # The blocking member changes to "disagree": the block no longer stands,
    # and 11 agree against 1 disagree passes by simple majority.
    result = tally(proposal(Method.CONSENT), votes((11, ("agree",)), (1, ("disagree",))), 12)
    assert result.outcome is Outcome.PASSED


def test_consent_weighs_agree_against_disagree() -> None:
    result = tally(proposal(Method.CONSENT), votes((2, ("agree",)), (3, ("disagree",)), (4, ("abstain",))), 9)
    assert result.outcome is Outcome.REJECTED


# Single and multiple choice ----------------------------------------------------------
def test_single_choice_plurality_and_tie() -> None:
    options = ("Tuesday", "Wednesday", "Thursday")
    result = tally(proposal(Method.SINGLE, options), votes((4, ("Tuesday",)), (3, ("Wednesday",)), (2, ("Thursday",))), 9)
    assert (result.outcome, result.winners) == (Outcome.PASSED, ("Tuesday",))
    tie = tally(proposal(Method.SINGLE, options), votes((3, ("Tuesday",)), (3, ("Wednesday",))), 9)
    assert (tie.outcome, tie.winners) == (Outcome.REJECTED, ())


def test_single_choice_with_a_threshold_needs_that_share_of_all_votes() -> None:
    options = ("a", "b", "c")
    majority = proposal(Method.SINGLE, options, threshold=Threshold.SIMPLE_MAJORITY)
    # 4 of 9 leads but is not more than half.
    assert tally(majority, votes((4, ("a",)), (3, ("b",)), (2, ("c",))), 9).outcome is Outcome.REJECTED
    assert tally(majority, votes((5, ("a",)), (3, ("b",)), (1, ("c",))), 9).winners == ("a",)


def test_approval_winners() -> None:
    options = ("pizza", "curry", "salad")
    cast = votes((3, ("pizza", "curry")), (2, ("curry",)), (1, ("salad", "pizza")))
    result = tally(proposal(Method.MULTIPLE, options), cast, 6)
    assert result.counts == {"pizza": 4, "curry": 5, "salad": 1}
    assert (result.outcome, result.winners) == (Outcome.PASSED, ("curry",))
    # With simple majority every option approved by more than half of the 6 voters wins.
    majority = tally(proposal(Method.MULTIPLE, options, threshold=Threshold.SIMPLE_MAJORITY), cast, 6)
    assert majority.winners == ("pizza", "curry")
    two_thirds = tally(proposal(Method.MULTIPLE, options, threshold=Threshold.TWO_THIRDS), cast, 6)
    assert two_thirds.winners == ("pizza", "curry")  # 4 of 6 is exactly two thirds
    unanimous = tally(proposal(Method.MULTIPLE, options, threshold=Threshold.UNANIMITY), cast, 6)
    assert (unanimous.outcome, unanimous.winners) == (Outcome.REJECTED, ())


# Ranked ----------------------------------------------------------------------------
TENNESSEE = ("Memphis", "Nashville", "Chattanooga", "Knoxville")


def test_irv_tennessee_capital_example() -> None:
    # The worked example of Wikipedia's "Instant-runoff voting" article (the
    # Tennessee capital election): Memphis leads on first preferences (42) but
    # Knoxville wins after Chattanooga and then Nashville are excluded.
    cast = votes(
        (42, ("Memphis", "Nashville", "Chattanooga", "Knoxville")),
        (26, ("Nashville", "Chattanooga", "Knoxville", "Memphis")),
        (15, ("Chattanooga", "Knoxville", "Nashville", "Memphis")),
        (17, ("Knoxville", "Chattanooga", "Nashville", "Memphis")),
    )
    result = tally(proposal(Method.IRV, TENNESSEE), cast, 100)
    assert result.outcome is Outcome.ELECTED
    assert result.elected == ("Knoxville",)
    assert result.counts == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert result.stages[0]["tallies"] == result.counts
    excluded = [name for stage in result.stages for name in stage["excluded"]]
    assert excluded[:2] == ["Chattanooga", "Nashville"]
    assert result.stages[-1]["tallies"]["Knoxville"] == 58
    assert result.to_dict()["stages"][0]["elected"] == []


FOOD = ("Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers")
FOOD_BALLOTS = (
    (4, ("Oranges",)),
    (2, ("Pears", "Oranges")),
    (8, ("Chocolate", "Strawberries")),
    (4, ("Chocolate", "Hamburgers")),
    (1, ("Strawberries",)),
    (1, ("Hamburgers",)),
)


def test_stv_food_election_scottish_rule() -> None:
    # The worked example of Wikipedia's "Single transferable vote" article: 20
    # voters, 3 seats, Droop quota floor(20/4)+1 = 6. Chocolate's surplus of 6
    # moves at 6/12 per paper (4 to Strawberries, 2 to Hamburgers); Pears is
    # excluded and elects Oranges; Strawberries (5) beats Hamburgers (3).
    result = tally(proposal(Method.STV, FOOD, seats=3), votes(*FOOD_BALLOTS), 20)
    assert result.outcome is Outcome.ELECTED
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")
    assert result.quota == 6
    assert result.counting_method == "scottish-stv"
    after_surplus = result.stages[1]["tallies"]
    assert after_surplus["Strawberries"] == 5 and after_surplus["Hamburgers"] == 3
    document = result.to_dict()
    assert set(document) >= {"counts", "voters", "outcome", "quorum_met", "elected", "stages"}
    assert all({"tallies", "elected", "excluded"} <= set(stage) for stage in document["stages"])


def test_stv_food_election_meek_rule_elects_the_same() -> None:
    meek = proposal(Method.STV, FOOD, seats=3)
    meek = type(meek)(**{**meek.__dict__, "stv_rule": StvRule.MEEK})
    result = tally(meek, votes(*FOOD_BALLOTS), 20)
    assert result.counting_method == "meek-stv"
    assert set(result.elected) == {"Chocolate", "Oranges", "Strawberries"}


def test_ranked_without_votes_elects_nobody() -> None:
    result = tally(proposal(Method.IRV, TENNESSEE), [], 10)
    assert (result.outcome, result.elected, result.stages) == (Outcome.REJECTED, (), ())


def test_ranked_below_quorum_shows_the_count_but_elects_nobody() -> None:
    short = proposal(Method.IRV, TENNESSEE, quorum=Quorum(voters=50))
    result = tally(short, votes((3, ("Memphis",)), (2, ("Knoxville",))), 100)
    assert (result.outcome, result.elected) == (Outcome.NO_QUORUM, ())
    assert result.stages


def test_results_survive_a_round_trip_through_json() -> None:
    from fedchapter.proposals.tally import ProposalResult

    result = tally(proposal(Method.STV, FOOD, seats=3), votes(*FOOD_BALLOTS), 20)
    assert ProposalResult.from_dict(result.to_dict()) == result
    simple = tally(proposal(Method.YES_NO), votes((2, ("yes",))), 3)
    assert ProposalResult.from_dict(simple.to_dict()) == simple


# Consent objections --------------------------------------------------------------
def test_a_consent_result_names_every_block_and_disagreement_with_its_reason() -> None:
    from dataclasses import replace

    from fedchapter.proposals.tally import ProposalResult

    cast = votes((1, ("disagree",)), (1, ("agree",)), (1, ("block",)))
    cast = [replace(cast[0], reason=""), cast[1], replace(cast[2], reason="Unsafe for new members.")]
    result = tally(proposal(Method.CONSENT), cast, 5)
    # Blocks first: they decide the outcome.
    assert [(o.voter, o.choice, o.reason) for o in result.objections] == [
        (cast[2].voter, "block", "Unsafe for new members."), (cast[0].voter, "disagree", "")]
    assert ProposalResult.from_dict(result.to_dict()).objections == result.objections


def test_other_methods_have_no_objections() -> None:
    assert tally(proposal(Method.YES_NO), votes((1, ("no",))), 3).objections == ()
