"""A bulletin's footer and the subscription confirmation are in the reader's
language: the one a member chose on the site, else the chapter's; a
subscriber (who has no account) gets the chapter's. What the secretary wrote
goes out as written. Through a real SMTP server (aiosmtpd)."""
from __future__ import annotations

from dataclasses import replace

from fedchapter.roles import Role
from tests.support.instances import Instance, Network, make_chapter_folder
from tests.support.smtp import Mailbox
from tests.support.web_forms import csrf_token, log_in, post_form
from tests.web.mail_helpers import PASSWORD, add_member, confirmed_address, path_of


async def _german_chapter(net: Network, mailbox: Mailbox) -> Instance:
    settings = await make_chapter_folder(net.root / "berlin", handle="berlin", host="berlin.test")
    settings = replace(settings, smtp_host=mailbox.host, smtp_port=mailbox.port, smtp_security="none",
                       mail_from="news@berlin.test", language="de")
    return await net.start(settings)


async def test_bulletin_footers_are_in_each_readers_language(net: Network, mailbox: Mailbox) -> None:
    berlin = await _german_chapter(net, mailbox)
    for username, role in (("sec", Role.SECRETARY), ("pat", Role.MEMBER), ("kim", Role.MEMBER)):
        await add_member(berlin, username, role)
        await confirmed_address(berlin, username, f"{username}@example.org", mailbox)
    pat = await berlin.ctx.repos.users.by_username("pat")
    assert pat is not None
    await berlin.ctx.mail.preferences.choose_language(pat.id, "en")  # chose English on the site

    token = await csrf_token(berlin.client, "/bulletins")
    assert (await berlin.client.post("/bulletins/subscribe",
                                     data={"email": "leser@example.net", "csrf_token": token})).status_code == 200
    [confirmation] = await mailbox.wait_for("leser@example.net")
    assert confirmation.message["Subject"].startswith("Bestätige dein Abonnement")
    assert '<html lang="de">' in confirmation.html() and "Ja, schick mir den Rundbrief" in confirmation.html()
    [link] = [url for url in confirmation.links() if "/bulletins/confirm/" in url]
    assert link in confirmation.text() and "innerhalb einer Woche" in confirmation.text()
    assert (await berlin.client.get(path_of(link))).status_code == 200

    await log_in(berlin.client, "sec", PASSWORD)
    written = await post_form(berlin.client, "/bulletins/new", {"title": "Frühjahr", "body": "Wir treffen uns."},
                              page="/bulletins/new")
    bulletin_id = written.headers["location"].split("/")[2]
    sent = await post_form(berlin.client, f"/bulletins/{bulletin_id}/send", {},
                           page=f"/bulletins/{bulletin_id}/preview")
    assert sent.status_code == 303

    english = await mailbox.wait_for_subject("pat@example.org", "Frühjahr")
    assert "Wir treffen uns." in english.text()
    assert "Read it online: http://berlin.test/posts/" in english.text()
    assert "You receive the bulletin of" in english.text() and '<html lang="en">' in english.html()
    assert ">Unsubscribe</a>" in english.html()
    for address in ("kim@example.org", "leser@example.net"):  # no choice, and a subscriber: the chapter's
        german = await mailbox.wait_for_subject(address, "Frühjahr")
        assert "Wir treffen uns." in german.text() and "Online lesen: http://berlin.test/posts/" in german.text()
        assert "Read it online" not in german.text() and "Unsubscribe" not in german.html()
        assert '<html lang="de">' in german.html() and ">Abmelden</a>" in german.html()
        assert german.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
