"""The event form refused: every problem beside its field, a refused
repeat beside "Repeats" in plain words (never RRULE text), what was typed
and chosen kept, on new and edit, in English and German."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_from, log_in
from tests.web.form_error_helpers import error_beside, no_developer_words, summary, value_of

YEAR = 2031


def _fields(token: str, **changes: str) -> dict[str, str]:
    fields = {"csrf_token": token, "title": "Weekly call", "description": "Bring **news**",
              "start": f"{YEAR}-03-04T18:30", "end": f"{YEAR}-03-04T19:30", "timezone": "Europe/London",
              "location_name": "Online", "repeat": "weekly", "repeat_count": "0", "category": "MEETING",
              "visibility": "members", "join_mode": "free", "status": "confirmed", "language": "en"}
    fields.update(changes)
    return fields


async def _facilitator(london: Instance) -> None:
    await london.ctx.accounts.create_user("tom", PASSWORD, Role.FACILITATOR)
    await log_in(london.client, "tom", PASSWORD)


async def test_a_new_event_shows_every_problem_and_keeps_the_repeat_chosen(london: Instance) -> None:
    await _facilitator(london)
    token = csrf_from((await london.client.get("/events/new")).text)
    refused = await london.client.post("/events/new", data=_fields(
        token, end=f"{YEAR}-03-04T17:30", online_url="not a link", capacity="many"))
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "e-repeat-count") == "Enter a number of times from 1 to 1000."
    assert error_beside(html, "e-end") == "Must be after the start."
    assert error_beside(html, "e-online") == "Enter a web address starting with https://."
    assert error_beside(html, "e-capacity") == "Must be a whole number."
    assert list(summary(html)) == ["e-repeat-count", "e-end", "e-online", "e-capacity"]
    assert summary(html)["e-end"] == "Ends (local time): must be after the start"
    assert value_of(html, "e-repeat") == "weekly" and value_of(html, "e-repeat-count") == "0"
    assert value_of(html, "e-visibility") == "members" and value_of(html, "e-description") == "Bring **news**"
    no_developer_words(html)


async def test_a_pattern_that_misses_the_start_is_told_beside_repeats(london: Instance) -> None:
    await _facilitator(london)
    token = csrf_from((await london.client.get("/events/new")).text)
    # Until a day before the start: the rule would give no date at all.
    refused = await london.client.post("/events/new", data=_fields(
        token, repeat_count="", repeat_until=f"{YEAR}-03-01"))
    assert refused.status_code == 422
    assert error_beside(refused.text, "e-repeat") == "The last date is before the event starts."
    assert value_of(refused.text, "e-repeat-until") == f"{YEAR}-03-01"
    no_developer_words(refused.text)


async def test_editing_an_event_keeps_the_input_and_speaks_german(london: Instance) -> None:
    await _facilitator(london)
    token = csrf_from((await london.client.get("/events/new")).text)
    created = await london.client.post("/events/new", data=_fields(token, repeat_count="4"))
    assert created.status_code == 303, created.text
    path = created.headers["location"]
    edit = (await london.client.get(f"{path}/edit")).text
    refused = await london.client.post(f"{path}/edit", headers={"Accept-Language": "de"}, data=_fields(
        csrf_from(edit), title="", repeat_count="0", location_lat="91", location_lon="0"))
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "e-title") == "Fülle dieses Feld aus."
    assert error_beside(html, "e-repeat-count") == "Gib eine Anzahl von 1 bis 1000 ein."
    assert error_beside(html, "e-location-lat") == "Muss zwischen -90 und 90 liegen."
    assert summary(html)["e-location-lat"].startswith("Breitengrad (freiwillig):")
    assert value_of(html, "e-location-lat") == "91" and value_of(html, "e-repeat") == "weekly"
    no_developer_words(html)
