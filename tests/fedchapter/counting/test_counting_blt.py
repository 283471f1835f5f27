from __future__ import annotations

from pathlib import Path

import pytest

from fedchapter.counting import BltError, Election, parse_blt, read_blt

GOOD = """\
3 2
12 1 0

88 1 3 2 0
14 2 3 0
0
"Ann ALLAN (Party A)"
"Bob BROWN (Party B)"
"Cat ""Kitty"" CRAIG"
"Ward 1 - Somewhere"
"""


def test_parses_the_readme_example() -> None:
    election = parse_blt(GOOD)
    assert election == Election(
        title="Ward 1 - Somewhere",
        candidates=("Ann ALLAN (Party A)", "Bob BROWN (Party B)", 'Cat "Kitty" CRAIG'),
        seats=2,
        ballots=((12, (0,)), (88, (0, 2, 1)), (14, (1, 2))),
    )
    assert election.valid_ballot_count() == 114


def test_withdrawn_candidates_are_read_and_skipped_on_ballots() -> None:
    election = parse_blt('3 1\n-2\n5 2 1 0\n4 2 0\n3 3 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    assert election.withdrawn == frozenset({1})
    assert election.standing() == (0, 2)
    # The paper ranking only the withdrawn B is no vote for anyone.
    assert election.effective_ballots() == [(5, (0,)), (3, (2,))]


def test_several_withdrawn_on_one_line() -> None:
    election = parse_blt('3 1\n-1 -3\n5 2 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    assert election.withdrawn == frozenset({0, 2})


def test_slow_path_accepts_irregular_spacing() -> None:
    election = parse_blt('2 1\n 3  1\t2 0 \n0\n"A"\n"B"\n"T"\n')
    assert election.ballots == ((3, (0, 1)),)


def test_read_blt_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ward.blt"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    assert read_blt(path).seats == 2


def test_read_blt_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ward.blt"
    path.write_bytes(b'1 1\n1 1 0\n0\n"\xff"\n"T"\n')
    with pytest.raises(BltError, match="not UTF-8"):
        read_blt(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("3\n", "line 1: header: expected 'candidates seats'"),
        ("x 2\n", "line 1: header: expected whole numbers, found 'x'"),
        ("0 1\n0\n", "line 1: header: the number of candidates must be at least 1"),
        ("2 0\n0\n", "line 1: header: the number of seats must be at least 1"),
        ("# a comment\n2 1\n", "line 1: comments"),
        ('2 1\n-3\n0\n"A"\n"B"\n"T"\n', "line 2: withdrawn candidate 3 is not a candidate"),
        ('2 1\n1 1 0\n1 3 0\n0\n"A"\n"B"\n"T"\n', "line 3: ballot ranks candidate 3, but candidates are 1 to 2"),
        ('2 1\n1 1 1 0\n0\n"A"\n"B"\n"T"\n', "line 2: ballot ranks candidate 1 twice"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n"T"\n', "line 2: ballot line must end with 0"),
        ('2 1\n0 1 0\n0\n"A"\n"B"\n"T"\n', "line 2: ballot weight must be a positive whole number, not 0"),
        ('2 1\n1 1=2 0\n0\n"A"\n"B"\n"T"\n', "line 2: equal rankings"),
        ('2 1\n1 1 two 0\n0\n"A"\n"B"\n"T"\n', "line 2: ballot: expected whole numbers, found 'two'"),
        ('2 1\n1 1 0\n"A"\n"B"\n"T"\n', "line 3: expected a ballot line or the '0'"),
        ("2 1\n1 1 0\n", "the ballots must end with a line '0'"),
        ('2 1\n1 1 0\n0\n"A"\n', "expected 2 candidate names, found 1"),
        ('2 1\n1 1 0\n0\nAnn\n"B"\n"T"\n', "line 4: name of candidate 1: expected a double-quoted string"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n"T"\n', "candidate name 'A' appears twice"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n', "expected the election title"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', "line 7: unexpected text after the election title"),
        ('2 1\n1 1 0\n0\n"A "x" B"\n"B"\n"T"\n', "line 4: name of candidate 1: stray quote"),
    ],
)
def test_malformed_input_names_the_line(text: str, message: str) -> None:
    with pytest.raises(BltError) as caught:
        parse_blt(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_election_refuses_inconsistent_data() -> None:
    with pytest.raises(ValueError, match="seats"):
        Election("t", ("A",), 0, ())
    with pytest.raises(ValueError, match="unknown candidate"):
        Election("t", ("A",), 1, ((1, (1,)),))
    with pytest.raises(ValueError, match="twice"):
        Election("t", ("A", "B"), 1, ((1, (0, 0)),))
