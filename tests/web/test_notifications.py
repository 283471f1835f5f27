"""Notifications by mail, per kind as each member chose, and the daily
digest; through a real SMTP server (aiosmtpd) in the test process."""
from __future__ import annotations

from datetime import date, timedelta

import httpx

from fedchapter.mail.kinds import MailKind
from fedchapter.roles import Role
from tests.support.instances import Instance, Network
from tests.support.record import minutes_body
from tests.support.smtp import Mailbox
from tests.web.mail_helpers import (
    add_member,
    confirmed_address,
    mailing_chapter,
    path_of,
)
from tests.web.proposal_helpers import admin_headers, create, in_days
from tests.web.test_events_api import event_body


async def _bearer(instance: Instance, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await instance.ctx.accounts.create_token(username)}"}


async def _choose(instance: Instance, username: str, kinds: list[str]) -> None:
    user = await instance.ctx.repos.users.by_username(username)
    assert user is not None
    await instance.ctx.mail.preferences.choose(user, kinds)


async def test_members_are_told_what_they_chose_once_and_the_digest_gathers_the_rest(
    net: Network, mailbox: Mailbox
) -> None:
    london = await mailing_chapter(net, mailbox)
    for username in ("pat", "kim", "ann"):
        await add_member(london, username, Role.MEMBER)
        await confirmed_address(london, username, f"{username}@example.org", mailbox)
    await _choose(london, "pat", ["proposal_opened", "proposal_closing", "minutes_for_approval",
                                  "action_assigned", "rsvp_changed"])
    await _choose(london, "kim", ["proposal_opened", "proposal_closing", "digest"])
    await _choose(london, "ann", ["bulletin"])  # wants no notifications at all
    admin = await admin_headers(london)

    proposal = await create(london, admin, "yes-no", closes_at=in_days(0.5))
    voted = await london.client.post(f"/api/v1/proposals/{proposal['id']}/vote", json={"choice": "yes"},
                                     headers=await _bearer(london, "kim"))
    assert voted.status_code == 200, voted.text
    draft = (await london.client.post("/api/v1/minutes", json={**minutes_body(
        actions=[{"text": "Book the room", "owner": "pat", "due": "2025-10-20"}]), "state": "draft"},
        headers=admin)).json()
    circulated = await london.client.post(f"/api/v1/minutes/{draft['id']}/state", json={"state": "circulated"},
                                          headers=admin)
    assert circulated.status_code == 200, circulated.text
    event = (await london.client.post("/api/v1/events", json=event_body(), headers=admin)).json()
    rsvp = await london.client.post(f"/api/v1/events/{event['id']}/rsvp", json={"status": "going"},
                                    headers=await _bearer(london, "pat"))
    assert rsvp.status_code == 200, rsvp.text

    await london.ctx.mail.notifications.sweep()
    proposal_url = f"http://london.test/proposals/{proposal['id']}"
    opened = await mailbox.wait_for_subject("pat@example.org", "Open for votes: A yes-no proposal")
    closing = await mailbox.wait_for_subject("pat@example.org", "Closing within 24 hours, you have not voted")
    for mail in (opened, closing):
        assert proposal_url in mail.text() and f'href="{proposal_url}"' in mail.html()
        assert mail.message["List-Unsubscribe"].startswith("<http://london.test/unsubscribe/")
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    minutes_url = f"http://london.test/minutes/{draft['id']}"
    approval = await mailbox.wait_for_subject("pat@example.org", "Minutes for approval: General meeting, October")
    assert minutes_url in approval.text()
    action = await mailbox.wait_for_subject("pat@example.org", "An action item for you: Book the room")
    assert minutes_url in action.text()
    going = await mailbox.wait_for_subject("pat@example.org", "Your RSVP: Monthly meeting: going, confirmed")
    assert f"http://london.test/events/{event['id']}" in going.text()

    # Told once: another sweep (or a restart) sends nothing again.
    count = len(mailbox.to("pat@example.org"))
    await london.ctx.mail.notifications.sweep()
    await london.ctx.mail.worker.run_once()
    assert len(mailbox.to("pat@example.org")) == count
    # Kim voted (no "closing" reminder) and gets a digest, not single mails; Ann chose none.
    assert len(mailbox.to("kim@example.org")) == 1  # the address confirmation only
    assert len(mailbox.to("ann@example.org")) == 1

    # A day later the digest goes out, with what waited.
    await london.ctx.database.execute(
        "UPDATE mail_notifications SET created_at = '2000-01-01T00:00:00Z' WHERE digest_state = 'waiting'")
    await london.ctx.mail.notifications.sweep()
    digest = await mailbox.wait_for_subject("kim@example.org", "London Chapter: your daily digest (1)")
    assert "Open for votes: A yes-no proposal" in digest.text() and proposal_url in digest.text()
    assert f'href="{proposal_url}"' in digest.html()
    assert "Closing within" not in digest.text()
    await london.ctx.mail.notifications.sweep()
    await london.ctx.mail.worker.run_once()
    assert len(mailbox.to("kim@example.org")) == 2

    # One click on a notification's unsubscribe turns that kind off.
    link = opened.message["List-Unsubscribe"].strip("<>")
    async with httpx.AsyncClient(transport=net.transport, base_url="http://london.test") as client:
        done = await client.post(path_of(link), content=b"List-Unsubscribe=One-Click",
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200
    pat = await london.ctx.repos.users.by_username("pat")
    assert pat is not None
    assert not await london.ctx.mail.preferences.wants(pat.id, MailKind.PROPOSAL_OPENED)
    await create(london, admin, "yes-no", title="Another proposal")
    await london.ctx.mail.notifications.sweep()
    await london.ctx.mail.worker.run_once()
    assert not [m for m in mailbox.to("pat@example.org") if "Open for votes: Another" in m.message["Subject"]]


async def test_members_choose_their_mail_on_the_account_page(net: Network, mailbox: Mailbox) -> None:
    from tests.support.web_forms import log_in, post_form
    from tests.web.mail_helpers import PASSWORD

    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat", Role.MEMBER)
    await log_in(london.client, "pat", PASSWORD)
    page = (await london.client.get("/account")).text
    assert 'name="kind" value="proposal_closing" checked' in page
    assert 'name="kind" value="digest">' in page
    response = await post_form(london.client, "/account/mail-choices", {"kind": "digest"})
    assert response.status_code == 303
    page = (await london.client.get("/account")).text
    assert 'name="kind" value="digest" checked' in page
    assert 'value="proposal_closing" checked' not in page and 'value="bulletin" checked' not in page
    bad = await post_form(london.client, "/account/mail-choices", {"kind": "everything"})
    assert bad.status_code == 422


async def test_an_office_holder_hears_two_weeks_before_their_term_ends_once_in_their_language(
    net: Network, mailbox: Mailbox
) -> None:
    london = await mailing_chapter(net, mailbox)
    for username in ("maya", "tom"):
        await add_member(london, username, Role.MEMBER)
        await confirmed_address(london, username, f"{username}@example.org", mailbox)
    maya = await london.ctx.repos.users.by_username("maya")
    tom = await london.ctx.repos.users.by_username("tom")
    assert maya is not None and tom is not None
    await london.ctx.mail.preferences.choose_language(tom.id, "de")  # chose German on the site
    today = date.today()
    roles = london.ctx.members.roles
    await roles.rotate(Role.SECRETARY, user_id=maya.id, ends_on=today + timedelta(days=10))
    await roles.rotate(Role.FACILITATOR, user_id=tom.id, ends_on=today + timedelta(days=14))
    await london.ctx.mail.notifications.sweep()

    ending = (today + timedelta(days=10)).strftime("%B %-d, %Y")
    english = await mailbox.wait_for_subject("maya@example.org", f"Your term as Secretary ends on {ending}")
    assert "http://london.test/members" in english.text()
    assert english.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    german = await mailbox.wait_for_subject("tom@example.org", "Deine Amtszeit als Moderator*in endet am")
    assert "Du hast dich dafür entschieden" in german.text()
    assert '<html lang="de">' in german.html() and "Abmelden" in german.html()

    # Told once per term: later sweeps send nothing more.
    counts = (len(mailbox.to("maya@example.org")), len(mailbox.to("tom@example.org")))
    await london.ctx.mail.notifications.sweep()
    await london.ctx.mail.worker.run_once()
    assert (len(mailbox.to("maya@example.org")), len(mailbox.to("tom@example.org"))) == counts


async def test_a_term_ending_later_or_a_member_who_said_no_hears_nothing(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    for username in ("maya", "tom"):
        await add_member(london, username, Role.MEMBER)
        await confirmed_address(london, username, f"{username}@example.org", mailbox)
    maya = await london.ctx.repos.users.by_username("maya")
    tom = await london.ctx.repos.users.by_username("tom")
    assert maya is not None and tom is not None
    await _choose(london, "tom", ["bulletin"])  # no notifications for tom
    roles = london.ctx.members.roles
    await roles.rotate(Role.SECRETARY, user_id=maya.id, ends_on=date.today() + timedelta(days=30))
    await roles.rotate(Role.FACILITATOR, user_id=tom.id, ends_on=date.today() + timedelta(days=3))
    assert await london.ctx.mail.notifications.sweep() == 0
    await london.ctx.mail.worker.run_once()
    assert len(mailbox.to("maya@example.org")) == len(mailbox.to("tom@example.org")) == 1  # the confirmation
