"""A plain-text stage-by-stage table of a count, for the CLI and the web pages.

Candidates are rows and stages are columns. A candidate's figure is marked
`*` at the stage they are elected and `x` at the stage they are excluded;
after exclusion their cells are left blank.
"""

from __future__ import annotations

from decimal import Decimal

from fedchapter.counting.result import CountResult

ELECTED_MARK = "*"
EXCLUDED_MARK = "x"


def render_text(result: CountResult) -> str:
    """The whole report: heading, the elected in order, the table, and the notes."""
    lines = [
        result.title or "(untitled election)",
        f"Method: {result.method}   Seats: {result.seats}   Valid ballots: {result.valid_ballots}"
        f"   Quota: {_figure(result.quota, result.places)}",
        "Elected in order: "
        + (", ".join(f"{n}. {name}" for n, name in enumerate(result.elected, start=1)) or "nobody"),
        "",
    ]
    lines.extend(f"Stage {stage.number}: {stage.action}" for stage in result.stages)
    lines.append("")
    lines.extend(render_table(result))
    notes = [(stage.number, stage.note) for stage in result.stages if stage.note]
    if notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  stage {number}: {note}" for number, note in notes)
    return "\n".join(lines) + "\n"


def render_table(result: CountResult) -> list[str]:
    """The table's lines: a header, one row per candidate, then exhausted (and rounding)."""
    places = result.places
    excluded_at = {name: stage.number for stage in result.stages for name in stage.excluded}
    rows: list[tuple[str, list[str]]] = []
    for name in result.candidates:
        cells: list[str] = []
        for stage in result.stages:
            gone = excluded_at.get(name)
            if gone is not None and stage.number > gone:
                cells.append("")
                continue
            mark = ELECTED_MARK if name in stage.elected else EXCLUDED_MARK if name in stage.excluded else " "
            cells.append(_figure(stage.tallies.get(name, Decimal(0)), places) + mark)
        rows.append((name, cells))
    rows.append(("Non-transferable", [_figure(s.exhausted, places) + " " for s in result.stages]))
    if any(stage.lost_to_rounding for stage in result.stages):
        rows.append(("Lost to rounding", [_figure(s.lost_to_rounding, places) + " " for s in result.stages]))

    header = ["Stage"] + [str(stage.number) for stage in result.stages]
    label_width = max(len(header[0]), *(len(label) for label, _ in rows))
    widths = [
        max(len(header[i + 1]), *(len(cells[i]) for _, cells in rows)) for i in range(len(result.stages))
    ]
    lines = [_row(header[0], header[1:], label_width, widths)]
    lines.append("-" * len(lines[0]))
    lines.extend(_row(label, cells, label_width, widths) for label, cells in rows)
    return lines


def _row(label: str, cells: list[str], label_width: int, widths: list[int]) -> str:
    parts = [label.ljust(label_width)] + [cell.rjust(width) for cell, width in zip(cells, widths, strict=True)]
    return " | ".join(parts).rstrip()


def _figure(value: Decimal, places: int) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.{places}f}"
