"""A network's tally of its member chapters' reports (docs/networks.md).

Each reporting chapter counts once under the ``chapters`` rule and with its
weight (the delegates it sends) under ``delegates``. The proposal passes
when the reports saying ``passed`` are more than half of all reports, by
number or by weight; with no report at all the outcome is ``no-quorum``.
The tally is live while the proposal is open and final once it closes.
"""
from __future__ import annotations

from dataclasses import dataclass

from fedchapter.networks.model import NetworkRule
from fedchapter.proposals.model import ChapterResult

# Every outcome a chapter may report is a key of `weighted`, even at zero.
REPORTED_OUTCOMES = ("passed", "rejected", "blocked", "no-quorum")


@dataclass(frozen=True)
class NetworkTally:
    rule: NetworkRule
    reports: list[tuple[ChapterResult, int]]  # each report with the chapter's weight
    pending: list[str]  # offered chapters that have not reported
    weighted: dict[str, int]
    outcome: str


def network_tally(
    offered: tuple[str, ...], reports: list[ChapterResult], weights: dict[str, int], rule: NetworkRule
) -> NetworkTally:
    # Only offered chapters count (the inbox refuses the others; this keeps the rule in one place).
    counted = [(report, weights.get(report.chapter, 1)) for report in reports if report.chapter in offered]
    reported = {report.chapter for report, _ in counted}
    weighted = dict.fromkeys(REPORTED_OUTCOMES, 0)
    for report, weight in counted:
        weighted[report.outcome] = weighted.get(report.outcome, 0) + weight
    if not counted:
        outcome = "no-quorum"
    elif rule is NetworkRule.DELEGATES:
        total = sum(weight for _, weight in counted)
        outcome = "passed" if 2 * weighted["passed"] > total else "rejected"
    else:
        passed = sum(1 for report, _ in counted if report.outcome == "passed")
        outcome = "passed" if 2 * passed > len(counted) else "rejected"
    return NetworkTally(
        rule=rule, reports=counted, pending=[chapter for chapter in offered if chapter not in reported],
        weighted=weighted, outcome=outcome,
    )
