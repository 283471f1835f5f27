"""The pages of a network's proposal: the member chapters' reports with their
weights, who is still to report, the weighted totals and a "Verified" mark
on each result whose integrity proof checked; on a member chapter's copy, the
other chapters' results the network relayed, each checked there."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.federation.networks.helpers import join_network, network_instance
from tests.federation.networks.test_chapter_decisions import adopt, decide, vote_and_close
from tests.federation.networks.test_verified_results import send_as
from tests.support.federation import wait_until_drained
from tests.support.instances import Network
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import log_in
from tests.web.proposal_helpers import admin_headers, create


def rows(html: str) -> list[str]:
    """Each table row's text, tags removed."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)]


async def test_the_network_page_marks_verified_reports_and_a_chapter_sees_the_relayed_ones(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    hull = await net.chapter("hull", name="Hull Group", timezone="Europe/London")
    await join_network(leeds, alliance, weight=3)
    await join_network(york, alliance)
    await join_network(hull, alliance)
    actor = {chapter.host: chapter.ctx.urls.actor(chapter.settings.handle) for chapter in (leeds, york, hull)}
    proposal = await create(alliance, await admin_headers(alliance), "yes-no", scope="chapters",
                            network_rule="delegates")
    leeds_copy = await adopt(leeds, proposal["ap_id"])
    await vote_and_close(leeds, leeds_copy, [{"choice": "yes"}])
    await decide(york, proposal["ap_id"], [{"choice": "no"}])
    await wait_until_drained(leeds, york, hull, alliance)

    page = (await alliance.client.get(f"/proposals/{proposal['id']}")).text
    table = rows(page)
    leeds_row = next(row for row in table if row.startswith(actor["leeds.test"]))
    york_row = next(row for row in table if row.startswith(actor["york.test"]))
    assert "Passed" in leeds_row and " 3 " in leeds_row and "✓ Verified" in leeds_row
    assert "Not passed" in york_row and "✓ Verified" in york_row
    assert "signed result" in york_row
    assert "Weighted: Passed 3 · Not passed 1 · Blocked 0 · No quorum 0" in re.sub(r"\s+", " ", page)
    assert f'Still to report: <a href="{actor["hull.test"]}">' in page
    assert "Outcome so far: Passed" in re.sub(r"<[^>]+>", "", page)

    # A members ballot's page shows each member chapter's turnout instead.
    ballot = await create(alliance, await admin_headers(alliance), "yes-no", scope="members")
    turnout = rows((await alliance.client.get(f"/proposals/{ballot['id']}")).text)
    assert {f"{actor[host]} 0" for host in ("leeds.test", "york.test", "hull.test")} <= set(turnout)

    # Someone who is not a member sees none of it (offers are members-only) ...
    anonymous = (await leeds.client.get(f"/proposals/{leeds_copy}")).text
    assert "Decisions of the other member chapters" not in anonymous
    # ... Leeds's members see York's result as the network relayed it, checked at Leeds.
    await bearer(leeds, "ada", Role.MEMBER)
    await log_in(leeds.client, "ada", PASSWORD)
    copy = (await leeds.client.get(f"/proposals/{leeds_copy}")).text
    relayed = next(row for row in rows(copy) if row.startswith(actor["york.test"]))
    assert "Not passed" in relayed and "✓ Verified" in relayed
    # The network's tally as its Update(Question) last carried it (later ones are batched).
    assert re.search(r"The network’s tally so far: <strong>Passed</strong>\s*· \d chapters? still to report", copy)


async def test_a_plain_shared_proposal_marks_an_unsigned_report_not_verified(net: Network) -> None:
    london = await net.chapter("london", name="London", timezone="Europe/London")
    dublin = await net.chapter("dublin", name="Dublin", timezone="Europe/Dublin")
    dublin_actor = dublin.ctx.urls.actor("dublin")
    proposal = await create(london, await admin_headers(london), "yes-no", share_with=[dublin_actor])
    await wait_until_drained(london, dublin)
    # Dublin's decision arrives without an integrity proof (as other software may send it).
    note = {"id": dublin.ctx.urls.absolute("/proposals/elsewhere/decision"), "type": "Note",
            "attributedTo": dublin_actor, "inReplyTo": proposal["ap_id"], "content": "<p>passed</p>",
            "to": [london.ctx.urls.actor("london")],
            "fc:result": {"outcome": "passed", "counts": {"yes": 4, "no": 1, "abstain": 0}, "voters": 5,
                          "quorum_met": True}}
    await send_as(dublin, "Create", note, note["to"])
    await wait_until_drained(dublin, london)
    page = (await london.client.get(f"/proposals/{proposal['id']}")).text
    row = next(row for row in rows(page) if row.startswith(dublin_actor))
    assert "Passed" in row and "Not verified" in row and "✓ Verified" not in row


async def test_the_network_event_page_names_each_member_chapters_representative(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    await join_network(york, alliance)
    await leeds.ctx.accounts.create_user("ada", PASSWORD, Role.FACILITATOR, display_name="Ada")
    created = await alliance.client.post("/api/v1/events", headers=await admin_headers(alliance), json={
        "title": "Coordination call", "description": "", "start": "2099-07-01T15:00", "end": "2099-07-01T16:00",
        "timezone": "UTC", "visibility": "public"})
    assert created.status_code == 201, created.text
    await wait_until_drained(alliance, leeds, york)
    page = re.sub(r"<[^>]+>", "", (await alliance.client.get(f"/events/{created.json()['id']}?lang=de")).text)
    assert "Vertretungen der Mitgliedsgruppen" in page
    assert "Leeds Group: Ada" in page and "York Group: noch nicht benannt" in page
