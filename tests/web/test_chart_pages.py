"""The pages draw their numbers: a vote's counts as bars, an STV count as a
chart of its stages, attendance over the meetings on the minutes list; each
an SVG picture with a title and a description beside its table."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer, minutes_body
from tests.web.proposal_helpers import admin_headers, create


def bar_widths(page: str, chart_id: str) -> list[str]:
    svg = re.search(rf'<svg class="chart [^"]*"[^>]*aria-labelledby="{chart_id}-title.*?</svg>', page, flags=re.S)
    assert svg is not None, f"no chart {chart_id}"
    return re.findall(r'<rect class="bar[^"]*" x="0" y="\d+" width="([\d.]+%)"', svg.group(0))


async def vote(london: Instance, proposal_id: str, voters: dict[str, dict[str, object]]) -> None:
    for name, ballot in voters.items():
        headers = await bearer(london, name, Role.MEMBER)
        response = await london.client.post(f"/api/v1/proposals/{proposal_id}/vote", json=ballot, headers=headers)
        assert response.status_code < 300, response.text


async def test_a_result_and_the_votes_so_far_are_bars_beside_their_table(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "yes-no")
    await vote(london, created["id"], {"ann": {"choice": "yes"}, "bo": {"choice": "yes"}, "cy": {"choice": "no"}})
    so_far = (await london.client.get(f"/proposals/{created['id']}")).text
    assert bar_widths(so_far, "counts-chart") == ["100%", "50%", "0%"]  # yes, no, abstain
    await london.client.post(f"/api/v1/proposals/{created['id']}/close", json={}, headers=admin)
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    assert bar_widths(page, "result-chart") == ["100%", "50%", "0%"]  # yes, no, abstain
    assert 'role="img"' in page and "<title id=\"result-chart-title\">Votes for each option</title>" in page
    assert "3 members voted. The table below has the same figures." in page
    assert ">Yes: 2</text>" in page and "<caption" in page  # the table is still there
    german = (await london.client.get(f"/proposals/{created['id']}?lang=de")).text
    assert ">Ja: 2</text>" in german and ">Nein: 1</text>" in german


async def test_an_stv_count_is_drawn_stage_by_stage_above_its_table(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "stv", options=["Ann", "Bo", "Cy", "Di"], seats=2)
    await vote(london, created["id"], {
        "v1": {"ranking": ["Ann", "Bo"]}, "v2": {"ranking": ["Ann", "Cy"]}, "v3": {"ranking": ["Ann", "Bo"]},
        "v4": {"ranking": ["Bo", "Cy"]}, "v5": {"ranking": ["Cy", "Bo"]}, "v6": {"ranking": ["Di", "Cy"]},
    })
    await london.client.post(f"/api/v1/proposals/{created['id']}/close", json={}, headers=admin)
    page = (await london.client.get(f"/proposals/{created['id']}")).text
    stages = (await london.client.get(f"/api/v1/proposals/{created['id']}", headers=admin)).json()["result"]["stages"]
    chart = re.search(r'<svg class="chart stages".*?</svg>', page, flags=re.S)
    assert chart is not None
    assert len(re.findall(r'<text x="0" y="\d+" class="heading">', chart.group(0))) == len(stages) > 1
    assert "Stage 1 · elected: Ann" in chart.group(0)
    assert '<line class="quota"' in chart.group(0)
    assert chart.start() < page.index('<table class="stages">')  # the stage table stays, for screen readers
    assert "result-chart" not in page  # first preferences are the chart's first stage
    german = (await london.client.get(f"/proposals/{created['id']}?lang=de")).text
    assert "Übertragungen Runde für Runde" in german and "Runde 1 · gewählt: Ann" in german


async def test_the_minutes_list_shows_attendance_over_time(london: Instance) -> None:
    headers = await bearer(london, "sam", Role.SECRETARY)
    for day, present in (("2025-09-09", 8), ("2025-10-14", 14), ("2025-11-11", 11)):
        response = await london.client.post("/api/v1/minutes", json=minutes_body(
            title=f"Meeting {day}", meeting_date=day, attendance=present, state="published"), headers=headers)
        assert response.status_code == 201, response.text
    page = (await london.client.get("/minutes", headers=headers)).text
    chart = re.search(r'<svg class="chart columns".*?</svg>', page, flags=re.S)
    assert chart is not None
    heights = [int(h) for h in re.findall(r'<rect class="bar" x="[\d.]+%" y="\d+" width="[\d.]+%" height="(\d+)"',
                                          chart.group(0))]
    assert heights == [80, 140, 110]  # oldest first, 14 the tallest
    assert ">Sep 9</text>" in chart.group(0) and ">Nov 11</text>" in chart.group(0)
    assert "The last 3 meetings, oldest first: between 8 and 14 people present." in page
    assert '<table class="visually-hidden">' in page


async def test_one_meeting_draws_no_chart(london: Instance) -> None:
    headers = await bearer(london, "sam", Role.SECRETARY)
    await london.client.post("/api/v1/minutes", json=minutes_body(state="published"), headers=headers)
    assert "chart columns" not in (await london.client.get("/minutes")).text
