"""Proposals, ballots, remote members and passwords refused on the site:
each problem beside its field in plain words, what was typed or chosen kept."""
from __future__ import annotations

from datetime import datetime, timedelta

from fedchapter.roles import Role
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.record import PASSWORD, bearer
from tests.support.web_forms import csrf_from, log_in, post_form
from tests.web.form_error_helpers import error_beside, no_developer_words, page_of, summary, value_of
from tests.web.proposal_helpers import admin_headers, create
from tests.web.test_remote_members import two_chapters


async def _member(london: Instance) -> None:
    await bearer(london, "alice", Role.MEMBER)
    await log_in(london.client, "alice", PASSWORD)


async def test_a_new_proposal_shows_every_problem_and_keeps_the_text(london: Instance) -> None:
    await _member(london)
    token = csrf_from((await london.client.get("/proposals/new")).text)
    refused = await london.client.post("/proposals/new", data={
        "csrf_token": token, "title": "", "body": "Where shall we meet?", "method": "single",
        "options": "Library\nLibrary", "closes_at": "tomorrow", "quorum": "lots",
    })
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "closes_at") == "Enter a date and a time."
    assert error_beside(html, "title") == "This is required."
    assert error_beside(html, "options") == "An option is listed twice: 'Library'."
    assert error_beside(html, "quorum") == "Enter a number of voters, or a share of members such as 25%."
    assert summary(html)["title"] == "Title: this is required"
    assert value_of(html, "body") == "Where shall we meet?" and value_of(html, "options") == "Library\nLibrary"
    assert value_of(html, "method") == "single"
    no_developer_words(html)
    assert await london.ctx.proposals.proposals.page(None, 10) == []  # nothing stored


async def test_a_ranked_ballot_comes_back_with_its_numbers_and_each_problem(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "stv",
                           options=["Lucy Chen", "Bo", "Cy", "Di"], seats=2)
    await _member(london)
    path = f"/proposals/{created['id']}"
    token = csrf_from((await london.client.get(path)).text)
    refused = await london.client.post(f"{path}/vote", data={
        "csrf_token": token, "rank-0": "9", "rank-1": "1", "rank-2": "1", "reason": "Close call"})
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "rank-0") == "Enter a number from 1 to 4, or leave it blank."
    assert error_beside(html, "rank-2") == "'Bo' is number 1 too: give each option its own number."
    assert summary(html)["rank-0"] == "Lucy Chen: enter a number from 1 to 4, or leave it blank"
    assert [value_of(html, f"rank-{n}") for n in range(4)] == ["9", "1", "1", ""]
    assert value_of(html, "reason") == "Close call"
    no_developer_words(html)
    api = await london.client.get(f"/api/v1/proposals/{created['id']}", headers=await admin_headers(london))
    assert api.json()["voters_count"] == 0


async def test_a_block_without_a_reason_keeps_the_block_chosen(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "consent")
    await _member(london)
    path = f"/proposals/{created['id']}"
    token = csrf_from((await london.client.get(path)).text)
    refused = await london.client.post(f"{path}/vote", data={"csrf_token": token, "choice": "block", "reason": " "},
                                       headers={"Accept-Language": "de"})
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "reason").startswith("Bitte begründe")
    chosen = page_of(html).select_one('input[name="choice"][checked]')
    assert chosen is not None and chosen["value"] == "block"


async def test_a_remote_member_who_cannot_be_found_is_told_plainly(net: Network) -> None:
    london, _ = await two_chapters(net)
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    missing = await post_form(london.client, "/admin/remote-members", {"actor": "@ghost@dublin.test",
                                                                       "role": "supporter"}, page="/admin/members")
    assert missing.status_code == 422
    assert error_beside(missing.text, "actor") == (
        "We could not find @ghost@dublin.test: its server says there is no such account.")
    assert value_of(missing.text, "actor") == "@ghost@dublin.test"
    assert value_of(missing.text, "remote-role") == "supporter"
    unreachable = await post_form(london.client, "/admin/remote-members", {"actor": "@x@nowhere.invalid",
                                                                           "role": "member"}, page="/admin/members")
    assert unreachable.status_code == 422
    assert error_beside(unreachable.text, "actor").startswith("We could not find @x@nowhere.invalid: its server")
    no_developer_words(unreachable.text)
    for words in ("ConnectError", "FetchError", "HTTP 404"):
        assert words not in missing.text + unreachable.text


async def test_a_password_change_shows_every_problem(london: Instance) -> None:
    await _member(london)
    token = csrf_from((await london.client.get("/account/password")).text)
    refused = await london.client.post("/account/password", data={
        "csrf_token": token, "current_password": "wrong one", "new_password": "short", "new_password_again": "other"})
    assert refused.status_code == 422
    html = refused.text
    assert error_beside(html, "current_password") == "The current password is not right."
    assert error_beside(html, "new_password") == "Use at least 8 characters."
    assert error_beside(html, "new_password_again") == "The two new passwords differ."
    new_password = page_of(html).find(id="new_password")
    assert new_password is not None and "password-hint" in str(new_password["aria-describedby"])
    assert 'value="wrong one"' not in html  # passwords are never written back into the page
    german = await london.client.post("/account/password", headers={"Accept-Language": "de"}, data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": "", "new_password_again": ""})
    assert error_beside(german.text, "new_password") == "Fülle dieses Feld aus."
