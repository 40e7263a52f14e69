"""Send an ``EmailMessage`` over SMTP, retrying what may pass and never what may have landed.

``deliver`` retries transient failures (no connection, 4xx replies, timeouts) with a
doubling delay and reports permanent ones (5xx, refused recipients, bad credentials) as
their own ``DeliveryError`` subclasses.  Once the server has been given the message, a lost
connection or a missing reply is neither: the message may have been delivered, and
``UnconfirmedDeliveryError`` ends the attempt without a retry.  ``mail.timeout`` bounds each
attempt's whole exchange, and no reply may run past ``MAX_REPLY_BYTES``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from typing import IO, Any

from ..config import EmailConfig, parse_address
from ..errors import (
    AuthenticationError,
    ConfigError,
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
    UnconfirmedDeliveryError,
)

logger = logging.getLogger(__name__)


def resolve_password(mail: EmailConfig) -> str | None:
    """Return the SMTP password (str) for ``mail.username``, or None when there is no username.

    It comes from the environment variable ``password_env`` or, failing that, from the
    keyring service ``password_keyring``; it is never logged.  Raises ConfigError when it
    cannot be found.
    """
    if not mail.username:
        return None
    if mail.password_env:
        password = os.environ.get(mail.password_env)
        if password:
            return password
        if not mail.password_keyring:
            raise ConfigError(
                f"the environment variable {mail.password_env} (password_env) is not set or "
                "is empty; it should hold the SMTP password"
            )
    if mail.password_keyring:
        try:
            import keyring
        except ImportError as exc:
            raise ConfigError(
                "password_keyring needs the keyring package: pip install keyring"
            ) from exc
        try:
            password = keyring.get_password(mail.password_keyring, mail.username)
        except Exception as exc:  # keyring backends raise their own types
            raise ConfigError(f"the keyring could not be read: {type(exc).__name__}") from exc
        if password:
            return password
        raise ConfigError(
            f"the keyring has no password for {mail.username} in service {mail.password_keyring}"
        )
    raise ConfigError("[email] username is set but neither password_env nor password_keyring is")


def check_tls(mail: EmailConfig) -> None:
    """Raise ConfigError now, before a brief is built, when ``mail`` names a CA file that
    cannot be loaded (see ``tls_context``)."""
    if mail.security != "none" and mail.ca_file is not None:
        tls_context(mail)


def tls_context(mail: EmailConfig) -> ssl.SSLContext:
    """Return the SSLContext for ``mail``: certificates and host name always verified.

    ``mail.ca_file`` (a PEM file) replaces the system's CAs, for private servers.
    """
    try:
        return ssl.create_default_context(cafile=str(mail.ca_file) if mail.ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the CA file {mail.ca_file}: {exc}") from exc


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())


def _said(exc: smtplib.SMTPResponseException) -> str:
    """Return the server's reply behind ``exc`` as one line (str): its code and its text."""
    return f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"


def describe_refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{who} ({code} {_reply_text(why)})" for who, (code, why) in refused.items())


def classify_failure(exc: BaseException, mail: EmailConfig) -> DeliveryError:
    """Return the DeliveryError (transient, permanent or authentication) that ``exc`` means.

    The message is one line naming the server and what it said; it never holds the password
    or the message body.
    """
    where = f"{mail.host}:{mail.effective_port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        kind = (
            TransientDeliveryError
            if codes and all(400 <= c < 500 for c in codes)
            else PermanentDeliveryError
        )
        return kind(f"{where} refused every recipient: {describe_refusals(exc.recipients)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        if 400 <= exc.smtp_code < 500:
            return TransientDeliveryError(f"{where} could not check the password now: {_said(exc)}")
        return AuthenticationError(
            f"{where} refused the login for user {mail.username}: {_said(exc)}"
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        kind = TransientDeliveryError if 400 <= exc.smtp_code < 500 else PermanentDeliveryError
        return kind(f"{where} refused the sender {exc.sender}: {_said(exc)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = PermanentDeliveryError if 500 <= exc.smtp_code < 600 else TransientDeliveryError
        return kind(f"{where} replied {_said(exc)}")
    if isinstance(exc, ReplyTooLongError):
        return PermanentDeliveryError(f"{where} sent {exc}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        # The one extension asked for unasked is STARTTLS: security = "starttls" by default.
        hint = "; check security" if "STARTTLS" in str(exc) else ""
        return PermanentDeliveryError(f"{where}: {str(exc).rstrip('.')}{hint}")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
        exc.__context__, TimeoutError | socket.timeout
    ):
        return TransientDeliveryError(f"{where} did not answer within {mail.timeout:g} s")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TransientDeliveryError(f"{where} closed the connection: {exc}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentDeliveryError(
            f"{where}: the server's certificate could not be verified "
            f"({exc.verify_message or exc}); for a private CA set ca_file"
        )
    if isinstance(exc, ssl.SSLError):
        return PermanentDeliveryError(f"{where}: TLS failed ({exc.reason or exc}); check security")
    if isinstance(exc, TimeoutError | socket.timeout):
        return TransientDeliveryError(f"{where} did not answer within {mail.timeout:g} s")
    if isinstance(exc, ConnectionRefusedError):
        return TransientDeliveryError(f"{where} refused the connection (nothing listening?)")
    if isinstance(exc, OSError):
        return TransientDeliveryError(f"cannot reach {where}: {exc.strerror or exc}")
    return PermanentDeliveryError(f"{where}: {type(exc).__name__}: {exc}")


def send_once(
    message: EmailMessage,
    mail: EmailConfig,
    password: str | None,
    context: ssl.SSLContext | None = None,
    recipients: tuple[str, ...] | None = None,
    before_data: Callable[[], object] | None = None,
) -> dict[str, tuple[int, bytes]]:
    """Send ``message`` once over one SMTP session; return the recipients refused (a dict).

    ``recipients`` (bare addresses) are the envelope's, by default ``mail.recipients``.
    ``before_data`` is called once the server has accepted the envelope, just before the
    message itself is offered (the sent ledger records the attempt there).  Raises
    UnconfirmedDeliveryError when the server was given the message but the exchange ended
    before it confirmed it, and otherwise smtplib's and the socket's own exceptions, which
    ``deliver`` classifies.
    """
    sender = parse_address(mail.sender or "", "from").addr_spec
    port = mail.effective_port
    # ``mail.timeout`` bounds the whole exchange, not each read: a server that trickles its
    # greeting a byte a second would otherwise hold the run, and its lock, for ever.  At the
    # deadline the socket is shut, and the read that waits on it ends.
    deadline = _Deadline(mail.timeout)
    try:
        # Connecting in the constructor lets smtplib close the socket itself when it fails.
        if mail.security == "ssl":
            smtp: _TimedSMTP | _TimedSMTPSSL = _TimedSMTPSSL(
                mail.host, port, timeout=mail.timeout, context=context or tls_context(mail),
                deadline=deadline, before_data=before_data,
            )  # fmt: skip
        else:
            smtp = _TimedSMTP(
                mail.host, port, timeout=mail.timeout, deadline=deadline, before_data=before_data
            )
    except (smtplib.SMTPException, OSError) as exc:
        deadline.cancel()
        if deadline.passed:
            raise TimeoutError(f"no end to the exchange within {mail.timeout:g} s") from exc
        raise
    try:
        smtp.ehlo_or_helo_if_needed()
        if mail.security == "starttls":
            smtp.starttls(context=context or tls_context(mail))
            smtp.ehlo()
        if mail.username:
            smtp.login(mail.username, password or "")
        refused = smtp.send_message(
            message,
            from_addr=sender,
            to_addrs=list(mail.recipients if recipients is None else recipients),
        )
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
        return dict(refused)
    except (smtplib.SMTPException, OSError) as exc:
        if smtp.offered and not isinstance(exc, smtplib.SMTPResponseException):
            # The server has the message, or part of it, and said neither yes nor no.
            how = (
                f"did not confirm it within {mail.timeout:g} s"
                if deadline.passed
                else "ended the exchange before confirming it"
            )
            raise UnconfirmedDeliveryError(
                f"{mail.host}:{port} was given the brief but {how}, so it may have been "
                "delivered; it is not sent again: ask the recipients, and --force resends it"
            ) from exc
        if deadline.passed:
            raise TimeoutError(f"no end to the exchange within {mail.timeout:g} s") from exc
        raise
    finally:
        deadline.cancel()
        smtp.close()


class _Deadline:
    """Shut the socket it watches once ``seconds`` have passed, unless cancelled first."""

    def __init__(self, seconds: float) -> None:
        self.passed = False
        self.sock: socket.socket | None = None
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def watch(self, sock: socket.socket) -> None:
        self.sock = sock
        if self.passed:
            self._expire()

    def _expire(self) -> None:
        self.passed = True
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


class ReplyTooLongError(smtplib.SMTPException):
    """The server's reply ran past MAX_REPLY_BYTES."""


#: No SMTP reply a client needs comes near this (an EHLO reply is a few hundred bytes);
#: smtplib caps each line at 8 KB but not their number.
MAX_REPLY_BYTES = 64 * 1024


class _CappedReplies:
    """The client's file for reading replies, which counts the bytes of each reply and
    raises ReplyTooLongError past ``limit``."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.used = 0

    def start_reply(self) -> None:
        self.used = 0

    def readline(self, size: int = -1) -> bytes:
        line = self.raw.readline(size)
        self.used += len(line)
        if self.used > self.limit:
            raise ReplyTooLongError(f"a reply longer than {self.limit // 1024} KB")
        return line

    def close(self) -> None:
        self.raw.close()


class _Watched:
    """Mixed into smtplib's clients: their socket is watched by a ``_Deadline`` from the
    moment it opens, the greeting included; each reply is capped at MAX_REPLY_BYTES; and
    ``offered`` tells whether the message was offered to the server (it answered DATA with
    354), from which moment a lost connection leaves the outcome unknown."""

    sock: socket.socket | None
    file: Any

    def __init__(
        self,
        *args: object,
        deadline: _Deadline,
        before_data: Callable[[], object] | None = None,
        **kwargs: object,
    ) -> None:
        self.deadline = deadline
        self.before_data = before_data
        self.offered = False
        super().__init__(*args, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.deadline.watch(sock)
        return sock

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _CappedReplies(self.sock.makefile("rb"), MAX_REPLY_BYTES)
        if isinstance(self.file, _CappedReplies):
            self.file.start_reply()
        try:
            code, text = super().getreply()  # type: ignore[misc]
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib reports any OSError while reading, SMTPExceptions included, as a
            # disconnection; the limit is the server's fault, not the network's.
            if isinstance(exc.__context__, ReplyTooLongError):
                raise exc.__context__ from None
            raise
        if code == 354:
            self.offered = True
        return code, text

    def data(self, msg: Any) -> tuple[int, bytes]:
        if self.before_data is not None:
            self.before_data()
        return super().data(msg)  # type: ignore[misc]


class _TimedSMTP(_Watched, smtplib.SMTP):
    """smtplib's client under a deadline."""


class _TimedSMTPSSL(_Watched, smtplib.SMTP_SSL):
    """smtplib's SSL client under a deadline."""


def deliver(
    message: EmailMessage,
    mail: EmailConfig,
    *,
    password: str | None = None,
    sleep: Callable[[float], object] = time.sleep,
    recipients: tuple[str, ...] | None = None,
    before_data: Callable[[], object] | None = None,
) -> tuple[int, dict[str, tuple[int, bytes]]]:
    """Send ``message`` (an EmailMessage) as ``mail`` (an EmailConfig) says, retrying.

    ``recipients`` (a tuple of bare addresses) narrows the envelope, which is by default
    every To, Cc and Bcc address of ``mail``; the headers are ``message``'s own.
    ``before_data`` is called before each attempt offers the message (see ``send_once``).
    Transient failures are retried ``mail.retries`` times, waiting ``mail.retry_delay``
    seconds and doubling each time.  Returns the number of attempts made (int) and the
    recipients the server refused while accepting others (dict).  Raises
    TransientDeliveryError after the last retry, PermanentDeliveryError or
    AuthenticationError at once, and UnconfirmedDeliveryError, never retried, when the
    server was given the message but did not confirm it.
    """
    context = None if mail.security == "none" else tls_context(mail)
    delay = mail.retry_delay
    attempt = 0
    while True:
        attempt += 1
        try:
            refused = send_once(message, mail, password, context, recipients, before_data)
        except (smtplib.SMTPException, OSError) as exc:
            error = classify_failure(exc, mail)
            if not isinstance(error, TransientDeliveryError) or attempt > mail.retries:
                if isinstance(error, TransientDeliveryError) and attempt > 1:
                    error = TransientDeliveryError(f"{error} (gave up after {attempt} attempts)")
                raise error from exc
            logger.info("attempt %d failed: %s; retrying in %g s", attempt, error, delay)
            sleep(delay)
            delay *= 2
            continue
        return attempt, refused
