"""Scottish STV on small counts worked by hand from SSI 2007/42 Sch. 1 rules 45-52."""

from __future__ import annotations

import random
from decimal import Decimal

from fedchapter.counting import CountResult, Election, count_scottish_stv, parse_blt
from tests.fedchapter.counting.counting_helpers import election


def tallies(result: CountResult, stage: int) -> dict[str, Decimal]:
    return result.stages[stage - 1].tallies


def assert_votes_conserved(result: CountResult) -> None:
    """Every stage: candidates + non-transferable + rounding losses == valid papers."""
    for stage in result.stages:
        total = sum(stage.tallies.values()) + stage.exhausted + stage.lost_to_rounding
        assert total == result.valid_ballots, f"stage {stage.number}"


def test_wikipedia_example() -> None:
    # The worked example of https://en.wikipedia.org/wiki/Single_transferable_vote
    # ("Example", food for a party: 20 voters, 3 seats, Droop quota 6), as also
    # used by the STVPoll test suite (stvpoll_testing/test_wikipedia_example.py).
    food = Election(
        title="party food",
        candidates=("Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"),
        seats=3,
        ballots=((4, (0,)), (2, (1, 0)), (8, (2, 3)), (4, (2, 4)), (1, (3,)), (1, (4,))),
    )
    result = count_scottish_stv(food)
    assert result.quota == 6
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")
    # Stage 2: Chocolate's surplus of 6 at 6/12 = 0.5: +4 Strawberries, +2 Hamburgers.
    assert result.stages[1].action == "surplus of Chocolate"
    assert tallies(result, 2)["Strawberries"] == 5
    assert tallies(result, 2)["Hamburgers"] == 3
    # Stage 3: Pears excluded, both papers to Oranges, who reaches the quota.
    assert result.stages[2].excluded == ("Pears",)
    assert result.stages[2].elected == ("Oranges",)
    # Stage 4: Hamburgers excluded; Strawberries alone fills the last seat (rule 52).
    assert result.stages[3].excluded == ("Hamburgers",)
    assert result.stages[3].elected == ("Strawberries",)
    assert_votes_conserved(result)


def test_surplus_and_exclusion_tie_broken_by_earlier_stage() -> None:
    # 15 papers, 2 seats: quota floor(15/3)+1 = 6. A has 8; surplus 2 at 2/8 = 0.25
    # gives B 6 x 0.25 = 1.5 and C 2 x 0.25 = 0.5: B and C tie on 4.5. Rule 51(2):
    # at stage 1 B had 3 and C 4, so B is excluded; C then fills the seat (rule 52).
    result = count_scottish_stv(election(2, (6, "AB"), (2, "AC"), (3, "B"), (4, "C")))
    assert result.quota == 6
    assert tallies(result, 2) == {"A": 6, "B": Decimal("4.5"), "C": Decimal("4.5")}
    assert result.stages[1].transfers == {"A": -2, "B": Decimal("1.5"), "C": Decimal("0.5")}
    assert result.stages[2].excluded == ("B",)
    assert "stage 1" in (result.stages[2].note or "")
    # B's own 3 papers and the 6 at 0.25 have no next preference: 4.5 non-transferable.
    assert result.stages[2].exhausted == Decimal("4.5")
    assert result.elected == ("A", "C")
    assert_votes_conserved(result)


def test_transfer_values_are_truncated_to_five_places() -> None:
    # Quota 6; A's surplus of 1 from 7 votes: 1/7 = 0.142857... -> 0.14285 per paper
    # (rule 48(3), "any remainder being ignored"): 7 x 0.14285 = 0.99995 to B.
    result = count_scottish_stv(election(2, (7, "AB"), (3, "B"), (5, "C")))
    assert tallies(result, 2)["B"] == Decimal("3.99995")
    assert result.stages[1].lost_to_rounding == Decimal("0.00005")
    assert result.elected == ("A", "C")
    assert_votes_conserved(result)


def test_papers_skip_candidates_already_elected_with_surplus_pending() -> None:
    # 24 papers, 3 seats: quota 7. A (10) and B (8) are both elected at stage 1.
    # A's larger surplus goes first (rule 49(1)); its papers rank B next, but B is
    # already deemed elected, so they pass to C (art. 2 "next available preference").
    result = count_scottish_stv(election(3, (10, "ABC"), (8, "BAD"), (3, "C"), (3, "D")))
    assert result.quota == 7
    assert result.stages[0].elected == ("A", "B")
    assert result.stages[1].action == "surplus of A"
    assert result.stages[1].transfers == {"A": -3, "C": 3}
    assert tallies(result, 2)["B"] == 8
    # Then B's surplus of 1 at 1/8: skips A, so D gains 8 x 0.125 = 1.
    assert result.stages[2].action == "surplus of B"
    assert result.stages[2].transfers == {"B": -1, "D": 1}
    assert result.stages[3].excluded == ("D",)
    assert result.elected == ("A", "B", "C")
    assert_votes_conserved(result)


def test_equal_surpluses_ordered_by_earlier_stage() -> None:
    # 37 papers, 4 seats: quota 8. A's surplus of 8 at 0.5 lifts B (7 + 3.5) and
    # C (6 + 4.5) to 10.5 each: both elected at stage 2 with equal surpluses of 2.5.
    # Rule 49(2): B had more at stage 1, so B is elected first and B's surplus moves first.
    result = count_scottish_stv(
        election(4, (7, "ABD"), (9, "ACE"), (7, "BD"), (6, "CE"), (5, "D"), (3, "E"))
    )
    assert result.quota == 8
    assert result.stages[1].elected == ("B", "C")
    assert result.stages[2].action == "surplus of B"
    assert "stage 1" in (result.stages[2].note or "")
    # B's papers: 7 first preferences at 2.5/10.5 = 0.23809 and 7 from A at
    # 0.5 x 2.5/10.5 = 0.11904, all to D: 1.66663 + 0.83328.
    assert tallies(result, 3)["D"] == Decimal("7.49991")
    assert result.stages[3].action == "surplus of C"
    assert tallies(result, 4)["E"] == Decimal("5.49990")
    assert result.elected == ("A", "B", "C", "D")
    assert_votes_conserved(result)


def test_tie_at_every_stage_is_decided_by_a_reproducible_lot() -> None:
    # B and C tie on 2 at the only stage there is: rule 51(2)(b), by lot.
    ballots = election(1, (4, "A"), (2, "B"), (2, "C"))
    first = count_scottish_stv(ballots, seed=7)
    again = count_scottish_stv(ballots, seed=7)
    assert first == again
    loser = first.stages[1].excluded[0]
    assert loser == "BC"[random.Random(7).choice([1, 2]) - 1]
    note = first.stages[1].note or ""
    assert "lot" in note and "seed 7" in note and f"{loser} drawn" in note
    assert first.elected == ("A",)
    seen = {count_scottish_stv(ballots, seed=seed).stages[1].excluded for seed in range(20)}
    assert seen == {("B",), ("C",)}


def test_default_seed_is_the_title() -> None:
    ballots = election(1, (4, "A"), (2, "B"), (2, "C"), title="Ward 9")
    assert count_scottish_stv(ballots) == count_scottish_stv(ballots, seed="Ward 9")


def test_withdrawn_candidate_is_skipped_and_not_in_the_quota() -> None:
    # B withdrew: the 5 "B A" papers count for A; the 2 papers for B alone are void,
    # so the quota is floor(10/2)+1 = 6 from 10 valid papers, not 12.
    result = count_scottish_stv(parse_blt('3 1\n-2\n5 2 1 0\n2 2 0\n2 1 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n'))
    assert result.valid_ballots == 10
    assert result.quota == 6
    assert "B" not in tallies(result, 1)
    assert tallies(result, 1) == {"A": 7, "C": 3}
    assert result.elected == ("A",)


def test_exact_quota_has_no_surplus_to_transfer() -> None:
    # Quota 4 of 9 papers for 2 seats; A has exactly 4, elected with nothing to pass on.
    result = count_scottish_stv(election(2, (4, "AB"), (3, "B"), (2, "C")))
    assert result.stages[0].elected == ("A",)
    assert result.stages[1].action == "exclusion of C"
    assert result.elected == ("A", "B")


def test_fewer_candidates_than_seats_elects_everyone() -> None:
    result = count_scottish_stv(election(3, (5, "A"), (1, "B")))
    assert set(result.elected) == {"A", "B"}
    assert len(result.stages) == 1


def test_to_dict_is_json_ready() -> None:
    result = count_scottish_stv(election(2, (7, "AB"), (3, "B"), (5, "C")))
    data = result.to_dict()
    assert data["method"] == "scottish-stv"
    assert data["quota"] == 6
    assert data["elected"] == ["A", "C"]
    stage = data["stages"][1]
    assert stage["tallies"] == {"A": 6, "B": 3.99995, "C": 5}
    assert stage["transfers"] == {"A": -1, "B": 0.99995}
    assert stage["action"] == "surplus of A"
    assert data["stages"][2]["excluded"] == ["B"]
