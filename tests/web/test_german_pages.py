"""German pages say everything in German: the domain's values (outcomes,
thresholds, categories, a count's stages) are named through the catalog,
counts through ngettext, and the language chosen in the header is remembered
by the browser and, for a member, by their account."""
from __future__ import annotations

import re
from datetime import date, timedelta

from fedchapter.roles import Role
from tests.support.events import NEXT_YEAR, publish_event
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import log_in
from tests.web.proposal_helpers import admin_headers, create

GERMAN = {"Accept-Language": "de"}


async def test_minutes_decisions_keep_their_counts_and_speak_the_page_language(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    created = await london.client.post("/api/v1/minutes", headers=secretary, json=minutes_body(
        decisions=[
            {"text": "Support Proposal Two", "outcome": "carried", "decided_by": "unanimous",
             "for": 14, "against": 0, "abstain": 0},
            {"text": "Buy a banner", "outcome": "rejected", "for": 3, "against": 9, "abstain": 1},
            {"text": "Wait for the council", "outcome": "deferred", "decided_by": "consensus"},
        ],
        actions=[{"text": "Book the room", "owner": "sam", "due": yesterday},
                 {"text": "Print leaflets", "owner": "sam", "due": f"{NEXT_YEAR}-01-10"}]))
    assert created.status_code == 201, created.text
    path = f"/minutes/{created.json()['id']}"

    english = (await london.client.get(path)).text
    assert "Carried (unanimous, 14 for, 0 against, 0 abstaining): Support Proposal Two." in english
    assert english.count("Overdue") == 1  # the item due yesterday, not next year's

    german = (await london.client.get(path, headers=GERMAN)).text
    assert "Angenommen (einstimmig, 14 dafür, 0 dagegen, 0 Enthaltungen): Support Proposal Two." in german
    assert "Abgelehnt (3 dafür, 9 dagegen, 1 Enthaltung): Buy a banner." in german
    assert "Vertagt (im Konsens): Wait for the council." in german
    assert german.count("Überfällig") == 1
    for english_word in ("Carried", "unanimous", "abstaining", "Overdue"):
        assert english_word not in german


async def test_a_proposal_names_its_threshold_and_says_whether_it_and_the_quorum_were_met(
    london: Instance
) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "yes-no", threshold="two-thirds", quorum="1")
    voter = await bearer(london, "alice", Role.MEMBER)
    voted = await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"choice": "yes"},
                                     headers=voter)
    assert voted.status_code == 200, voted.text
    path = f"/proposals/{created['id']}"
    german = (await london.client.get(path, headers=GERMAN)).text
    assert "Mehrheitserfordernis: Zwei Drittel" in german and "two-thirds" not in german
    assert "1 Mitglied hat abgestimmt" in german  # one form, not "1 Mitglieder"
    assert "1 member has voted" in (await london.client.get(path)).text

    closed = await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)
    assert closed.status_code == 200, closed.text
    english = (await london.client.get(path)).text
    assert "1 member voted." in english and "The quorum was met." in english
    assert "Threshold: Two thirds." in english and "The threshold was met." in english
    german = (await london.client.get(path, headers=GERMAN)).text
    assert "Das Quorum wurde erreicht." in german and "1 Mitglied hat abgestimmt." in german
    assert "Das Mehrheitserfordernis wurde erfüllt." in german


async def test_the_count_stage_by_stage_is_in_german(london: Instance) -> None:
    admin = await admin_headers(london)
    created = await create(london, admin, "stv", options=["Ann", "Bo", "Cy"], seats=1)
    for number, ranking in enumerate((["Ann", "Bo"], ["Bo", "Ann"], ["Cy", "Ann"], ["Ann"])):
        voter = await bearer(london, f"voter{number}", Role.MEMBER)
        voted = await london.client.post(f"/api/v1/proposals/{created['id']}/vote",
                                         json={"ranking": ranking}, headers=voter)
        assert voted.status_code == 200, voted.text
    assert (await london.client.post(f"/api/v1/proposals/{created['id']}/close", headers=admin)).status_code == 200
    german = (await london.client.get(f"/proposals/{created['id']}", headers=GERMAN)).text
    assert "Erstpräferenzen" in german and "Ausscheiden von" in german
    assert "Gleichstand zwischen Bo, Cy" in german  # one first preference each: a tie, broken and said
    for english in ("first preferences", "exclusion of", "tie between", "decided by lot"):
        assert english not in german


async def test_event_categories_are_named_in_the_page_language(london: Instance) -> None:
    event = await publish_event(london, {
        "title": "Rally", "start": f"{NEXT_YEAR}-05-01T11:00", "end": f"{NEXT_YEAR}-05-01T13:00",
        "timezone": "UTC", "online_url": "https://meet.example.org/rally", "category": "MOVEMENTS_POLITICS"})
    german = (await london.client.get(f"/events/{event['id']}", headers=GERMAN)).text
    assert "Bewegungen und Politik" in german and "Movements and politics" not in german


async def test_the_header_offers_the_language_and_a_member_s_choice_follows_them(london: Instance) -> None:
    await london.ctx.accounts.create_user("jonas", PASSWORD, Role.MEMBER)
    page = (await london.client.get("/")).text
    header = page.split("</header>")[0]
    assert 'href="?lang=de"' in header and 'href="?lang=en"' in header

    await log_in(london.client, "jonas", PASSWORD)
    chosen = await london.client.get("/events?lang=de")
    assert "lang=de" in chosen.headers["set-cookie"]
    assert 'lang="de"' in (await london.client.get("/events")).text  # the cookie remembers

    # Another browser (no cookie, an English browser): once logged in, German again.
    london.client.cookies.clear()
    await log_in(london.client, "jonas", PASSWORD)
    elsewhere = await london.client.get("/events", headers={"Accept-Language": "en"})
    assert 'lang="de"' in elsewhere.text
    assert "lang=de" in elsewhere.headers.get("set-cookie", "")
    jonas = await london.ctx.repos.users.by_username("jonas")
    assert await london.ctx.mail.preferences.language_of(jonas.id) == "de"

    # Logged out, a visitor without the cookie gets their browser's language.
    london.client.cookies.clear()
    assert 'lang="en"' in (await london.client.get("/events", headers={"Accept-Language": "en"})).text
    assert re.search(r'aria-current="true">English<', (await london.client.get("/events")).text)
