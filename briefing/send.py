"""Deliver a briefing by e-mail, and the unattended morning run that builds and sends it.

``deliver`` sends the ``EmailMessage`` that ``message.build_message`` made with ``smtplib``,
retrying transient failures (no connection, 4xx replies, timeouts) with a doubling delay and
reporting permanent ones (5xx, refused recipients, bad credentials) as their own
``DeliveryError`` subclasses.

``run_briefing`` is ``briefing run``: under a lock beside the output, unless it was already
sent today, build the briefing, write the .docx (kept whatever happens next), then send it
or, for a dry run, write the message as an .eml file beside it.  ``send_briefing`` is
``briefing send``: the same for a .docx already written.

"Already sent" is per recipient: the state file beside the brief records whom each send
reached, so a retried run sends nothing twice, while a recipient who has not had the brief
(a forward with ``--to``, an address added to the config) gets it, and only they do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from .config import Config, EmailConfig, parse_address
from .errors import (
    AuthenticationError,
    ConfigError,
    DeliveryError,
    InputError,
    LockedError,
    OutputError,
    PermanentDeliveryError,
    RecipientsDeferredError,
    RecipientsRefusedError,
    StateError,
    TransientDeliveryError,
)
from .message import Digest, build_message, check_message_settings, digest_of, read_digest
from .models import Briefing
from .pipeline import build_briefing
from .render import clean_text, write_docx, write_text_atomically
from .state import remember_brief, state_beside

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

LOCK_NAME = ".briefing.lock"
STATE_NAME = ".briefing-sent.json"
STATE_KEEP = 200  # sent records kept in the state file, newest last


# -- sending ---------------------------------------------------------------------------------


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
    return clean_text(re.sub(r"[\x00-\x1f\x7f]", " ", text))


def _said(exc: smtplib.SMTPResponseException) -> str:
    """Return the server's reply behind ``exc`` as one line (str): its code and its text."""
    return f"{exc.smtp_code} {_reply_text(exc.smtp_error)}"


def _refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
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
        return kind(f"{where} refused every recipient: {_refusals(exc.recipients)}")
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
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PermanentDeliveryError(f"{where}: {exc}")
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
) -> dict[str, tuple[int, bytes]]:
    """Send ``message`` once over one SMTP session; return the recipients refused (a dict).

    ``recipients`` (bare addresses) are the envelope's, by default ``mail.recipients``.
    Raises smtplib's and the socket's own exceptions; ``deliver`` classifies them.
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
            smtp: smtplib.SMTP = _TimedSMTPSSL(
                mail.host, port, timeout=mail.timeout, context=context or tls_context(mail),
                deadline=deadline,
            )  # fmt: skip
        else:
            smtp = _TimedSMTP(mail.host, port, timeout=mail.timeout, deadline=deadline)
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


class _Watched:
    """Mixed into smtplib's clients: their socket is watched by a ``_Deadline`` from the
    moment it opens, the greeting included."""

    def __init__(self, *args: object, deadline: _Deadline, **kwargs: object) -> None:
        self.deadline = deadline
        super().__init__(*args, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.deadline.watch(sock)
        return sock


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
) -> tuple[int, dict[str, tuple[int, bytes]]]:
    """Send ``message`` (an EmailMessage) as ``mail`` (an EmailConfig) says, retrying.

    ``recipients`` (a tuple of bare addresses) narrows the envelope, which is by default
    every To, Cc and Bcc address of ``mail``; the headers are ``message``'s own.
    Transient failures are retried ``mail.retries`` times, waiting ``mail.retry_delay``
    seconds and doubling each time.  Returns the number of attempts made (int) and the
    recipients the server refused while accepting others (dict).  Raises
    TransientDeliveryError after the last retry, PermanentDeliveryError or
    AuthenticationError at once.
    """
    context = None if mail.security == "none" else tls_context(mail)
    delay = mail.retry_delay
    attempt = 0
    while True:
        attempt += 1
        try:
            refused = send_once(message, mail, password, context, recipients)
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


# -- lock and sent state ---------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(folder: Path) -> Iterator[Path]:
    """Hold the lock file ``.briefing.lock`` in ``folder`` (a Path) while the block runs.

    Yields the lock's Path.  Raises LockedError at once when another process holds it.
    The lock is released when the block ends or the process dies.
    """
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        try:
            _lock(fd)
        except OSError as exc:
            raise LockedError(f"another briefing run is in progress (lock {path})") from exc
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock(fd: int) -> None:
    """Take an exclusive lock on ``fd`` without waiting; raise OSError when it is held."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


@dataclass(frozen=True, slots=True)
class SentRecord:
    """That the file ``file`` of the briefing dated ``date`` was sent, when and to whom.

    ``recipients`` holds the bare addresses the send reached, or is None when the record
    does not say (a state file from an older version, or one edited by hand): such a send
    counts as having reached everyone.
    """

    file: str
    date: str
    sent_at: str
    recipients: tuple[str, ...] | None
    message_id: str = ""

    def reached(self, address: str) -> bool:
        """Return whether this send reached ``address`` (a bare address; case is ignored)."""
        if self.recipients is None:
            return True
        return address.casefold() in {r.casefold() for r in self.recipients}


def _read_state(folder: Path) -> list[dict]:
    path = folder / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable sent-state file %s: %s", path, exc)
        return []
    records = data.get("sent", []) if isinstance(data, dict) else []
    return [r for r in records if isinstance(r, dict)]


def _recorded_recipients(value: object) -> tuple[str, ...] | None:
    """Return the addresses a record's ``recipients`` value names, or None if it names none.

    Only a non-empty list of strings (or one string) names anyone; anything else, a missing
    key included, means the record does not say whom the brief reached.
    """
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return None
    addresses = tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return addresses or None


def sent_records(path: Path, day: dt.date) -> tuple[SentRecord, ...]:
    """Return every record (SentRecord, oldest first) of ``path`` (a Path) sent for ``day``."""
    return tuple(
        SentRecord(
            file=path.name,
            date=day.isoformat(),
            sent_at=str(record.get("sent_at", "")),
            recipients=_recorded_recipients(record.get("recipients")),
            message_id=str(record.get("message_id", "")),
        )
        for record in _read_state(path.parent)
        if record.get("file") == path.name and record.get("date") == day.isoformat()
    )


def record_sent(path: Path, day: dt.date, recipients: tuple[str, ...], message_id: str) -> None:
    """Add to the state file beside ``path`` that it was sent to ``recipients`` just now.

    The file is written atomically; the records of earlier sends are kept.
    """
    records = _read_state(path.parent)
    records.append(
        {
            "file": path.name,
            "date": day.isoformat(),
            "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "recipients": list(recipients),
            "message_id": message_id,
        }
    )
    text = json.dumps({"sent": records[-STATE_KEEP:]}, indent=1) + "\n"
    try:
        write_text_atomically(path.parent / STATE_NAME, text)
    except OutputError as exc:
        # The mail has gone; failing now would only hide that.  A rerun may send again.
        logger.warning("sent, but could not record it: %s", exc)


@dataclass(frozen=True, slots=True)
class SendPlan:
    """Whom a send should reach, given the earlier sends of the same brief.

    ``pending`` are the recipients asked for that no earlier send reached, ``had`` those
    one did, and ``earlier`` the earlier sends (SentRecords, oldest first).
    """

    pending: tuple[str, ...]
    had: tuple[str, ...] = ()
    earlier: tuple[SentRecord, ...] = ()

    @property
    def previous(self) -> SentRecord | None:
        """The latest earlier send (a SentRecord) that reached any of ``had``, or None."""
        return next((r for r in reversed(self.earlier) if any(map(r.reached, self.had))), None)

    def who_had_it(self) -> str:
        """Return each recipient in ``had`` and when the brief reached them, as one str."""
        parts = []
        for address in self.had:
            record = next(r for r in reversed(self.earlier) if r.reached(address))
            unnamed = "" if record.recipients is not None else ", recipients not recorded"
            parts.append(f"{address} (at {record.sent_at or 'an unrecorded time'}{unnamed})")
        return ", ".join(parts)


def plan_send(earlier: tuple[SentRecord, ...], recipients: tuple[str, ...]) -> SendPlan:
    """Return the SendPlan for ``recipients`` (bare addresses) after the sends ``earlier``."""
    pending = tuple(r for r in recipients if not any(rec.reached(r) for rec in earlier))
    had = tuple(r for r in recipients if r not in pending)
    return SendPlan(pending=pending, had=had, earlier=earlier)


# -- the runs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a run or send did.

    ``status`` is 'sent', 'dry_run' (the message was written to ``eml``) or 'already_sent'
    (every recipient asked for already had this brief; ``previous`` says when; nothing was
    built or sent).  ``recipients`` are those it was sent (or, for a dry run, addressed)
    to; ``already_had`` those asked for who were left out because they already had it.
    ``briefing`` is the Briefing built, when one was.
    """

    path: Path
    status: Literal["sent", "dry_run", "already_sent"]
    briefing: Briefing | None = None
    eml: Path | None = None
    recipients: tuple[str, ...] = ()
    attempts: int = 0
    previous: SentRecord | None = None
    already_had: tuple[str, ...] = ()


def _deliver_file(
    path: Path,
    digest: Digest,
    mail: EmailConfig,
    plan: SendPlan,
    *,
    dry_run: bool,
    sleep: Callable[[float], object],
) -> Delivery:
    """Send (or for a dry run, write as .eml) the message for ``path``; the lock is held.

    The message's headers name every To and Cc address of ``mail``, as the earlier sends'
    did; the envelope holds only ``plan.pending``.
    """
    message = build_message(digest, path, mail)
    recipients = plan.pending
    if dry_run:
        eml = path.with_suffix(".eml")
        write_text_atomically(eml, message.as_string())
        logger.info("dry run: wrote %s for %d recipient(s)", eml, len(recipients))
        return Delivery(path=path, status="dry_run", eml=eml, recipients=recipients)
    if plan.had:
        logger.info("%s: not sending again to %s", path.name, plan.who_had_it())
    password = resolve_password(mail)
    attempts, refused = deliver(
        message, mail, password=password, sleep=sleep, recipients=recipients
    )
    delivered = tuple(r for r in recipients if r not in refused)
    record_sent(path, digest.date, delivered, str(message["Message-ID"]))
    logger.info(
        "sent %s to %d recipient(s) via %s in %d attempt(s)",
        path.name,
        len(delivered),
        mail.host,
        attempts,
    )
    if refused:
        where = f"{mail.host}:{mail.effective_port}"
        if all(400 <= code < 500 for code, _ in refused.values()):
            raise RecipientsDeferredError(
                f"{where} put off {_refusals(refused)} for now; sent to "
                f"{', '.join(delivered)}; a rerun tries the others again"
            )
        raise RecipientsRefusedError(
            f"{where} refused {_refusals(refused)}; sent to {', '.join(delivered)}"
        )
    return Delivery(
        path=path,
        status="sent",
        recipients=delivered,
        attempts=attempts,
        previous=plan.previous,
        already_had=plan.had,
    )


def _already_sent(path: Path, plan: SendPlan) -> Delivery:
    # The CLI says so in one line; the log keeps when each recipient had it.
    logger.info(
        "%s was already sent to every recipient asked for: %s; not sending it again",
        path.name,
        plan.who_had_it(),
    )
    return Delivery(path=path, status="already_sent", previous=plan.previous, already_had=plan.had)


def send_briefing(
    path: str | Path,
    mail: EmailConfig,
    *,
    dry_run: bool = False,
    force: bool = False,
    sleep: Callable[[float], object] = time.sleep,
) -> Delivery:
    """E-mail the briefing .docx at ``path`` (a Path or str) as ``mail`` says; return a Delivery.

    The body is made from the .docx.  Unless ``force``, it goes only to the recipients of
    ``mail`` whom no earlier send of this file for its date reached; when every one of them
    had it, nothing is sent.  Raises DeliveryError (or a subclass), LockedError,
    ConfigError or InputError.
    """
    target = Path(path)
    mail.check()
    if not target.is_file():
        raise InputError(target, "no such file")
    digest = read_digest(target)
    with run_lock(target.parent):
        earlier = () if force or dry_run else sent_records(target, digest.date)
        plan = plan_send(earlier, mail.recipients)
        if not plan.pending:
            return _already_sent(target, plan)
        return _deliver_file(target, digest, mail, plan, dry_run=dry_run, sleep=sleep)


def run_briefing(
    config: Config,
    *,
    dry_run: bool = False,
    force: bool = False,
    sleep: Callable[[float], object] = time.sleep,
) -> Delivery:
    """Build, write and e-mail the briefing ``config`` (a Config) describes; return a Delivery.

    The .docx is written before sending and kept whatever happens.  Unless ``force``, a
    briefing already sent today goes only to the recipients it has not reached, and is
    not rebuilt: they get the .docx the others had.  When every recipient had it, nothing
    is built or sent.  Raises what ``build_briefing``, ``write_docx`` and ``send_briefing``
    raise.
    """
    mail = config.email.check()
    if not config.inputs:
        raise ConfigError("no inputs: give [input] paths in the config or PATHS")
    # What would fail at sending time fails now, before the build.
    check_message_settings(mail)
    if not dry_run:
        resolve_password(mail)
    day = config.briefing.date or dt.date.today()
    output = config.output_for(day)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        clash = next((p for p in (output.parent, *output.parent.parents) if p.is_file()), None)
        if clash is not None:
            raise OutputError(
                f"cannot create the folder {output.parent}: {clash} is a file"
            ) from exc
        raise OutputError(f"cannot create {output.parent}: {exc.strerror or exc}") from exc
    with run_lock(output.parent):
        earlier = () if force else sent_records(output, day)
        plan = plan_send(earlier, mail.recipients)
        if not plan.pending:
            return _already_sent(output, plan)
        if earlier and output.is_file():
            # Late recipients get the brief the others had, not a rebuild that may differ.
            digest = replace(read_digest(output), date=day)
            return _deliver_file(output, digest, mail, plan, dry_run=dry_run, sleep=sleep)
        # 1. Build the briefing and write it: it stays on disk whatever delivery does.
        state = config.briefing.state or state_beside(output)
        briefing = build_briefing(config.inputs, replace(config.briefing, date=day, state=state))
        write_docx(briefing, output, template=config.template)
        # 2. Send it, or write the message beside it for a dry run.
        delivery = _deliver_file(
            output, digest_of(briefing), mail, plan, dry_run=dry_run, sleep=sleep
        )
        # 3. Once it is sent, tomorrow's brief may call its stories seen.
        if delivery.status == "sent":
            _remember(state, briefing)
    return replace(delivery, briefing=briefing)


def _remember(state: Path, briefing: Briefing) -> None:
    """Record the sent brief's stories; a failure costs tomorrow's marks, not today's send."""
    try:
        remember_brief(briefing, state)
    except StateError as exc:
        logger.warning("%s", exc)
