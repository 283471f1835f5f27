"""An account's email address and the password reset by mail, with the mail
going through a real SMTP server (aiosmtpd) in the test process."""
from __future__ import annotations

import re
from pathlib import Path

from fedchapter.clock import utc_now
from tests.support.instances import ADMIN_PASSWORD, Instance, Network
from tests.support.smtp import Mailbox
from tests.support.web_forms import csrf_token, log_in, post_form
from tests.web.mail_helpers import (
    PASSWORD,
    add_member,
    confirmed_address,
    mailing_chapter,
    path_of,
)


async def _mail_rows(instance: Instance) -> int:
    return int(await instance.ctx.database.fetchvalue("SELECT COUNT(*) FROM outgoing_mail"))


async def test_confirming_an_address_by_the_mailed_link(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat")
    await log_in(london.client, "pat", PASSWORD)
    response = await post_form(london.client, "/account/email", {"email": "Pat@Example.ORG"})
    assert response.status_code == 303
    # Not confirmed yet: the address counts only once the link is followed.
    assert "Pat@" not in (await london.client.get("/account")).text.lower().replace("pat@example.org", "")
    [mail] = await mailbox.wait_for("pat@example.org")
    assert mail.sender == "news@london.test"
    assert mail.message["To"] == "pat@example.org"
    assert mail.message["From"].addresses[0].display_name == "London Chapter"
    assert mail.message["Subject"] == "Confirm your address for London Chapter"
    assert mail.message["Message-ID"].endswith("@london.test>")
    assert mail.message.get_content_type() == "multipart/alternative"
    [link] = [url for url in mail.links() if "/account/email/confirm/" in url]
    assert link.startswith("http://london.test/account/email/confirm/")
    assert f'href="{link}"' in mail.html()
    # The token is stored only as a hash.
    token = link.rsplit("/", 1)[1]
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM mail_tokens WHERE token_hash = ?", (token,)) == 0
    confirmed = await london.client.get(path_of(link))
    assert confirmed.status_code == 200 and "pat@example.org" in confirmed.text
    assert "Your confirmed address: pat@example.org" in (await london.client.get("/account")).text
    # Single use.
    assert (await london.client.get(path_of(link))).status_code == 400


async def test_an_address_with_a_newline_is_refused_and_nothing_is_stored_or_sent(
    net: Network, mailbox: Mailbox
) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat")
    await log_in(london.client, "pat", PASSWORD)
    for bad in ("pat@example.org\r\nBcc: victim@example.net", "pat@example.org\nx", "pat@example.org\n", "not an address",
                "a@b.org, c@d.org", "<a@b.org>"):
        response = await post_form(london.client, "/account/email", {"email": bad})
        assert response.status_code == 303
        page = (await london.client.get("/account")).text
        assert "That address cannot be used" in page, bad
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM mail_tokens") == 0
    assert await _mail_rows(london) == 0
    for bad in ("pat@example.org\nBcc: victim@example.net", "x\ny", "pat\n"):
        response = await london.client.post("/password-reset", data={
            "email": bad, "csrf_token": await csrf_token(london.client, "/password-reset")})
        assert response.status_code == 422
    assert await _mail_rows(london) == 0
    assert mailbox.received == []


async def test_password_reset_by_mail(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat")
    await confirmed_address(london, "pat", "pat@example.org", mailbox)
    # A session from before the reset ends with it.
    await log_in(london.client, "pat", PASSWORD)
    sessions = await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM sessions")
    assert sessions == 1

    async def ask(value: str) -> str:
        token = await csrf_token(london.client, "/password-reset")
        response = await london.client.post("/password-reset", data={"email": value, "csrf_token": token})
        assert response.status_code == 200
        return re.sub(r'value="[^"]+"', "", response.text)

    known = await ask("pat@example.org")
    unknown = await ask("nobody@example.org")
    no_address = await ask("admin")  # an account without an address
    assert known == unknown == no_address  # the same answer: nobody learns who has an account
    [_confirm, reset] = await mailbox.wait_for("pat@example.org", 2)
    assert mailbox.to("nobody@example.org") == []
    assert reset.message["Subject"] == "Reset your password for London Chapter"
    assert "pat" in reset.text()
    [link] = [url for url in reset.links() if "/password-reset/" in url]
    assert f'href="{link}"' in reset.html()
    page = await london.client.get(path_of(link))
    assert page.status_code == 200 and "pat" in page.text

    token = await csrf_token(london.client, path_of(link))
    mismatch = await london.client.post(path_of(link), data={
        "new_password": "a brand new secret", "new_password_again": "another", "csrf_token": token})
    assert mismatch.status_code == 422  # and the link still works
    done = await london.client.post(path_of(link), data={
        "new_password": "a brand new secret", "new_password_again": "a brand new secret", "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM sessions") == 0
    assert (await log_in(london.client, "pat", PASSWORD)).status_code == 401
    london.client.cookies.clear()
    assert (await log_in(london.client, "pat", "a brand new secret")).status_code == 303
    # Used once: the link is dead now.
    again = await london.client.get(path_of(link))
    assert again.status_code == 400
    forged = await london.client.get("/password-reset/forged-token-value")
    assert forged.status_code == 400


async def test_a_reset_link_expires(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat")
    await confirmed_address(london, "pat", "pat@example.org", mailbox)
    await london.ctx.mail.accounts.request_reset("pat@example.org")
    [_confirm, reset] = await mailbox.wait_for("pat@example.org", 2)
    [link] = [url for url in reset.links() if "/password-reset/" in url]
    await london.ctx.database.execute("UPDATE mail_tokens SET expires_at = '2000-01-01T00:00:00Z'")
    assert (await london.client.get(path_of(link))).status_code == 400


async def test_reset_mails_to_one_address_are_limited(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "pat")
    await confirmed_address(london, "pat", "pat@example.org", mailbox)
    for _ in range(5):
        await london.ctx.mail.accounts.request_reset("pat")
    assert await london.ctx.database.fetchvalue("SELECT COUNT(*) FROM outgoing_mail WHERE kind = 'reset'") == 3


async def test_without_a_mail_server_mail_is_written_to_the_data_folder_and_listed_for_admins(net: Network) -> None:
    london = await net.chapter("london")
    await add_member(london, "pat")
    user = await london.ctx.repos.users.by_username("pat")
    assert user is not None
    await london.ctx.mail.accounts.request_confirmation(user, "pat@example.org")
    folder: Path = london.settings.data_dir / "mail"
    for _ in range(200):
        if list(folder.glob("*.eml")):
            break
        await london.ctx.mail.worker.run_once()
    [written] = list(folder.glob("*.eml"))
    text = written.read_text()
    assert "To: pat@example.org" in text and "Subject: Confirm your address for London Chapter" in text
    await log_in(london.client, "pat", PASSWORD)
    assert (await london.client.get("/admin/mail")).status_code == 403
    london.client.cookies.clear()
    await log_in(london.client, "admin", ADMIN_PASSWORD)
    page = (await london.client.get("/admin/mail")).text
    assert "No mail server is set" in page and "pat@example.org" in page and "sent" in page
    [mail_id] = re.findall(r'href="/admin/mail/(\d+)"', page)
    shown = await london.client.get(f"/admin/mail/{mail_id}")
    assert shown.headers["content-type"].startswith("text/plain") and "To: pat@example.org" in shown.text


async def test_a_temporary_refusal_is_retried_later_and_a_permanent_one_gives_up(
    net: Network, mailbox: Mailbox
) -> None:
    mailbox.refuse["later@example.org"] = (451, "try again later")
    mailbox.refuse["never@example.org"] = (550, "no such user")
    london = await mailing_chapter(net, mailbox)
    outbox = london.ctx.mail.outbox
    later = await outbox.put("test", "later@example.org", "Hello", "text", "<p>html</p>")
    never = await outbox.put("test", "never@example.org", "Hello", "text", "<p>html</p>")
    repo = london.ctx.repos.outgoing_mail
    for _ in range(200):
        rows = [await repo.get(later), await repo.get(never)]
        if all(row is not None and row.attempts for row in rows):
            break
        await london.ctx.mail.worker.run_once()
    first, second = await repo.get(later), await repo.get(never)
    assert first is not None and second is not None
    assert (first.state.value, first.attempts) == ("queued", 1)
    assert "451" in (first.last_error or "") and first.next_try_at > utc_now()
    assert (second.state.value, second.attempts) == ("failed", 1) and "550" in (second.last_error or "")
    # Nothing is due now: the retry waits for its back-off.
    assert await london.ctx.mail.worker.run_once() == 0
    del mailbox.refuse["later@example.org"]
    await london.ctx.database.execute("UPDATE outgoing_mail SET next_try_at = '2000-01-01T00:00:00Z' WHERE id = ?",
                                      (later,))
    await london.ctx.mail.worker.run_once()
    sent = await repo.get(later)
    assert sent is not None and (sent.state.value, sent.attempts) == ("sent", 2)
    assert len(mailbox.to("later@example.org")) == 1


async def test_a_member_who_reads_german_gets_their_mail_in_german(net: Network, mailbox: Mailbox) -> None:
    london = await mailing_chapter(net, mailbox)
    await add_member(london, "jonas")
    await log_in(london.client, "jonas", PASSWORD)
    await london.client.get("/account?lang=de")  # the language switch in the header
    response = await post_form(london.client, "/account/email", {"email": "jonas@example.org"})
    assert response.status_code == 303
    [confirm] = await mailbox.wait_for("jonas@example.org", 1)
    assert confirm.message["Subject"] == "Bestätige deine Adresse für London Chapter"
    assert "Hallo Jonas," in confirm.text() and '<html lang="de">' in confirm.html()
    assert "Meine Adresse bestätigen" in confirm.html()
    [link] = [url for url in confirm.links() if "/account/email/confirm/" in url]
    assert (await london.client.get(path_of(link))).status_code == 200

    await london.ctx.mail.accounts.request_reset("jonas@example.org")
    reset = (await mailbox.wait_for("jonas@example.org", 2))[-1]
    assert reset.message["Subject"] == "Setze dein Passwort für London Chapter zurück"
    assert "Ein neues Passwort wählen" in reset.html() and "/password-reset/" in reset.text()
