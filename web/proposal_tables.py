"""The stage-by-stage table of a ranked count, for the proposal page.

The same layout as fedchapter.counting.render_table (candidates as rows,
stages as columns, `*` at election, `x` at exclusion, blank afterwards), built
from the stages frozen in the proposal's result so the page shows exactly
what was counted at the close.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fedchapter.proposals.model import Proposal
from web.count_words import stage_action, stage_note


@dataclass(frozen=True)
class StageCell:
    votes: str
    mark: str  # "elected", "excluded" or ""


@dataclass(frozen=True)
class StageTable:
    stages: list[dict[str, Any]]  # number, action, note
    rows: list[tuple[str, list[StageCell | None]]]  # None: already excluded
    exhausted: list[str]
    quota: str
    elected: list[str]


def _figure(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return str(value)


def stage_table(proposal: Proposal, language: str = "en") -> StageTable | None:
    """The table, with each stage's action and note in the page's language."""
    result = proposal.result
    if result is None or not result.ranked or not result.stages:
        return None
    stages = list(result.stages)
    excluded_at = {name: stage["number"] for stage in stages for name in stage.get("excluded", [])}
    rows: list[tuple[str, list[StageCell | None]]] = []
    for name in proposal.options:
        cells: list[StageCell | None] = []
        for stage in stages:
            gone = excluded_at.get(name)
            if gone is not None and stage["number"] > gone:
                cells.append(None)
                continue
            mark = "elected" if name in stage.get("elected", []) else "excluded" if name in stage.get("excluded", []) else ""
            cells.append(StageCell(_figure(stage["tallies"].get(name, 0)), mark))
        rows.append((name, cells))
    return StageTable(
        stages=[{"number": s["number"], "action": stage_action(s.get("action", ""), language),
                 "note": stage_note(s.get("note"), language)} for s in stages],
        rows=rows,
        exhausted=[_figure(stage.get("exhausted", 0)) for stage in stages],
        quota=_figure(result.quota),
        elected=list(result.elected),
    )
