"""The SMTP transport against a real server, the folder transport, addresses,
signed unsubscribe tokens and the mail settings."""
from __future__ import annotations

from pathlib import Path

import pytest

from fedchapter.errors import ValidationError
from fedchapter.mail.addresses import check_address
from fedchapter.mail.transport import FolderTransport, Outcome, SmtpTransport
from fedchapter.mail.unsubscribe import UnsubscribeSigner
from fedchapter.settings import SettingsError, load_settings
from tests.support.smtp import smtp_server

MESSAGE = "From: a@london.test\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_smtp_with_login() -> None:
    with smtp_server(user="chapter", password="s3cret") as mailbox:
        good = SmtpTransport(mailbox.host, mailbox.port, "none", user="chapter", password="s3cret")
        assert (await good.send(1, "a@london.test", "b@example.org", MESSAGE)).outcome is Outcome.SENT
        [mail] = await mailbox.wait_for("b@example.org")
        assert mail.message["Subject"] == "hi"
        wrong = SmtpTransport(mailbox.host, mailbox.port, "none", user="chapter", password="wrong")
        result = await wrong.send(2, "a@london.test", "b@example.org", MESSAGE)
        # A refused login is the admin's to fix: kept for a retry, not dropped.
        assert result.outcome is Outcome.RETRY and "535" in (result.error or "")
        assert len(mailbox.to("b@example.org")) == 1


async def test_starttls_to_a_server_without_it_is_not_sent_in_the_clear() -> None:
    with smtp_server() as mailbox:
        transport = SmtpTransport(mailbox.host, mailbox.port, "starttls")
        result = await transport.send(1, "a@london.test", "b@example.org", MESSAGE)
        assert result.outcome is Outcome.RETRY and "STARTTLS" in (result.error or "")
        assert mailbox.received == []


async def test_no_server_listening_is_a_retry() -> None:
    with smtp_server() as mailbox:
        port = mailbox.port
    result = await SmtpTransport("127.0.0.1", port, "none", timeout=2).send(1, "a@x.test", "b@y.test", MESSAGE)
    assert result.outcome is Outcome.RETRY


async def test_the_folder_transport_writes_one_file_per_mail(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path / "mail")
    assert (await transport.send(7, "a@x.test", "b@y.test", MESSAGE)).outcome is Outcome.SENT
    assert transport.path_of(7).read_bytes().decode() == MESSAGE  # CRLF kept: a valid .eml
    assert [path.name for path in (tmp_path / "mail").iterdir()] == ["00000007.eml"]


@pytest.mark.parametrize("bad", [
    "a@b.org\nBcc: c@d.org", "a@b.org\r", "a b@c.org", "a@b", "<a@b.org>", "a@b.org,c@d.org", "", "@b.org",
    "a\"b@c.org", "x" * 250 + "@b.org",
])
def test_addresses_that_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        check_address(bad)


def test_an_address_keeps_its_local_part_and_lowers_its_domain() -> None:
    assert check_address("  Pat.O+news@Example.ORG ") == "Pat.O+news@example.org"


def test_unsubscribe_tokens_are_signed() -> None:
    signer = UnsubscribeSigner("a" * 40)
    token = signer.token("pat@example.org", "bulletin")
    read = signer.read(token)
    assert (read.address, read.kind) == ("pat@example.org", "bulletin")
    other = signer.token("eve@example.org", "bulletin")
    forged = token.split(".")[0] + "." + other.split(".")[1]
    for bad in (forged, token + "x", "", "abc", token.replace(".", ""), "!!!." + token.split(".")[1]):
        with pytest.raises(ValidationError):
            signer.read(bad)
    with pytest.raises(ValidationError):
        UnsubscribeSigner("b" * 40).read(token)


def _folder(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "fedchapter.toml").write_text(f'base_url = "https://c.example"\nhandle = "c"\n{extra}')
    return tmp_path


def test_mail_settings(tmp_path: Path) -> None:
    settings = load_settings(_folder(tmp_path, 'smtp_host = "mail.example"\nsmtp_port = 465\n'
                                                'smtp_security = "tls"\nmail_from = "news@c.example"\n'), environ={})
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_security) == ("mail.example", 465, "tls")
    assert settings.mail_folder == tmp_path / "mail"
    assert load_settings(tmp_path, environ={"FEDCHAPTER_SMTP_PASSWORD": "pw"}).smtp_password == "pw"
    with pytest.raises(SettingsError, match="smtp_security"):
        load_settings(tmp_path, environ={"FEDCHAPTER_SMTP_SECURITY": "ssl3"})
    with pytest.raises(SettingsError, match="mail_from"):
        load_settings(tmp_path, environ={"FEDCHAPTER_MAIL_FROM": "nobody"})
    with pytest.raises(SettingsError, match="one line"):
        load_settings(tmp_path, environ={"FEDCHAPTER_MAIL_FROM": "a@b.org\nBcc: c@d.org"})
