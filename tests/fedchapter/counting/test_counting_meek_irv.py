"""Meek STV and instant runoff on small counts worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fedchapter.counting import Election, count, count_irv, count_meek_stv
from tests.fedchapter.counting.counting_helpers import election

FOOD = Election(
    # https://en.wikipedia.org/wiki/Single_transferable_vote, "Example".
    title="party food",
    candidates=("Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"),
    seats=3,
    ballots=((4, (0,)), (2, (1, 0)), (8, (2, 3)), (4, (2, 4)), (1, (3,)), (1, (4,))),
)


def test_meek_wikipedia_example() -> None:
    assert set(count_meek_stv(FOOD).elected) == {"Chocolate", "Oranges", "Strawberries"}


def test_meek_keep_value_settles_at_quota_over_votes() -> None:
    # 15 papers, 2 seats, none exhaust: quota 15/3 = 5 (+ 0.000000001). A (8) is
    # elected; A's keep value settles at 5.000000001/8 rounded up = 0.625000001,
    # so C gets 3 + 8 x 0.374999999 = 5.999999992 and is elected.
    result = count_meek_stv(election(2, (8, "AC"), (4, "B"), (3, "C")))
    assert result.stages[0].elected == ("A",)
    second = result.stages[1]
    assert second.elected == ("C",)
    assert second.tallies["C"] == Decimal("5.999999992")
    assert second.tallies["A"] == Decimal("5.000000008")
    assert "A 0.625000001" in (second.note or "")
    assert result.elected == ("A", "C")


def test_meek_conserves_every_paper_exactly() -> None:
    result = count_meek_stv(election(3, (10, "ABC"), (8, "BAD"), (3, "C"), (3, "D"), (2, "DBA")))
    for stage in result.stages:
        assert sum(stage.tallies.values()) + stage.exhausted == result.valid_ballots


def test_meek_reaches_back_to_earlier_winners_papers() -> None:
    # Unlike Scottish STV, Meek lets A's surplus flow through the already-elected B
    # on to C: with 3 seats A and B are elected first, and both surpluses reach C.
    result = count_meek_stv(election(3, (10, "ABC"), (8, "BAD"), (3, "C"), (3, "D")))
    assert result.elected[:2] == ("A", "B")
    assert result.elected[2] == "C"


def test_meek_lot_is_reproducible() -> None:
    ballots = election(1, (4, "A"), (2, "B"), (2, "C"))
    assert count_meek_stv(ballots, seed=3) == count_meek_stv(ballots, seed=3)
    assert "lot" in (count_meek_stv(ballots, seed=3).stages[1].note or "")


def test_irv_tennessee_example() -> None:
    # https://en.wikipedia.org/wiki/Instant-runoff_voting, the Tennessee capital
    # example: Chattanooga, then Nashville, are excluded; Knoxville wins 58 to 42.
    tennessee = Election(
        title="Tennessee capital",
        candidates=("Memphis", "Nashville", "Chattanooga", "Knoxville"),
        seats=1,
        ballots=((42, (0, 1, 2, 3)), (26, (1, 2, 3, 0)), (15, (2, 3, 1, 0)), (17, (3, 2, 1, 0))),
    )
    result = count_irv(tennessee)
    assert [stage.excluded for stage in result.stages[1:]] == [("Chattanooga",), ("Nashville",)]
    assert result.stages[-1].tallies == {"Memphis": 42, "Nashville": 0, "Chattanooga": 0, "Knoxville": 58}
    assert result.elected == ("Knoxville",)
    assert result.quota == 51


def test_irv_majority_is_of_continuing_votes() -> None:
    # After C goes, 3 papers exhaust: A's 5 of the 9 still in play is a majority.
    result = count_irv(election(1, (5, "A"), (4, "B"), (3, "C")))
    assert result.stages[1].exhausted == 3
    assert result.elected == ("A",)
    assert result.quota == 5


def test_irv_exclusion_tie_uses_earlier_stage_then_lot() -> None:
    # After D's papers move, B and C tie on 4; at stage 1 C had fewer, so C goes.
    result = count_irv(election(1, (6, "A"), (4, "B"), (3, "C"), (1, "DC"), (2, "EA")))
    assert result.stages[1].excluded == ("D",)
    assert result.stages[2].excluded == ("E",)
    assert result.stages[3].excluded == ("C",)
    assert "stage" in (result.stages[3].note or "")
    assert result.elected == ("A",)


def test_irv_refuses_more_than_one_seat() -> None:
    with pytest.raises(ValueError, match="one seat"):
        count_irv(election(2, (1, "A"), (1, "B")))


def test_count_dispatches_by_method_name() -> None:
    assert count(FOOD, "scottish-stv").method == "scottish-stv"
    assert count(FOOD, "meek-stv").method == "meek-stv"
    assert count(FOOD.with_seats(1), "irv").elected == ("Chocolate",)
    with pytest.raises(ValueError, match="unknown counting method"):
        count(FOOD, "borda")
