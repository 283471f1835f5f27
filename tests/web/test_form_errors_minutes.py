"""The minutes form refused: every problem beside its field in plain words
(English and German), the summary linking to each, every typed row kept."""
from __future__ import annotations

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import PASSWORD
from tests.support.web_forms import csrf_token, log_in
from tests.web.form_error_helpers import error_beside, no_developer_words, summary, value_of
from tests.web.test_minutes_pages import new_minutes_form


async def _refused(london: Instance, language: str = "en") -> str:
    await london.ctx.accounts.create_user("sam", PASSWORD, Role.SECRETARY)
    await log_in(london.client, "sam", PASSWORD)
    headers = {"Accept-Language": language}
    token = await csrf_token(london.client, "/minutes/new")
    form = new_minutes_form(token, **{
        "decision-1-text": "Hold a jumble sale", "decision-1-outcome": "",
        "decision-2-text": "Too many", "decision-2-for": "20", "decision-2-outcome": "carried",
        "action-1-text": "Book the hall", "action-1-due": "soon",
    })
    response = await london.client.post("/minutes/new", data=form, headers=headers)
    assert response.status_code == 422
    return response.text


async def test_every_problem_is_shown_beside_its_field_in_plain_words(london: Instance) -> None:
    html = await _refused(london)
    assert error_beside(html, "f-decision-1-outcome") == "Choose one of the options."
    assert "is more than the 9 present" in error_beside(html, "f-decision-2-for")
    assert error_beside(html, "f-action-1-due") == "Enter a date."
    assert summary(html) == {
        "f-decision-1-outcome": "Decision 2: Outcome: choose one of the options",
        "f-decision-2-for": "Decision 3: For: for + against + abstain (20) is more than the 9 present",
        "f-action-1-due": "Action 2: By when: enter a date",
    }
    no_developer_words(html)


async def test_the_refused_form_keeps_every_row_typed(london: Instance) -> None:
    html = await _refused(london)
    assert value_of(html, "f-decision-0-text") == "Hold a stall"
    assert value_of(html, "f-decision-1-text") == "Hold a jumble sale"
    assert value_of(html, "f-decision-2-for") == "20"
    assert value_of(html, "f-decision-2-outcome") == "carried"
    assert value_of(html, "f-action-1-text") == "Book the hall"
    assert value_of(html, "f-action-1-due") == "soon"
    assert value_of(html, "f-agenda-0-notes") == "Hello **all**"


async def test_on_a_german_page_the_problems_are_in_german(london: Instance) -> None:
    html = await _refused(london, "de")
    assert error_beside(html, "f-decision-1-outcome") == "Wähle eine der Möglichkeiten."
    assert error_beside(html, "f-action-1-due") == "Gib ein Datum ein."
    assert "mehr als die 9 Anwesenden" in error_beside(html, "f-decision-2-for")
    assert summary(html)["f-decision-1-outcome"].startswith("Beschluss 2: Ergebnis:")
    no_developer_words(html)
