"""The two commands that deliver a brief: ``briefing run`` and ``briefing send``.

``run_briefing`` is ``briefing run``: under a lock beside the output, unless it was already
sent today, build the briefing, write the .docx (kept whatever happens next), then send it
or, for a dry run, write the message as an .eml file beside it.  ``send_briefing`` is
``briefing send``: the same for a .docx already written.

"Already sent" is per recipient: the sent ledger beside the brief records whom each send
reached, so a retried run sends nothing twice, while a recipient who has not had the brief
(a forward with ``--to``, an address added to the config) gets it, and only they do.  A
send the server never confirmed counts as reached: the brief is delivered at most once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..config import Config, EmailConfig
from ..errors import (
    ConfigError,
    DeliveryError,
    InputError,
    OutputError,
    RecipientsDeferredError,
    RecipientsRefusedError,
    StateError,
    UnconfirmedDeliveryError,
)
from ..fileio import prepare_output, write_text_atomically
from ..models import Briefing
from ..pipeline import build_briefing
from ..render import write_docx
from ..state import remember_brief, state_beside
from .ledger import (
    SendPlan,
    SentRecord,
    forget_attempt,
    plan_send,
    record_attempt,
    record_sent,
    sent_records,
)
from .lock import run_lock
from .message import Digest, build_message, check_message_settings, digest_of, read_digest
from .smtp import check_tls, deliver, describe_refusals, resolve_password

logger = logging.getLogger(__name__)


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
    message_id = str(message["Message-ID"])
    recorded = False

    def record_first() -> None:
        nonlocal recorded
        record_attempt(path, digest.date, recipients, message_id)
        recorded = True

    try:
        attempts, refused = deliver(
            message, mail, password=password, sleep=sleep, recipients=recipients,
            before_data=record_first,
        )  # fmt: skip
    except UnconfirmedDeliveryError:
        raise  # its attempt stays recorded: the brief may have been delivered
    except DeliveryError:
        if recorded:  # an attempt the server answered with a refusal: nothing was delivered
            try:
                forget_attempt(path, message_id)
            except OutputError as exc:
                logger.warning("%s", exc)
        raise
    delivered = tuple(r for r in recipients if r not in refused)
    record_sent(path, digest.date, delivered, message_id)
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
                f"{where} put off {describe_refusals(refused)} for now; sent to "
                f"{', '.join(delivered)}; a rerun tries the others again"
            )
        raise RecipientsRefusedError(
            f"{where} refused {describe_refusals(refused)}; sent to {', '.join(delivered)}"
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
    """Return the Delivery of a send that every recipient asked for already had; raise
    UnconfirmedDeliveryError when, for some, only a send the server never confirmed did."""
    if plan.unconfirmed:
        raise UnconfirmedDeliveryError(
            f"{path.name} may already have reached {', '.join(plan.unconfirmed)}: the server "
            "never confirmed that send, so it is not sent again: ask them, and --force "
            "resends it"
        )
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
    check_tls(mail)
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
    check_tls(mail)
    if not dry_run:
        resolve_password(mail)
    day = config.briefing.date or dt.date.today()
    output = config.output_for(day)
    if output.suffix.lower() != ".docx":
        raise ConfigError(
            f"[output] path {config.output!r}: a run writes and sends a Word file, so name it "
            ".docx (briefing build writes Markdown and JSON)"
        )
    prepare_output(output)
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
