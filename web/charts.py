"""Pictures of the numbers, as inline SVG built on the server: a vote's
counts as bars, a ranked count's transfers stage by stage, attendance over
the meetings.

Pure functions from numbers and already translated words to markup: no
JavaScript, no style= attributes (the Content-Security-Policy forbids inline
styles, see web/security_headers.py), only classes styled by
web/static/charts.css. Widths are percentages of the chart's width and
heights are pixels, so text keeps its size on a phone while bars stretch
with the page. Every chart is role="img" with a <title> and a <desc>; the
page shows the same figures as a table beside it for screen readers.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

# Bars (label line above each bar: long option names never overlap a bar).
BAR_LABEL = 16
BAR_HEIGHT = 16
BAR_PITCH = 44
# Stages of a ranked count: a heading per stage, then a row per candidate.
STAGE_HEADING = 28
STAGE_ROW = 36
STAGE_BAR = 12
STAGE_GAP = 14
# Columns (attendance): value labels above, dates below.
COLUMN_TOP = 22
COLUMN_AREA = 140
COLUMN_BOTTOM = 26
MOST_COLUMN_LABELS = 5
WIDEST_COLUMN = 8.0  # percent of the width
WIDE_SLOT = 15.0  # percent: a date label fits centred under its column


def figure(value: float | int) -> str:
    """A count as the tables show it: whole numbers plainly, fractions without trailing zeros."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return str(int(value))


def percent(value: float, scale: float) -> str:
    """`value` as a share of `scale`, as an SVG length ("37.5%")."""
    if scale <= 0:
        return "0%"
    return f"{max(0.0, min(100.0, value / scale * 100)):.3f}".rstrip("0").rstrip(".") + "%"


def _svg(chart_id: str, kind: str, height: int, title: str, description: str, body: list[str]) -> Markup:
    # aria-labelledby names the picture by its title and desc (role="img" hides the parts).
    return Markup(
        f'<svg class="chart {kind}" role="img" width="100%" height="{height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body) + "</svg>"
    )


def _text(x: str, y: int, content: str, css: str = "", anchor: str = "start") -> str:
    """`content` is escaped unless it is Markup already (a template's translated words)."""
    classes = f' class="{css}"' if css else ""
    anchor_attribute = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{x}" y="{y}"{classes}{anchor_attribute}>{escape(content)}</text>'


def _rect(x: str, y: int, width: str, height: int, css: str) -> str:
    return f'<rect class="{css}" x="{x}" y="{y}" width="{width}" height="{height}"/>'


# Bars -------------------------------------------------------------------------------
def bar_chart(bars: Iterable[tuple[str, float]], *, chart_id: str, title: str, description: str,
              name: Callable[[str], str] | None = None) -> Markup:
    """One bar per option, widths proportional to the counts (the largest fills the width).
    `name` says an option in the page's language (the templates pass their option_name macro)."""
    bars = list(bars)
    scale = max((float(value) for _label, value in bars), default=0.0)
    body: list[str] = []
    for row, (label, value) in enumerate(bars):
        top = row * BAR_PITCH
        shown = name(label) if name is not None else label
        body.append(_text("0", top + BAR_LABEL - 3, Markup("{}: {}").format(shown, figure(value)), "label"))
        body.append(_rect("0", top + BAR_LABEL + 2, percent(float(value), scale), BAR_HEIGHT, "bar"))
    return _svg(chart_id, "bars", max(1, len(bars)) * BAR_PITCH, title, description, body)


# Stages of a ranked count -----------------------------------------------------------
@dataclass(frozen=True)
class StageRow:
    """One candidate at one stage: votes before and after, and what happened."""

    name: str
    before: float
    after: float
    mark: str  # "elected", "excluded" or ""

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class StagePanel:
    number: int
    rows: list[StageRow]
    elected: list[str]
    excluded: list[str]
    # Papers that could go to no one (no later preference): their value so far, before and after.
    exhausted: StageRow | None = None


def stage_panels(candidates: Sequence[str], stages: Sequence[Mapping[str, Any]]) -> list[StagePanel]:
    """Each stage's standing candidates with their votes before and after it;
    a candidate excluded earlier is no longer drawn."""
    panels: list[StagePanel] = []
    before: dict[str, float] = {}
    gone: set[str] = set()
    exhausted_before = 0.0
    for stage in stages:
        tallies = {name: float(votes) for name, votes in stage.get("tallies", {}).items()}
        elected, excluded = list(stage.get("elected", [])), list(stage.get("excluded", []))
        rows = []
        for name in candidates:
            if name in gone:
                continue
            after = tallies.get(name, 0.0)
            mark = "elected" if name in elected else "excluded" if name in excluded else ""
            rows.append(StageRow(name, before.get(name, 0.0) if panels else after, after, mark))
        exhausted_after = float(stage.get("exhausted") or 0)
        exhausted = StageRow("", exhausted_before, exhausted_after, "") if exhausted_after or exhausted_before else None
        panels.append(StagePanel(int(stage.get("number", len(panels) + 1)), rows, elected, excluded, exhausted))
        before = {row.name: row.after for row in rows}
        exhausted_before = exhausted_after
        gone.update(excluded)
    return panels


def _signed(change: float) -> str:
    return ("+" if change > 0 else "−") + figure(abs(change))


def stage_chart(candidates: Sequence[str], stages: Sequence[Mapping[str, Any]], quota: float | None, *,
                chart_id: str, title: str, description: str, words: Mapping[str, str]) -> Markup:
    """The count as small pictures, one per stage, all on one scale: each
    candidate's votes after the stage, the part gained at this stage lighter,
    the part passed on at this stage as an outline, and the quota as a line.

    `words` are the page's words for "stage", "elected", "excluded" and
    "exhausted" (non-transferable papers, drawn as a last row once there are any).
    """
    panels = stage_panels(candidates, stages)
    scale = max([row.before for p in panels for row in p.rows] + [row.after for p in panels for row in p.rows]
                + [p.exhausted.after for p in panels if p.exhausted] + [float(quota or 0)], default=0.0)
    body: list[str] = []
    top = 0
    seated: set[str] = set()  # elected at this stage or before: their bars stay green
    for panel in panels:
        seated.update(panel.elected)
        heading = Markup("{} {}").format(words["stage"], panel.number)
        if panel.elected:
            heading += Markup(" · {}: {}").format(words["elected"], ", ".join(panel.elected))
        if panel.excluded:
            heading += Markup(" · {}: {}").format(words["excluded"], ", ".join(panel.excluded))
        body.append(_text("0", top + 18, heading, "heading"))
        rows_top = top + STAGE_HEADING
        rows = [*panel.rows, *([panel.exhausted] if panel.exhausted else [])]
        for index, row in enumerate(rows):
            y = rows_top + index * STAGE_ROW
            css = "exhausted" if row is panel.exhausted else "elected" if row.name in seated else row.mark
            label = Markup("{}: {}").format(words["exhausted"] if row is panel.exhausted else row.name,
                                            figure(row.after))
            if panel.number > 1 and abs(row.change) > 1e-9:
                label += Markup(" ({})").format(_signed(row.change))
            if row.mark:
                label += Markup(" · {}").format(words[row.mark])
            body.append(_text("0", y + 14, label, f"label {row.mark or css}".strip()))
            kept = min(row.before, row.after)
            bar_y = y + 19
            body.append(_rect("0", bar_y, percent(kept, scale), STAGE_BAR, f"bar {css}".strip()))
            if row.change > 0:
                body.append(_rect(percent(kept, scale), bar_y, percent(row.change, scale), STAGE_BAR, "gain"))
            elif row.change < 0:
                body.append(_rect(percent(row.after, scale), bar_y, percent(-row.change, scale), STAGE_BAR, "loss"))
        bottom = rows_top + len(rows) * STAGE_ROW
        if quota:
            x = percent(float(quota), scale)
            candidates_bottom = rows_top + len(panel.rows) * STAGE_ROW
            body.append(f'<line class="quota" x1="{x}" x2="{x}" y1="{rows_top + 16}" y2="{candidates_bottom}"/>')
        top = bottom + STAGE_GAP
    return _svg(chart_id, "stages", max(1, top), title, description, body)


# Columns over time ------------------------------------------------------------------
def column_chart(columns: Sequence[tuple[str, float]], *, chart_id: str, title: str, description: str) -> Markup:
    """One column per point in time, oldest first, heights proportional to the values.
    Value and date labels thin out when columns are many, the last always labelled."""
    count = len(columns)
    scale = max((float(value) for _label, value in columns), default=0.0)
    step = max(1, math.ceil(count / MOST_COLUMN_LABELS))
    slot = 100 / count if count else 100
    width = min(slot * 0.6, WIDEST_COLUMN)  # a few meetings are slim columns, not slabs
    baseline = COLUMN_TOP + COLUMN_AREA
    body = [f'<line class="axis" x1="0" x2="100%" y1="{baseline}" y2="{baseline}"/>']
    for index, (label, value) in enumerate(columns):
        height = round(float(value) / scale * COLUMN_AREA) if scale else 0
        body.append(_rect(f"{index * slot + (slot - width) / 2:.3f}%", baseline - height, f"{width:.3f}%", height, "bar"))
        if index % step == 0 or index == count - 1:
            middle = f"{(index + 0.5) * slot:.3f}%"
            body.append(_text(middle, baseline - height - 6, figure(value), "value", "middle"))
            # With many narrow columns the first and last dates hug the edges, so they are never cut off.
            hug = slot < WIDE_SLOT and count > 1
            anchor = "start" if hug and index == 0 else "end" if hug and index == count - 1 else "middle"
            x = "0" if anchor == "start" else "100%" if anchor == "end" else middle
            body.append(_text(x, baseline + COLUMN_BOTTOM - 6, label, "label", anchor))
    return _svg(chart_id, "columns", baseline + COLUMN_BOTTOM, title, description, body)


# What the templates may call (registered as Jinja globals in web/templating.py).
TEMPLATE_FUNCTIONS = {
    "bar_chart": bar_chart,
    "stage_chart": stage_chart,
    "column_chart": column_chart,
}
