"""Quorum and threshold: when a vote counts as a decision, and when it passes.

The rules, written down once:

* **Quorum** is met when the number of members who voted (abstentions
  included: abstaining is taking part) reaches the quorum. A quorum is either
  a number of voters or "N%" of the voting members at the close, rounded up
  (25% of 10 members is 3 voters).
* **Threshold** compares the votes *for* with the votes *for and against*;
  abstentions count toward the quorum but never toward the threshold.
  - simple-majority: more than half (for > against);
  - two-thirds: at least two thirds (3 × for ≥ 2 × (for + against));
  - unanimity: nobody against.
  Every threshold also needs at least one vote for: a proposal everyone
  abstained on has not passed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class Threshold(StrEnum):
    SIMPLE_MAJORITY = "simple-majority"
    TWO_THIRDS = "two-thirds"
    UNANIMITY = "unanimity"

    def is_met(self, in_favour: int, against: int) -> bool:
        if in_favour <= 0:
            return False
        if self is Threshold.SIMPLE_MAJORITY:
            return in_favour > against
        if self is Threshold.TWO_THIRDS:
            return 3 * in_favour >= 2 * (in_favour + against)
        return against == 0


@dataclass(frozen=True)
class Quorum:
    """A number of voters, or a percentage of the voting members."""

    voters: int | None = None
    percent: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.voters is None) == (self.percent is None):
            raise ValueError("a quorum is a number of voters or a percentage, not both")
        if self.voters is not None and self.voters < 1:
            raise ValueError("a quorum is at least one voter")
        if self.percent is not None and not Decimal(0) < self.percent <= Decimal(100):
            raise ValueError("a quorum percentage is above 0 and at most 100")

    def required(self, members: int) -> int:
        """Voters needed when the chapter has `members` voting members."""
        if self.voters is not None:
            return self.voters
        assert self.percent is not None
        return max(1, math.ceil(Decimal(members) * self.percent / Decimal(100)))

    def __str__(self) -> str:
        if self.voters is not None:
            return str(self.voters)
        return f"{self.percent.normalize():f}%" if self.percent is not None else ""

    def to_json(self) -> int | str:
        return self.voters if self.voters is not None else str(self)

    @classmethod
    def parse(cls, value: object) -> Quorum:
        """From the API: 12, "12" or "25%"; ValueError with a readable reason otherwise."""
        if isinstance(value, bool):
            raise ValueError("give a number of voters or a percentage such as \"25%\"")
        if isinstance(value, int):
            return cls(voters=value)
        if isinstance(value, str):
            text = value.strip()
            if text.endswith("%"):
                try:
                    percent = Decimal(text[:-1].strip())
                except InvalidOperation:
                    raise ValueError(f"{value!r} is not a percentage") from None
                if not percent.is_finite():
                    raise ValueError(f"{value!r} is not a percentage")
                return cls(percent=percent)
            if text.isdigit():
                return cls(voters=int(text))
        raise ValueError("give a number of voters or a percentage such as \"25%\"")
