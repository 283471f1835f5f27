"""Minutes on the site: the forms (without JavaScript), the page, content
negotiation, carried-forward action items, members-only 404s."""
from __future__ import annotations

import re

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD, bearer, minutes_body
from tests.support.web_forms import csrf_token, log_in

AS2 = {"Accept": "application/activity+json"}


def new_minutes_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token, "intent": "save", "title": "Branch meeting", "meeting_date": "2025-11-11",
        "attendance": "9", "visibility": "public", "language": "en",
        "agenda_rows": "3", "decision_rows": "3", "action_rows": "3",
        "agenda-0-title": "Welcome", "agenda-0-notes": "Hello **all**",
        "decision-0-text": "Hold a stall", "decision-0-for": "7", "decision-0-against": "1",
        "decision-0-abstain": "1", "decision-0-outcome": "carried",
        "action-0-text": "Print leaflets", "action-0-owner": "sam", "action-0-status": "open",
        "action-1-status": "open", "action-2-status": "open",
    }
    form.update(fields)
    return form


async def test_a_secretary_drafts_minutes_with_the_form_and_publishes_them(london: Instance) -> None:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "sam", PASSWORD)
    page = await london.client.get("/minutes/new")
    assert page.status_code == 200
    token = await csrf_token(london.client, "/minutes/new")
    response = await london.client.post("/minutes/new", data=new_minutes_form(token))
    assert response.status_code == 303, response.text
    minutes_path = response.headers["location"]
    shown = await london.client.get(minutes_path)
    assert "Hold a stall" in shown.text and "<strong>all</strong>" in shown.text
    assert "Carried (7 for, 1 against, 1 abstaining)" in shown.text
    token = await csrf_token(london.client, minutes_path)
    published = await london.client.post(f"{minutes_path}/state", data={"csrf_token": token, "state": "published"})
    assert published.status_code == 303
    article = await london.client.get(minutes_path, headers=AS2)
    assert article.json()["type"] == "Article"


async def test_an_error_in_a_row_names_the_row_and_keeps_the_input(london: Instance) -> None:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "sam", PASSWORD)
    token = await csrf_token(london.client, "/minutes/new")
    form = new_minutes_form(token, **{"decision-0-text": "", "decision-0-for": "",
                                      "decision-0-against": "", "decision-0-abstain": "",
                                      "decision-0-outcome": "", "decision-2-text": "Too many",
                                      "decision-2-for": "20", "decision-2-outcome": "carried"})
    response = await london.client.post("/minutes/new", data=form)
    assert response.status_code == 422
    assert 'href="#f-decision-2-for"' in response.text and "Decision 3: For:" in response.text
    assert 'value="Too many"' in response.text


async def test_add_rows_shows_more_blank_rows_without_saving(london: Instance) -> None:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "sam", PASSWORD)
    token = await csrf_token(london.client, "/minutes/new")
    response = await london.client.post("/minutes/new", data=new_minutes_form(token, intent="more_rows"))
    assert response.status_code == 200
    assert 'name="agenda-7-title"' in response.text
    assert (await london.client.get("/api/v1/minutes")).json()["items"] == []


async def test_open_action_items_are_carried_into_the_next_draft(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    earlier = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    await log_in(london.client, "sam", PASSWORD)
    page = (await london.client.get("/minutes/new")).text
    key = f"{earlier['id']}:0"
    assert f'name="action-0-carried_from" value="{key}"' in page
    assert 'name="action-0-text" value="Book the room"' in page
    token = await csrf_token(london.client, "/minutes/new")
    form = new_minutes_form(token, **{"action-0-text": "Book the room", "action-0-carried_from": key,
                                      "action-0-status": "done", "action-1-text": "Print leaflets"})
    created = await london.client.post("/minutes/new", data=form)
    assert created.status_code == 303
    mine = (await london.client.get("/minutes/actions")).text
    assert "Print leaflets" not in mine  # the new minutes are still a draft
    assert "Book the room" not in (await london.client.get("/minutes/new")).text


async def test_each_member_sees_their_own_open_items(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    await london.ctx.accounts.create_user("mo", PASSWORD, Role.MEMBER)
    body = minutes_body(actions=[{"text": "Call the council", "owner": "mo"}, {"text": "Not mine", "owner": "sam"}])
    await london.client.post("/api/v1/minutes", json=body, headers=secretary)
    await log_in(london.client, "mo", PASSWORD)
    page = (await london.client.get("/minutes/actions")).text
    assert "Call the council" in page and "Not mine" not in page


async def test_members_only_minutes_answer_404_to_the_public_and_200_to_members(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    created = (await london.client.post(
        "/api/v1/minutes", json=minutes_body(visibility="members"), headers=secretary
    )).json()
    path = f"/minutes/{created['id']}"
    assert (await london.client.get(path)).status_code == 404
    assert (await london.client.get(path, headers=AS2)).status_code == 404
    assert created["id"] not in (await london.client.get("/minutes")).text
    await london.ctx.accounts.create_user("mo", PASSWORD, Role.MEMBER)
    await log_in(london.client, "mo", PASSWORD)
    assert (await london.client.get(path)).status_code == 200
    assert created["id"] in (await london.client.get("/minutes")).text


async def test_a_correction_is_visible_in_the_history_on_the_page(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    created = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    await london.client.patch(f"/api/v1/minutes/{created['id']}",
                              json={**minutes_body(attendance=15), "note": "Kim was there"}, headers=secretary)
    page = (await london.client.get(f"/minutes/{created['id']}")).text
    assert "Kim was there" in page and "15 present" in page
    old = (await london.client.get(f"/minutes/{created['id']}?revision=1")).text
    assert "14 present" in old


async def test_the_article_states_the_decisions_in_its_summary(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    facilitator = await bearer(london, "fay", Role.FACILITATOR)
    meeting = (await london.client.post("/api/v1/events", json={
        "title": "General meeting", "start": "2025-10-14T18:30", "end": "2025-10-14T20:30",
        "timezone": "Europe/London", "visibility": "public",
    }, headers=facilitator)).json()
    unknown = await london.client.post("/api/v1/minutes", json=minutes_body(event="nothing"), headers=secretary)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "event")
    created = (await london.client.post("/api/v1/minutes", json=minutes_body(event=meeting["id"]),
                                        headers=secretary)).json()
    article = (await london.client.get(f"/minutes/{created['id']}", headers=AS2)).json()
    assert article["summary"] == (
        "14 present. Carried (unanimous): Support Proposal Two. Next meeting Tue 28 Oct 18:30 GMT, Birkbeck."
    )
    assert article["attributedTo"] == "http://london.test/actors/london"
    # The minutes' own thread is their context (FEP-7888); the meeting is named apart.
    assert article["fc:meeting"] == meeting["ap_id"]
    assert article["context"] == article["conversation"] == f"{article['id']}/context"
    assert article["fc:attendance"] == 14
    assert article["fc:decisions"][0]["outcome"] == "carried"
    assert article["fc:nextMeeting"]["place"] == "Birkbeck"
    assert article["replies"]["id"] == f"{article['id']}/replies"
    assert "<script" not in article["content"] and "alert(1)" not in article["content"]
    assert article["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert re.search(r"<h2>Decisions</h2>", article["content"])


async def test_publishing_makes_the_next_meeting_an_event(london: Instance) -> None:
    secretary = await bearer(london, "sam", Role.SECRETARY)
    created = (await london.client.post("/api/v1/minutes", json=minutes_body(), headers=secretary)).json()
    event_id = created["next_meeting"]["event"]
    assert event_id
    event = (await london.client.get(f"/api/v1/events/{event_id}")).json()
    assert event["start"].startswith("2025-10-28T18:30")
    assert event["location"]["name"] == "Birkbeck"
    draft = (await london.client.post("/api/v1/minutes", json={**minutes_body(), "state": "draft"},
                                      headers=secretary)).json()
    assert draft["next_meeting"]["event"] is None
