"""Delivery by e-mail, against real SMTP servers the tests start on 127.0.0.1.

Each server is an aiosmtpd ``Controller`` offering STARTTLS with a certificate the tests make
(signed by a CA the tests make too, given to briefing as ``ca_file`` so verification stays
on) and AUTH.  Fault servers refuse in the ways the README documents: nothing listening, a
451 then success, a 550 for a recipient, a 535 for the login, a socket that never answers,
one that trickles, one whose EHLO reply never ends, and servers that take the message but
drop the connection or never confirm it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import email.policy
import ipaddress
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from builders import make_briefing
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import briefing
import briefing.mail.runs as runs_module
from briefing.cli import (
    EXIT_AUTH,
    EXIT_LOCKED,
    EXIT_REJECTED,
    EXIT_SKIPPED,
    EXIT_TRANSIENT,
    EXIT_UNCONFIRMED,
    cli,
)
from briefing.config import EmailConfig
from briefing.errors import (
    AuthenticationError,
    ConfigError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from briefing.load import load_paths
from briefing.mail.ledger import LEDGER_NAME
from briefing.mail.lock import run_lock
from briefing.mail.message import DOCX_TYPE, build_message, digest_of
from briefing.mail.runs import send_briefing
from briefing.mail.smtp import deliver, resolve_password
from briefing.render import write_docx

USER = "brief"
PASSWORD = "s3cret-Pa55"  # what the test server accepts
DAY = "2026-11-28"
BRIEF = f"brief-{DAY}.docx"


# -- certificates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    ca_file: Path
    server_context: ssl.SSLContext


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> Certificates:
    """A CA and a server certificate for 127.0.0.1 signed by it, made for this test run."""
    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("briefing test CA"))
        .issuer_name(_name("briefing test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file = folder / "server.pem"
    key_file = folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return Certificates(ca_file=ca_file, server_context=context)


# -- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    tls: bool
    authenticated: bool

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)


@dataclass
class Handler:
    """Collects each message; replies to DATA from ``data_replies`` first, refuses ``refuse``.

    ``after_data`` is a fault once the message is in: 'drop' closes the connection instead
    of answering, 'hang' waits ``hang_seconds`` before answering.
    """

    data_replies: list[str] = field(default_factory=list)
    after_data: str = ""
    hang_seconds: float = 4.0
    refuse: frozenset[str] = frozenset()
    defer: frozenset[str] = frozenset()
    received: list[Received] = field(default_factory=list)
    data_calls: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such user"
        if address in self.defer:
            return f"451 4.3.0 <{address}>: mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.data_calls += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                content=envelope.content,
                # session.ssl is set by STARTTLS; implicit TLS shows on the transport.
                tls=session.ssl is not None
                or server.transport.get_extra_info("sslcontext") is not None,
                authenticated=session.authenticated,
            )
        )
        if self.after_data == "drop":
            server.transport.close()
        elif self.after_data == "hang":
            await asyncio.sleep(self.hang_seconds)
        return "250 2.0.0 OK"


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    handler: Handler
    port: int
    security: str = "starttls"


@pytest.fixture
def start_server(certificates) -> Iterator:
    """Start an SMTP server on 127.0.0.1 (STARTTLS required before AUTH and MAIL)."""
    controllers: list[Controller] = []

    def start(handler: Handler | None = None, *, implicit_tls: bool = False) -> Server:
        handler = handler or Handler()
        port = free_port()
        tls = {"ssl_context": certificates.server_context} if implicit_tls else {
            "tls_context": certificates.server_context, "require_starttls": True,
        }  # fmt: skip
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            authenticator=authenticator,
            auth_require_tls=not implicit_tls,
            **tls,
        )
        controller.start()
        controllers.append(controller)
        return Server(handler, port, "ssl" if implicit_tls else "starttls")

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def server(start_server) -> Server:
    return start_server()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel completes them) but never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


# -- configs and runs ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def password(monkeypatch) -> str:
    monkeypatch.setenv("BRIEFING_TEST_PASSWORD", PASSWORD)
    return PASSWORD


@pytest.fixture
def fake_build(monkeypatch) -> list[tuple[Path, ...]]:
    """Make ``briefing run`` build the small briefing of builders.py instead of ranking the
    example articles, so delivery tests do not depend on the ranking stages; return the
    inputs each build was given."""
    calls: list[tuple[Path, ...]] = []

    def build(paths, options):
        calls.append(tuple(paths))
        return make_briefing(title=options.title or "Budget briefing", date=options.date)

    monkeypatch.setattr(runs_module, "build_briefing", build)
    return calls


def write_config(
    folder: Path,
    examples: Path,
    port: int,
    ca_file: Path | None,
    *,
    security: str = "starttls",
    to: tuple[str, ...] = ("alice@example.com",),
    extra: str = "",
) -> Path:
    """Write a briefing.toml using the acceptance keys; return its path."""
    recipients = ", ".join(f'"{r}"' for r in to)
    ca = f'ca_file = "{ca_file}"' if ca_file else ""
    text = f"""
[input]
paths = ["{examples}"]

[output]
path = "briefs/brief-{{date}}.docx"

[briefing]
title = "Morning brief"

[email]
host = "127.0.0.1"
port = {port}
security = "{security}"
{ca}
username = "{USER}"
password_env = "BRIEFING_TEST_PASSWORD"
from = "Morning Brief <brief@example.com>"
to = [{recipients}]
subject = "Morning brief, {{date}}: {{top_story}}"
timeout = 5
retries = 2
retry_delay = 0.01
{extra}
"""
    path = folder / "briefing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def brief_path(tmp_path: Path) -> Path:
    return tmp_path / "briefs" / BRIEF


def attachment_of(message: email.message.EmailMessage) -> email.message.EmailMessage:
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    return attachments[0]


# -- the happy path --------------------------------------------------------------------------


def test_run_sends_the_brief_over_verified_starttls_with_auth_and_the_docx_intact(
    tmp_path, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY, "--cc", "Bob <bob@example.com>",
                 "--bcc", "archive@example.com")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == ""  # quiet on success
    (got,) = server.handler.received
    assert got.tls and got.authenticated
    assert got.mail_from == "brief@example.com"
    assert set(got.rcpt_tos) == {"alice@example.com", "bob@example.com", "archive@example.com"}
    message = got.message
    assert message["Subject"].startswith(f"Morning brief, {DAY}: ")
    assert message["To"] == "alice@example.com"
    assert message["Cc"] == "Bob <bob@example.com>"
    assert message["Bcc"] is None
    assert message["Message-ID"] and message["Date"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "Morning brief" in html and "Based on 8 articles" in html
    assert "<h2" in html and "Sources" in html
    assert "Morning brief" in text and "Based on 8 articles" in text
    attachment = attachment_of(message)
    assert attachment.get_content_type() == DOCX_TYPE
    assert attachment.get_filename() == BRIEF
    assert attachment.get_content() == brief_path(tmp_path).read_bytes()


def test_a_sent_brief_is_remembered_so_the_next_brief_marks_its_stories_seen(
    tmp_path, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY).exit_code == 0
    state = brief_path(tmp_path).parent / ".briefing-state.sqlite"
    assert state.is_file()
    # The next day's brief: a brief of the same day marks nothing seen.
    tomorrow = briefing.build(examples, state=state, date="2026-11-29")
    assert {story.status for story in tomorrow.stories} == {"seen"}


def test_a_dry_run_leaves_no_memory_of_a_brief_that_was_not_sent(
    tmp_path, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY, "--dry-run").exit_code == 0
    assert not (brief_path(tmp_path).parent / ".briefing-state.sqlite").exists()


def test_send_emails_a_brief_already_built_using_its_contents(
    tmp_path, examples, server, certificates
):
    brief = write_docx(make_briefing(), tmp_path / "budget.docx")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("send", brief, "--config", config, "--to", "carol@example.com")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    (got,) = server.handler.received
    assert got.rcpt_tos == ("carol@example.com",)
    message = got.message
    assert "Parliament passed the 2025 budget" in message["Subject"]
    assert "Opposition leaders said" in message.get_body(("html",)).get_content()
    assert attachment_of(message).get_content() == brief.read_bytes()


def test_implicit_tls_on_the_ssl_port_works_too(
    tmp_path, fake_build, examples, start_server, certificates
):
    server = start_server(implicit_tls=True)
    config = write_config(tmp_path, examples, server.port, certificates.ca_file, security="ssl")
    result = run("run", "--config", config, "--date", DAY)
    assert result.exit_code == 0, result.output
    (got,) = server.handler.received
    assert got.tls and got.authenticated


def test_dry_run_writes_the_eml_beside_the_brief_and_sends_nothing(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY, "--dry-run")
    assert result.exit_code == 0, result.output
    eml = brief_path(tmp_path).with_suffix(".eml")
    assert result.output.strip() == str(eml)
    assert server.handler.received == []
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "alice@example.com"
    assert attachment_of(message).get_content() == brief_path(tmp_path).read_bytes()
    assert not (brief_path(tmp_path).parent / LEDGER_NAME).exists()
    # Neither the .eml nor the .docx is an article to a later run over the folder.
    result = load_paths([brief_path(tmp_path).parent])
    assert result.articles == () and result.skipped == ()  # passed over, not skipped
    assert result.files_read >= 2


def test_the_email_of_the_example_articles_names_no_folder_of_the_server(
    tmp_path, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY, "--dry-run").exit_code == 0
    eml = brief_path(tmp_path).with_suffix(".eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    for body in (message.get_body((kind,)).get_content() for kind in ("html", "plain")):
        assert str(examples) not in body and "articles/" not in body
        assert "River Tamsin. 2026-11-18. hollin-water-sewage-ruling.txt" in body
        assert "https://northern-ledger.example/business/carrick-bay-pay-deal" in body


def test_a_second_run_the_same_day_does_not_send_again_unless_forced(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY).exit_code == 0
    again = run("run", "--config", config, "--date", DAY)
    assert again.exit_code == 0
    assert "already sent" in again.stderr and "--force" in again.stderr
    assert len(server.handler.received) == 1
    forced = run("run", "--config", config, "--date", DAY, "--force")
    assert forced.exit_code == 0, forced.output
    assert len(server.handler.received) == 2
    next_day = run("run", "--config", config, "--date", "2026-11-29")
    assert next_day.exit_code == 0
    assert len(server.handler.received) == 3


def sent_to(tmp_path: Path) -> list[list[str]]:
    """The recipients of each send recorded beside the brief, oldest first."""
    state = json.loads((brief_path(tmp_path).parent / LEDGER_NAME).read_text(encoding="utf-8"))
    return [record["recipients"] for record in state["sent"]]


def test_send_to_a_new_recipient_after_the_run_sends_it_to_them_only_and_records_them(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          extra='bcc = ["archive@example.com"]')  # fmt: skip
    assert run("run", "--config", config, "--date", DAY).exit_code == 0
    brief = brief_path(tmp_path)
    forwarded = run("send", brief, "--config", config, "--to", "editor@example.com")
    assert forwarded.exit_code == 0, forwarded.output
    assert forwarded.output == ""  # quiet: it was sent
    first, second = server.handler.received
    assert set(first.rcpt_tos) == {"alice@example.com", "archive@example.com"}
    # The archive (a Bcc of the config) already had it; the editor had not.
    assert second.rcpt_tos == ("editor@example.com",)
    assert second.message["To"] == "editor@example.com"
    assert attachment_of(second.message).get_content() == brief.read_bytes()
    assert sent_to(tmp_path) == [
        ["alice@example.com", "archive@example.com"],
        ["editor@example.com"],
    ]


def test_an_empty_bcc_on_the_command_line_clears_the_config_files_bcc(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          extra='bcc = ["archive@example.com"]')  # fmt: skip
    result = run("run", "--config", config, "--date", DAY, "--bcc", "")
    assert result.exit_code == 0, result.output
    (got,) = server.handler.received
    assert got.rcpt_tos == ("alice@example.com",)
    assert sent_to(tmp_path) == [["alice@example.com"]]


def test_sending_again_to_recipients_who_all_had_it_sends_nothing_and_names_them(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY).exit_code == 0
    brief = brief_path(tmp_path)
    assert run("send", brief, "--config", config, "--to", "editor@example.com").exit_code == 0
    again = run("send", brief, "--config", config, "--to", "Editor@Example.com",
                "--cc", "alice@example.com")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert len(server.handler.received) == 2
    (line,) = again.stderr.strip().splitlines()  # one line, even for cron's mail
    assert "already sent to every recipient asked for" in line
    assert "(Editor@Example.com, alice@example.com)" in line
    assert "nothing sent; --force sends it again" in line
    forced = run("send", brief, "--config", config, "--to", "editor@example.com", "--force")
    assert forced.exit_code == 0, forced.output
    assert server.handler.received[-1].rcpt_tos == ("editor@example.com",)


def send_to_alice_then_add_bob(tmp_path, examples, server, certificates) -> tuple[Path, bytes]:
    """Run once for Alice, then write the config with Bob added; return it and the brief."""
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    assert run("run", "--config", config, "--date", DAY).exit_code == 0
    sent = brief_path(tmp_path).read_bytes()
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          to=("alice@example.com", "bob@example.com"))  # fmt: skip
    return config, sent


def test_a_run_after_a_recipient_is_added_sends_them_the_brief_the_others_had(
    tmp_path, fake_build, examples, server, certificates
):
    config, sent = send_to_alice_then_add_bob(tmp_path, examples, server, certificates)
    result = run("run", "--config", config, "--date", DAY)
    assert result.exit_code == 0, result.output
    first, second = server.handler.received
    assert second.rcpt_tos == ("bob@example.com",)
    assert len(fake_build) == 1  # not rebuilt: Bob gets what Alice got
    assert brief_path(tmp_path).read_bytes() == sent
    assert attachment_of(second.message).get_content() == sent
    assert second.message["Subject"] == first.message["Subject"]
    assert sent_to(tmp_path) == [["alice@example.com"], ["bob@example.com"]]


def test_a_dry_run_after_the_send_neither_rebuilds_nor_overwrites_the_sent_brief(
    tmp_path, fake_build, examples, server, certificates
):
    config, sent = send_to_alice_then_add_bob(tmp_path, examples, server, certificates)
    result = run("run", "--config", config, "--date", DAY, "--dry-run")
    assert result.exit_code == 0, result.output
    assert len(fake_build) == 1
    assert brief_path(tmp_path).read_bytes() == sent
    eml = brief_path(tmp_path).with_suffix(".eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert attachment_of(message).get_content() == sent
    assert len(server.handler.received) == 1


@pytest.mark.parametrize("recipients", ["absent", None, 42, []])
def test_a_sent_record_that_names_no_recipients_counts_as_sent_to_everyone(
    tmp_path, examples, server, certificates, recipients
):
    brief = write_docx(make_briefing(date=dt.date.fromisoformat(DAY)), tmp_path / BRIEF)
    record = {"file": BRIEF, "date": DAY, "sent_at": f"{DAY}T06:30:00+00:00"}
    if recipients != "absent":
        record["recipients"] = recipients
    (tmp_path / LEDGER_NAME).write_text(json.dumps({"sent": [record]}), encoding="utf-8")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("send", brief, "--config", config, "--to", "editor@example.com")
    assert result.exit_code == 0, result.output
    assert server.handler.received == []
    assert "(editor@example.com), last at 2026-11-28T06:30:00+00:00; nothing sent" in (
        result.stderr
    )


def test_run_logs_to_a_file_and_never_the_password_or_the_body(
    tmp_path, fake_build, examples, server, certificates
):
    log = tmp_path / "briefing.log"
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          extra=f'[log]\nfile = "{log}"')  # fmt: skip
    result = run("run", "--config", config, "--date", DAY, "-vv")
    assert result.exit_code == 0, result.output
    logged = log.read_text(encoding="utf-8")
    assert "sent brief-2026-11-28.docx to 1 recipient(s)" in logged
    assert PASSWORD not in logged and PASSWORD not in result.output
    assert "Parliament passed" not in logged  # a sentence of the body


def test_skipped_inputs_are_named_and_the_run_exits_with_their_code(
    tmp_path, examples, server, certificates
):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.md").write_text(
        (examples / "carrick-bay-pay-deal.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (articles / "empty.txt").write_text("", encoding="utf-8")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", articles, "--config", config, "--date", DAY)
    assert result.exit_code == EXIT_SKIPPED
    assert "skipped" in result.stderr and "empty.txt" in result.stderr
    assert len(server.handler.received) == 1


# -- header injection ------------------------------------------------------------------------


def test_a_title_with_crlf_cannot_add_a_header(tmp_path, server, certificates):
    briefing = make_briefing(title="Budget\r\nBcc: evil@example.com\r\nX-Evil: 1")
    brief = write_docx(briefing, tmp_path / "b.docx")
    mail = EmailConfig(host="127.0.0.1", port=server.port, ca_file=certificates.ca_file,
                       sender="brief@example.com", to=("a@example.com",), subject="{title}",
                       retries=0)  # fmt: skip
    message = build_message(digest_of(briefing), brief, mail)
    deliver(message, mail)
    (got,) = server.handler.received
    assert got.rcpt_tos == ("a@example.com",)
    received = got.message
    assert received["Bcc"] is None and received["X-Evil"] is None
    assert received["Subject"] == "Budget Bcc: evil@example.com X-Evil: 1"
    assert b"\nBcc:" not in got.content and b"\nX-Evil:" not in got.content


def test_a_recipient_with_crlf_is_refused_before_anything_is_built(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--to", "a@example.com\r\nBcc: evil@example.com")
    assert result.exit_code == 1
    assert "control character" in result.stderr
    assert server.handler.received == []
    assert not (tmp_path / "briefs").exists()


# -- faults ----------------------------------------------------------------------------------


def assert_one_line_failure(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_nothing_listening_is_retried_then_ends_with_the_transient_code(
    tmp_path, fake_build, examples, certificates
):
    config = write_config(tmp_path, examples, free_port(), certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_TRANSIENT, "refused the connection", "3 attempts")
    assert brief_path(tmp_path).is_file()


def test_a_451_is_retried_and_the_next_attempt_delivers(
    tmp_path, fake_build, examples, start_server, certificates
):
    server = start_server(Handler(data_replies=["451 4.3.0 try again later"]))
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert result.exit_code == 0, result.output
    assert server.handler.data_calls == 2
    assert len(server.handler.received) == 1


def test_retries_wait_longer_each_time_then_give_up(tmp_path, start_server, certificates):
    server = start_server(Handler(data_replies=["451 4.3.0 busy"] * 3))
    mail = EmailConfig(host="127.0.0.1", port=server.port, ca_file=certificates.ca_file,
                       sender="brief@example.com", to=("a@example.com",), retries=2,
                       retry_delay=0.5)  # fmt: skip
    briefing = make_briefing()
    message = build_message(digest_of(briefing), write_docx(briefing, tmp_path / "b.docx"), mail)
    waits: list[float] = []
    with pytest.raises(TransientDeliveryError, match=r"451 4\.3\.0 busy.*gave up after 3 attempts"):
        deliver(message, mail, sleep=waits.append)
    assert waits == [0.5, 1.0]


def test_a_550_for_the_only_recipient_ends_with_the_rejection_code(
    tmp_path, fake_build, examples, start_server, certificates
):
    server = start_server(Handler(refuse=frozenset({"alice@example.com"})))
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_REJECTED, "alice@example.com", "550")
    assert server.handler.data_calls == 0
    assert brief_path(tmp_path).is_file()


def test_a_550_for_one_of_two_recipients_delivers_to_the_other_and_says_so(
    tmp_path, fake_build, examples, start_server, certificates
):
    server = start_server(Handler(refuse=frozenset({"ghost@example.com"})))
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          to=("alice@example.com", "ghost@example.com"))  # fmt: skip
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_REJECTED, "ghost@example.com (550", "alice@example.com")
    (got,) = server.handler.received
    assert got.rcpt_tos == ("alice@example.com",)
    # Alice has it, so a rerun tries the ghost alone, who is refused again.
    again = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(again, EXIT_REJECTED, "refused every recipient: ghost@example.com")
    assert len(server.handler.received) == 1
    assert len(fake_build) == 1  # the ghost was offered the brief Alice had, not a new one


def test_a_451_for_one_of_two_recipients_is_transient_and_a_rerun_reaches_them(
    tmp_path, fake_build, examples, start_server, certificates
):
    handler = Handler(defer=frozenset({"busy@example.com"}))
    server = start_server(handler)
    config = write_config(tmp_path, examples, server.port, certificates.ca_file,
                          to=("alice@example.com", "busy@example.com"))  # fmt: skip
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_TRANSIENT, "busy@example.com (451", "rerun")
    (got,) = server.handler.received
    assert got.rcpt_tos == ("alice@example.com",)
    handler.defer = frozenset()
    again = run("run", "--config", config, "--date", DAY)
    assert again.exit_code == 0, again.output
    assert server.handler.received[1].rcpt_tos == ("busy@example.com",)


def test_a_535_login_failure_ends_with_the_authentication_code_without_retrying(
    tmp_path, fake_build, examples, server, certificates, monkeypatch
):
    monkeypatch.setenv("BRIEFING_TEST_PASSWORD", "wrong-password")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_AUTH, "refused the login for user brief", "535")
    assert "wrong-password" not in result.output
    assert server.handler.received == []
    assert brief_path(tmp_path).is_file()


def test_a_server_that_never_answers_times_out_with_the_transient_code(
    tmp_path, fake_build, examples, silent_port, certificates
):
    config = write_config(tmp_path, examples, silent_port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY, "--timeout", "1", "--retries", "0")
    assert_one_line_failure(result, EXIT_TRANSIENT, "did not answer within 1 s")
    assert brief_path(tmp_path).is_file()


def test_certificate_verification_stays_on_without_the_private_ca(
    tmp_path, fake_build, examples, server
):
    config = write_config(tmp_path, examples, server.port, None)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_REJECTED, "certificate could not be verified")
    assert server.handler.received == []
    assert brief_path(tmp_path).is_file()


def test_a_run_while_another_holds_the_lock_ends_with_the_lock_code(
    tmp_path, fake_build, examples, server, certificates
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    folder = tmp_path / "briefs"
    folder.mkdir()
    with run_lock(folder):
        result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, EXIT_LOCKED, "another briefing run is in progress")
    assert not brief_path(tmp_path).exists()
    assert server.handler.received == []


def test_a_missing_password_variable_fails_the_run_before_anything_is_built(
    tmp_path, fake_build, examples, server, certificates, monkeypatch
):
    monkeypatch.delenv("BRIEFING_TEST_PASSWORD")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, 1, "BRIEFING_TEST_PASSWORD")
    assert fake_build == []
    assert not brief_path(tmp_path).exists()
    # A dry run needs no password.
    assert run("run", "--config", config, "--date", DAY, "--dry-run").exit_code == 0


@pytest.mark.parametrize(
    ("extra", "options", "message"),
    [
        ("", ("--subject", "Brief {dat}"), "unknown field"),
        ('html_template = "no-such-template.html"', (), "no-such-template.html"),
    ],
)
def test_a_bad_subject_or_template_fails_the_run_before_anything_is_built(
    tmp_path, fake_build, examples, server, certificates, extra, options, message
):
    config = write_config(tmp_path, examples, server.port, certificates.ca_file, extra=extra)
    result = run("run", "--config", config, "--date", DAY, *options)
    assert_one_line_failure(result, 1, message)
    assert fake_build == []
    assert not brief_path(tmp_path).exists()


def test_send_of_a_file_that_is_not_there_is_an_error(tmp_path, examples, certificates):
    config = write_config(tmp_path, examples, free_port(), certificates.ca_file)
    result = run("send", tmp_path / "absent.docx", "--config", config)
    assert_one_line_failure(result, 1, "absent.docx", "no such file")


def test_the_password_may_come_from_the_keyring(monkeypatch):
    asked: list[tuple[str, str]] = []

    def get_password(service: str, user: str) -> str:
        asked.append((service, user))
        return "from-keyring"

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    mail = EmailConfig(username="brief", password_keyring="smtp.example.com")
    assert resolve_password(mail) == "from-keyring"
    assert asked == [("smtp.example.com", "brief")]


def test_send_briefing_reports_an_authentication_error_as_its_own_type(
    tmp_path, server, certificates, monkeypatch
):
    monkeypatch.setenv("BRIEFING_TEST_PASSWORD", "nope")
    mail = EmailConfig(host="127.0.0.1", port=server.port, ca_file=certificates.ca_file,
                       username=USER, password_env="BRIEFING_TEST_PASSWORD",
                       sender="brief@example.com", to=("a@example.com",))  # fmt: skip
    brief = write_docx(make_briefing(), tmp_path / "b.docx")
    with pytest.raises(AuthenticationError):
        send_briefing(brief, mail)
    with pytest.raises(ConfigError, match="unknown field"):
        send_briefing(brief, EmailConfig(sender="b@example.com", to=("a@example.com",),
                                         subject="{headline}"))  # fmt: skip


def test_an_output_folder_blocked_by_a_file_is_named_in_one_line(
    tmp_path, fake_build, examples, server, certificates
):
    (tmp_path / "briefs").write_text("not a folder", encoding="utf-8")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(result, 1, "cannot create the folder", f"{tmp_path / 'briefs'} is a file")
    assert fake_build == []
    assert (tmp_path / "briefs").read_text(encoding="utf-8") == "not a folder"


@contextlib.contextmanager
def raw_server(serve: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """Run ``serve(listener, stop)`` in a thread on a listening socket of 127.0.0.1; yield
    its port; at the end set ``stop`` and close the listener."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()
    server = threading.Thread(target=serve, args=(listener, stop), daemon=True)
    server.start()
    yield listener.getsockname()[1]
    stop.set()
    server.join(timeout=5)
    listener.close()


def trickle(listener: socket.socket, stop: threading.Event) -> None:
    """Send every client its greeting one byte every 0.2 s, for ever (until ``stop``): each
    read gets a byte in time, so only a deadline ends the exchange."""
    listener.settimeout(0.2)
    clients = []
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            clients.append(listener.accept()[0])
        for client in clients:
            with contextlib.suppress(OSError):
                client.send(b"2")
    for client in clients:
        client.close()


def endless_ehlo(listener: socket.socket, stop: threading.Event) -> None:
    """Greet one client, then answer its EHLO with '250-' lines for ever (until ``stop``)."""
    client, _ = listener.accept()
    with client:
        client.sendall(b"220 endless.example ESMTP\r\n")
        client.recv(1024)
        line = b"250-" + b"x" * 70 + b"\r\n"
        with contextlib.suppress(OSError):
            while not stop.is_set():
                client.sendall(line * 100)


def seconds_to_fail(
    tmp_path: Path, certificates, port: int, timeout: float, error: type, match: str
) -> float:
    """Deliver a small brief to ``port`` without retries; check that it raises ``error``
    matching ``match``; return how many seconds that took."""
    mail = EmailConfig(host="127.0.0.1", port=port, ca_file=certificates.ca_file,
                       sender="brief@example.com", to=("a@example.com",), retries=0,
                       timeout=timeout)  # fmt: skip
    briefing = make_briefing()
    message = build_message(digest_of(briefing), write_docx(briefing, tmp_path / "b.docx"), mail)
    started = time.monotonic()
    with pytest.raises(error, match=match):
        deliver(message, mail)
    return time.monotonic() - started


def test_a_server_that_trickles_its_greeting_is_cut_off_at_the_timeout(tmp_path, certificates):
    with raw_server(trickle) as port:
        took = seconds_to_fail(tmp_path, certificates, port, 1, TransientDeliveryError, "within 1 s")
    assert took < 10  # a deadline, not a timeout for each byte


# -- at most once: the server has the message but did not say so ---------------------------


@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_a_message_the_server_never_confirms_is_not_sent_again_by_the_run_or_its_rerun(
    tmp_path, fake_build, examples, start_server, certificates, fault
):
    server = start_server(Handler(after_data=fault))
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("run", "--config", config, "--date", DAY, "--timeout", "1")
    assert_one_line_failure(result, EXIT_UNCONFIRMED, "may have been delivered", "--force")
    assert server.handler.data_calls == 1  # no retry, though retries = 2
    state = json.loads((brief_path(tmp_path).parent / LEDGER_NAME).read_text(encoding="utf-8"))
    assert [r["status"] for r in state["sent"]] == ["unconfirmed"]

    again = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(again, EXIT_UNCONFIRMED, "may already have reached alice@example.com")
    assert len(server.handler.received) == 1
    assert len(fake_build) == 1

    server.handler.after_data = ""
    forced = run("run", "--config", config, "--date", DAY, "--force")
    assert forced.exit_code == 0, forced.output
    assert len(server.handler.received) == 2


def test_a_run_killed_while_waiting_for_the_250_is_not_sent_again_by_its_rerun(
    tmp_path, examples, start_server, certificates
):
    server = start_server(Handler(after_data="hang", hang_seconds=30))
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    command = [sys.executable, "-m", "briefing", "run", "--config", str(config), "--date", DAY]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as run_:
        deadline = time.monotonic() + 60
        while not server.handler.received and time.monotonic() < deadline:
            assert run_.poll() is None, run_.stderr.read() if run_.stderr else ""
            time.sleep(0.05)
        assert server.handler.received, "the run never reached DATA"
        run_.kill()  # kill -9 while the server holds its 250
    server.handler.after_data = ""
    again = run("run", "--config", config, "--date", DAY)
    assert_one_line_failure(again, EXIT_UNCONFIRMED, "may already have reached alice@example.com")
    assert len(server.handler.received) == 1


def test_a_send_killed_before_the_server_answered_counts_as_possibly_delivered(
    tmp_path, examples, server, certificates
):
    # What a kill -9 between DATA and the 250 leaves: the attempt, recorded before DATA.
    brief = write_docx(make_briefing(date=dt.date.fromisoformat(DAY)), tmp_path / BRIEF)
    record = {"file": BRIEF, "date": DAY, "sent_at": f"{DAY}T06:30:00+00:00",
              "recipients": ["alice@example.com"], "message_id": "<1@x>",
              "status": "unconfirmed"}  # fmt: skip
    (tmp_path / LEDGER_NAME).write_text(json.dumps({"sent": [record]}), encoding="utf-8")
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("send", brief, "--config", config)
    assert_one_line_failure(result, EXIT_UNCONFIRMED, f"{BRIEF} may already have reached")
    assert server.handler.data_calls == 0
    # A recipient that attempt did not name still gets it, and only they do.
    other = run("send", brief, "--config", config, "--to", "bob@example.com")
    assert other.exit_code == 0, other.output
    assert [r.rcpt_tos for r in server.handler.received] == [("bob@example.com",)]


def test_a_ledger_that_cannot_be_written_before_data_stops_the_send(
    tmp_path, examples, server, certificates
):
    brief = write_docx(make_briefing(date=dt.date.fromisoformat(DAY)), tmp_path / BRIEF)
    (tmp_path / LEDGER_NAME).mkdir()  # neither readable nor replaceable as a file
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("send", brief, "--config", config)
    assert_one_line_failure(result, 1, "sent ledger", LEDGER_NAME)
    assert server.handler.data_calls == 0


def test_a_ledger_write_that_fails_after_the_send_fails_the_run_and_the_rerun_sends_nothing(
    tmp_path, examples, start_server, certificates
):
    brief = write_docx(make_briefing(date=dt.date.fromisoformat(DAY)), tmp_path / BRIEF)
    ledger = tmp_path / LEDGER_NAME

    class LedgerLost(Handler):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            ledger.unlink()  # as if the disk filled: the 'sent' mark cannot be written
            ledger.mkdir()
            return await super().handle_DATA(server, session, envelope)

    server = start_server(LedgerLost())
    config = write_config(tmp_path, examples, server.port, certificates.ca_file)
    result = run("send", brief, "--config", config)
    assert_one_line_failure(result, 1, "sent to alice@example.com, but", "could not be updated")
    again = run("send", brief, "--config", config)
    assert again.exit_code == 1
    assert len(server.handler.received) == 1


def test_an_ehlo_reply_that_never_ends_is_cut_off_at_the_reply_limit(tmp_path, certificates):
    with raw_server(endless_ehlo) as port:
        took = seconds_to_fail(tmp_path, certificates, port, 20, PermanentDeliveryError,
                               "a reply longer than 64 KB")  # fmt: skip
    assert took < 10  # cut at the limit, not at the deadline


def test_a_run_refuses_a_missing_ca_file_or_an_output_not_docx_before_it_builds(
    tmp_path, examples, server
):
    missing = tmp_path / "nope.pem"
    config = write_config(tmp_path, examples, server.port, missing)
    result = run("run", "--config", config, "--date", DAY, "--dry-run")
    assert result.exit_code == 1
    assert "cannot load the CA file" in result.output and str(missing) in result.output
    assert not brief_path(tmp_path).exists()  # refused before the build, dry run or not
    config = write_config(tmp_path, examples, server.port, None)
    text = config.read_text(encoding="utf-8").replace("brief-{date}.docx", "brief-{date}.md")
    config.write_text(text, encoding="utf-8")
    result = run("run", "--config", config, "--date", DAY, "--dry-run")
    assert result.exit_code == 1
    assert "name it .docx" in result.output and "brief-{date}.md" in result.output
    assert not (tmp_path / "briefs").exists()  # a Word file named .md is never written
    assert server.handler.received == []


def test_a_run_or_send_without_a_config_file_says_none_was_given(tmp_path, examples):
    result = run("run", str(examples), "--date", DAY, "--dry-run")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: [email] from is missing: who sends the briefing? "
        "(no config file given: --config FILE)"
    )
    brief = tmp_path / "brief.docx"
    brief.write_bytes(b"PK")
    result = run("send", str(brief))
    assert result.exit_code == 1 and "(no config file given: --config FILE)" in result.output


def test_starttls_asked_of_a_server_that_offers_none_says_to_check_security(
    tmp_path, fake_build, examples
):
    handler = Handler()
    plain = Controller(handler, hostname="127.0.0.1", port=free_port())
    plain.start()
    try:
        config = write_config(tmp_path, examples, plain.port, None)
        result = run("run", "--config", config, "--date", DAY)
    finally:
        plain.stop()
    assert result.exit_code == EXIT_REJECTED, result.output
    assert "STARTTLS" in result.output and result.output.rstrip().endswith("; check security")
    assert handler.received == [] and brief_path(tmp_path).is_file()
