"""The SVG charts are pictures of the numbers: bars as wide as the counts,
one panel per stage of a ranked count, a column per meeting; named and
described for screen readers; no style attributes for the CSP to refuse."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from web.charts import bar_chart, column_chart, figure, stage_chart, stage_panels

SVG = "{http://www.w3.org/2000/svg}"
WORDS = {"stage": "Stage", "elected": "elected", "excluded": "excluded", "exhausted": "Non-transferable"}
# A four-candidate, two-seat Scottish STV count as fedchapter.counting reports it.
STAGES = [
    {"number": 1, "action": "First preferences", "tallies": {"Ann": 4, "Bo": 2, "Cy": 2, "Di": 1},
     "elected": ["Ann"], "excluded": [], "exhausted": 0},
    {"number": 2, "action": "Surplus of Ann", "tallies": {"Ann": 3.33333, "Bo": 2.66667, "Cy": 2, "Di": 1},
     "transfers": {"Ann": -0.66667, "Bo": 0.66667}, "elected": [], "excluded": [], "exhausted": 0},
    {"number": 3, "action": "Exclusion of Di", "tallies": {"Ann": 3.33333, "Bo": 2.66667, "Cy": 3, "Di": 0},
     "elected": [], "excluded": ["Di"], "exhausted": 0},
    {"number": 4, "action": "Cy elected", "tallies": {"Ann": 3.33333, "Bo": 2.66667, "Cy": 3},
     "elected": ["Cy"], "excluded": [], "exhausted": 0},
]


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(svg: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in svg.iter(f"{SVG}text")]


def widths(svg: ET.Element, css: str) -> list[float]:
    return [float(rect.get("width", "0").rstrip("%")) for rect in svg.iter(f"{SVG}rect")
            if css in rect.get("class", "").split()]


def test_bars_are_as_wide_as_the_counts_and_named_for_screen_readers() -> None:
    svg = parse(bar_chart([("Yes", 12), ("No", 3), ("Abstain", 0)], chart_id="result", title="Votes for each option",
                          description="15 members voted."))
    assert widths(svg, "bar") == [100.0, 25.0, 0.0]
    assert texts(svg) == ["Yes: 12", "No: 3", "Abstain: 0"]
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "result-title result-desc"
    assert svg.find(f"{SVG}title").text == "Votes for each option"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "15 members voted."  # type: ignore[union-attr]
    assert "style=" not in str(bar_chart([("Yes", 1)], chart_id="x", title="t", description="d"))


def test_bar_labels_are_escaped_once_and_say_the_option_in_the_page_language() -> None:
    names = {"agree": Markup("Zustimmung"), "block": Markup("Veto")}
    svg = bar_chart([("agree", 2), ("block", 1)], chart_id="c", title="t", description="d", name=names.__getitem__)
    assert texts(parse(svg)) == ["Zustimmung: 2", "Veto: 1"]
    hostile = bar_chart([("<script>&", 1)], chart_id="c", title="<b>", description="d")
    assert "<script>" not in hostile and "&lt;script&gt;&amp;: 1" in hostile and "&lt;b&gt;" in hostile


def test_no_votes_draws_no_bar_and_does_not_divide_by_zero() -> None:
    assert widths(parse(bar_chart([("Yes", 0), ("No", 0)], chart_id="c", title="t", description="d")), "bar") == [0, 0]


def test_a_ranked_count_is_one_panel_per_stage_without_those_already_excluded() -> None:
    panels = stage_panels(["Ann", "Bo", "Cy", "Di"], STAGES)
    assert [panel.number for panel in panels] == [1, 2, 3, 4]
    assert [row.name for row in panels[2].rows] == ["Ann", "Bo", "Cy", "Di"]  # Di shown at the exclusion
    assert [row.name for row in panels[3].rows] == ["Ann", "Bo", "Cy"]  # and gone afterwards
    bo = panels[1].rows[1]
    assert (bo.before, bo.after) == (2, 2.66667)


def test_the_stage_chart_draws_transfers_on_one_scale_with_the_quota() -> None:
    svg = parse(stage_chart(["Ann", "Bo", "Cy", "Di"], STAGES, 3.33333, chart_id="stv", title="Transfers",
                            description="d", words=WORDS))
    shown = texts(svg)
    assert [text for text in shown if text.startswith("Stage")] == [
        "Stage 1 · elected: Ann", "Stage 2", "Stage 3 · excluded: Di", "Stage 4 · elected: Cy"]
    assert "Bo: 2.66667 (+0.66667)" in shown and "Ann: 3.33333 (−0.66667)" in shown
    assert "Di: 0 (−1) · excluded" in shown
    # One scale for every stage: Ann's 4 first preferences fill the width.
    assert widths(svg, "bar")[0] == 100.0
    assert widths(svg, "gain") == [16.667, 25.0]  # Bo's 0.66667 of 4 at stage 2, then Cy's 1 at stage 3
    assert len(widths(svg, "loss")) == 2  # Ann's surplus, Di's papers
    quota_lines = list(svg.iter(f"{SVG}line"))
    assert len(quota_lines) == 4 and {line.get("x1") for line in quota_lines} == {"83.333%"}


def test_papers_that_can_go_to_no_one_are_a_last_row_once_there_are_any() -> None:
    stages = [{**STAGES[0]}, {**STAGES[1], "exhausted": 0.5}]
    shown = texts(parse(stage_chart(["Ann", "Bo", "Cy", "Di"], stages, 3.33333, chart_id="stv", title="t",
                                    description="d", words=WORDS)))
    assert "Non-transferable: 0.5 (+0.5)" in shown and shown.count("Non-transferable: 0.5 (+0.5)") == 1
    assert not any(text.startswith("Non-transferable") for text in shown[:shown.index("Stage 2")])


def test_attendance_is_a_column_per_meeting_oldest_first_with_the_last_labelled() -> None:
    meetings = [(f"{day} Nov", people) for day, people in zip(range(1, 15), [7, 14] * 7)]
    svg = parse(column_chart(meetings, chart_id="attendance", title="People present", description="d"))
    columns = [rect for rect in svg.iter(f"{SVG}rect")]
    assert len(columns) == 14
    heights = [int(rect.get("height", "0")) for rect in columns]
    assert heights[0] * 2 == heights[1] and len(set(heights)) == 2
    labels = [text for text in texts(svg) if "Nov" in text]
    assert 2 <= len(labels) <= 6 and labels[0] == "1 Nov" and labels[-1] == "14 Nov"


def test_figures_read_like_the_stage_table() -> None:
    assert [figure(3), figure(3.0), figure(2.5), figure(2.666666)] == ["3", "3", "2.5", "2.66667"]
