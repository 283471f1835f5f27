"""The outcome of a count: who was elected, and every stage that got there.

Vote totals are exact `Decimal`s (the counting methods work in fixed-point
integers and convert once, here); `to_dict()` gives JSON-ready numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Stage:
    """One stage of a count (first preferences, one transfer, or one exclusion).

    `tallies` are every standing candidate's votes at the end of the stage;
    `transfers` the change this stage made to each (the candidate whose papers
    moved shows a negative change); `exhausted` the cumulative value of
    non-transferable papers; `lost_to_rounding` the cumulative value dropped by
    truncating transfer values; `elected` and `excluded` the candidates deemed
    elected or excluded at this stage, in order; `note` anything a scrutineer
    should read, such as how a tie was broken (and any lot drawn).
    """

    number: int
    action: str
    tallies: dict[str, Decimal]
    transfers: dict[str, Decimal] = field(default_factory=dict)
    exhausted: Decimal = Decimal(0)
    lost_to_rounding: Decimal = Decimal(0)
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self, places: int) -> dict[str, Any]:
        return {
            "number": self.number,
            "action": self.action,
            "tallies": {name: json_number(votes, places) for name, votes in self.tallies.items()},
            "transfers": {name: json_number(delta, places) for name, delta in self.transfers.items()},
            "exhausted": json_number(self.exhausted, places),
            "lost_to_rounding": json_number(self.lost_to_rounding, places),
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "note": self.note,
        }


@dataclass(frozen=True)
class CountResult:
    """A finished count.

    `elected` lists names in order of election; `quota` is the final quota
    (Meek's quota moves during the count; IRV's is the last majority needed);
    `places` is the number of decimal places the method counts in.
    """

    method: str
    title: str
    seats: int
    candidates: tuple[str, ...]
    valid_ballots: int
    quota: Decimal
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    places: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "title": self.title,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "valid_ballots": self.valid_ballots,
            "quota": json_number(self.quota, self.places),
            "elected": list(self.elected),
            "stages": [stage.to_dict(self.places) for stage in self.stages],
        }


def json_number(value: Decimal, places: int) -> int | float:
    """`value` as a JSON number: an int when whole, else a float rounded to `places`."""
    if value == value.to_integral_value():
        return int(value)
    return round(float(value), places)


def from_units(units: int, places: int) -> Decimal:
    """The Decimal for a fixed-point integer counted in units of 10**-places."""
    return Decimal(units).scaleb(-places)
