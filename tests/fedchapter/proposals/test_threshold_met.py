"""Whether a closed proposal reached its threshold, said beside its result."""
from __future__ import annotations

from dataclasses import replace

from fedchapter.proposals.model import Method
from fedchapter.proposals.rules import Quorum, Threshold
from fedchapter.proposals.tally import tally, threshold_met
from tests.fedchapter.proposals.proposal_helpers import proposal, votes


def _closed(method: Method, cast: list, members: int = 10, **settings: object):  # type: ignore[no-untyped-def]
    open_one = proposal(method, **settings)  # type: ignore[arg-type]
    return replace(open_one, result=tally(open_one, cast, members))


def test_two_thirds_met_and_missed() -> None:
    met = _closed(Method.YES_NO, votes((4, ("yes",)), (2, ("no",))), threshold=Threshold.TWO_THIRDS)
    missed = _closed(Method.YES_NO, votes((3, ("yes",)), (2, ("no",))), threshold=Threshold.TWO_THIRDS)
    assert threshold_met(met) is True and threshold_met(missed) is False


def test_consent_without_a_threshold_is_judged_by_simple_majority() -> None:
    assert threshold_met(_closed(Method.CONSENT, votes((3, ("agree",)), (1, ("disagree",))))) is True


def test_nothing_to_say_without_a_result_a_quorum_or_a_threshold() -> None:
    assert threshold_met(proposal(Method.YES_NO)) is None
    no_quorum = _closed(Method.YES_NO, votes((1, ("yes",))), quorum=Quorum(voters=5))
    assert threshold_met(no_quorum) is None
    assert threshold_met(_closed(Method.SINGLE, votes((2, ("a",))), options=("a", "b"))) is None
    assert threshold_met(_closed(Method.SINGLE, votes((2, ("a",)), (1, ("b",))), options=("a", "b"),
                                 threshold=Threshold.TWO_THIRDS)) is True
