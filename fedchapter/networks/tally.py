"""A network's tally of its member chapters' reports (docs/networks.md).

Each reporting chapter counts once under the ``chapters`` rule and with its
weight (the delegates it sends) under ``delegates``. The proposal passes
when the reports saying ``passed`` are more than half of all reports, by
number or by weight; with no report at all the outcome is ``no-quorum``.
The tally is live while the proposal is open and final once it closes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fedchapter.clock import to_iso_microseconds, zoned_moment
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
    # When the network computed it: carried as `fc:tally.updated`, so a
    # chapter keeps the newest tally whatever order the Updates arrive in.
    as_of: datetime | None = None


def network_tally(
    offered: tuple[str, ...], reports: list[ChapterResult], weights: dict[str, int], rule: NetworkRule,
    as_of: datetime | None = None,
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
        weighted=weighted, outcome=outcome, as_of=as_of,
    )


def supersedes(incoming: dict[str, Any], kept: dict[str, Any] | None) -> bool:
    """Whether a tally received from the network (as the API shows it) replaces
    the one a chapter keeps. Updates may arrive out of order (retries, several
    delivery workers): an older one never replaces a newer one. A final tally
    is replaced only by a final one; a tally without `updated` (older
    software) replaces any tally that is not final."""
    if kept is None:
        return True
    if kept.get("final") and not incoming.get("final"):
        return False
    new, old = zoned_moment(incoming.get("updated")), zoned_moment(kept.get("updated"))
    return new is None or old is None or new >= old


def tally_order(tally: dict[str, Any]) -> tuple[str | None, bool]:
    """A received tally's place in the order :func:`supersedes` decides, as a
    store keeps it beside the tally to decide in the statement that writes
    (docs/networks.md, "Order"): its `updated` in UTC to the microsecond, in
    one fixed form so that text order is time order (None when unknown), and
    whether it is final."""
    moment = zoned_moment(tally.get("updated"))
    stamp = None if moment is None else to_iso_microseconds(moment)
    return stamp, bool(tally.get("final"))
