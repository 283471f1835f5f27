"""A chapter's reported result carries an FEP-8b32 integrity proof: the
network counts it only when the proof holds, relays it unchanged to the other
member chapters, and each of them checks it against the reporting chapter's
own key, so a tampered count is refused wherever it turns up."""
from __future__ import annotations

import copy
import json
from typing import Any

from federation.integrity import integrity_key, key_id, sign
from tests.federation.mastodon_peer import eventually
from tests.federation.networks.helpers import join_network, network_instance
from tests.federation.networks.test_chapter_decisions import (
    decide,
    network_result,
    offer_of,
)
from tests.support.federation import wait_until_drained
from tests.support.instances import Instance, Network
from tests.web.proposal_helpers import admin_headers, create

ACTIVITY_JSON = {"Accept": "application/activity+json"}


async def ignored_reasons(instance: Instance) -> list[str]:
    rows = await instance.ctx.database.fetchall("SELECT error FROM inbox WHERE state = 'ignored' ORDER BY id")
    return [row["error"] for row in rows]


async def send_as(sender: Instance, activity_type: str, obj: dict[str, Any], to: list[str]) -> None:
    """``sender``'s Group delivers ``obj`` (HTTP-signed as usual) in a Create or Announce."""
    chapter = await sender.ctx.chapter_actor()
    outbound = sender.ctx.federation.outbound
    activity = {"@context": "https://www.w3.org/ns/activitystreams", "id": outbound.new_activity_id(),
                "type": activity_type, "actor": sender.ctx.urls.actor(chapter.username), "object": obj, "to": to}
    await outbound.send(activity, chapter, to)


async def test_reports_are_verified_relayed_and_checked_by_a_third_chapter(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    await join_network(york, alliance)
    leeds_actor = leeds.ctx.urls.actor("leeds")

    # The chapter publishes its assertion key (FEP-521a).
    group = (await leeds.client.get("/actors/leeds", headers=ACTIVITY_JSON)).json()
    assert group["assertionMethod"][0]["id"] == f"{leeds_actor}#ed25519-key"
    assert group["assertionMethod"][0]["publicKeyMultibase"].startswith("z6Mk")

    proposal = await create(alliance, await admin_headers(alliance), "yes-no", scope="chapters")
    await decide(leeds, proposal["ap_id"], [{"choice": "yes"}, {"choice": "yes"}])
    await wait_until_drained(leeds, alliance, york)

    row = (await network_result(alliance, proposal["id"]))["chapters"][0]
    assert (row["chapter"], row["outcome"], row["verified"]) == (leeds_actor, "passed", True)
    # The report URL serves the signed Note itself, proof included.
    note = (await leeds.client.get(row["report"], headers=ACTIVITY_JSON)).json()
    assert note["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert note["proof"]["verificationMethod"] == f"{leeds_actor}#ed25519-key"

    # The network relayed it to York, which checked Leeds's proof itself.
    async def relayed() -> bool:
        offer = await offer_of(york, proposal["ap_id"])
        return offer is not None and bool(offer["reports"])

    await eventually(relayed, "the network relays Leeds's report to York")
    offer = await offer_of(york, proposal["ap_id"])
    assert offer is not None
    assert [(r["chapter"], r["outcome"], r["verified"]) for r in offer["reports"]] == [(leeds_actor, "passed", True)]

    # A relay with a tampered count is refused by York; what it holds is unchanged.
    tampered = copy.deepcopy(note)
    tampered["fc:result"]["outcome"] = "rejected"
    tampered["fc:result"]["counts"] = {"yes": 0, "no": 2, "abstain": 0}
    await send_as(alliance, "Announce", tampered, [york.ctx.urls.actor("york")])
    await wait_until_drained(alliance, york)
    assert "does not verify" in (await ignored_reasons(york))[-1]
    offer = await offer_of(york, proposal["ap_id"])
    assert [(r["chapter"], r["outcome"]) for r in offer["reports"]] == [(leeds_actor, "passed")]  # type: ignore[index]

    # The same tampered Note sent by Leeds to the network is refused too; the tally stands.
    await send_as(leeds, "Create", tampered, [alliance.ctx.urls.actor("alliance")])
    await wait_until_drained(leeds, alliance)
    assert "does not verify" in (await ignored_reasons(alliance))[-1]
    row = (await network_result(alliance, proposal["id"]))["chapters"][0]
    assert (row["outcome"], row["counts"]["yes"]) == ("passed", 2)


async def test_a_report_signed_with_another_chapters_key_or_unsigned_is_refused(net: Network) -> None:
    alliance = await network_instance(net)
    leeds = await net.chapter("leeds", name="Leeds Group", timezone="Europe/London")
    york = await net.chapter("york", name="York Group", timezone="Europe/London")
    await join_network(leeds, alliance)
    await join_network(york, alliance)
    proposal = await create(alliance, await admin_headers(alliance), "yes-no", scope="chapters")
    york_actor = york.ctx.urls.actor("york")
    note = {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
        "id": york.ctx.urls.absolute("/proposals/made-up/decision"), "type": "Note", "attributedTo": york_actor,
        "inReplyTo": proposal["ap_id"], "content": "<p>passed</p>", "to": [alliance.ctx.urls.actor("alliance")],
        "fc:result": {"outcome": "passed", "counts": {"yes": 9, "no": 0, "abstain": 0}, "voters": 9,
                      "quorum_met": True},
    }
    # York's Note, signed with Leeds's key (naming it): not York's key.
    leeds_group = await leeds.ctx.chapter_actor()
    borrowed = sign(note, integrity_key(leeds_group), key_id(leeds.ctx.urls.actor("leeds")), "2026-01-01T00:00:00Z")
    await send_as(york, "Create", borrowed, note["to"])
    # York's Note signed by Leeds's key but naming York's: the proof does not verify.
    forged = sign(note, integrity_key(leeds_group), key_id(york_actor), "2026-01-01T00:00:00Z")
    await send_as(york, "Create", forged, note["to"])
    # And with no proof at all.
    await send_as(york, "Create", note, note["to"])
    await wait_until_drained(york, alliance)
    reasons = (await ignored_reasons(alliance))[-3:]
    assert "not a key of" in reasons[0]
    assert "does not verify" in reasons[1]
    assert "must carry the chapter's integrity proof" in reasons[2]
    assert (await network_result(alliance, proposal["id"]))["chapters"] == []
    # York's own members decide, properly signed: counted.
    await decide(york, proposal["ap_id"], [{"choice": "no"}])
    await wait_until_drained(york, alliance)
    rows = (await network_result(alliance, proposal["id"]))["chapters"]
    assert [(row["chapter"], row["outcome"], row["verified"]) for row in rows] == [(york_actor, "rejected", True)]
    assert json.loads(await alliance.ctx.database.fetchvalue(
        "SELECT document FROM proposal_chapter_results"))["proof"]["verificationMethod"] == key_id(york_actor)
