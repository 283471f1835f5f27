"""A chapter keeps the newest of the network's running tallies, whatever
order the Update(Question)s arrive in (docs/networks.md, `fc:tally`)."""
from __future__ import annotations

from fedchapter.networks.tally import supersedes


def tally(updated: str | None, *, final: bool = False) -> dict[str, object]:
    return {"outcome": "passed", "final": final, "updated": updated}


def test_the_first_tally_is_kept() -> None:
    assert supersedes(tally("2026-05-01T10:00:00.000001Z"), None)


def test_a_newer_tally_replaces_an_older_one_and_not_the_other_way_round() -> None:
    older, newer = tally("2026-05-01T10:00:00.000001Z"), tally("2026-05-01T10:00:00.000002Z")
    assert supersedes(newer, older)
    assert not supersedes(older, newer)


def test_times_in_other_zones_compare_as_moments() -> None:
    assert not supersedes(tally("2026-05-01T11:30:00+02:00"), tally("2026-05-01T10:00:00Z"))


def test_a_final_tally_is_replaced_only_by_a_final_one() -> None:
    final = tally("2026-05-01T10:00:00Z", final=True)
    assert not supersedes(tally("2026-05-02T10:00:00Z"), final)
    assert supersedes(tally("2026-05-02T10:00:00Z", final=True), final)


def test_a_tally_without_a_time_replaces_one_that_is_not_final() -> None:
    assert supersedes(tally(None), tally("2026-05-01T10:00:00Z"))
    assert supersedes(tally("not a time"), tally("2026-05-01T10:00:00Z"))
    assert not supersedes(tally(None), tally("2026-05-01T10:00:00Z", final=True))
