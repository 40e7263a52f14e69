"""The sent ledger: whom each brief reached, so that no reader gets it twice.

``.briefing-sent.json`` beside the brief holds one record per send: the file, its date, when,
the recipients and the Message-ID.  A send is recorded *before* the message's DATA goes to
the server, as ``unconfirmed``, and marked ``sent`` once the server answers 250.  A record
left unconfirmed (the connection dropped, the reply never came, the process was killed)
means the brief may have been delivered: it counts as reaching its recipients, so nothing
resends it on its own.  A ledger that cannot be read or written fails the run rather than
risk a second copy.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError, StateError
from ..fileio import write_text_atomically

LEDGER_NAME = ".briefing-sent.json"
LEDGER_KEEP = 200  # records kept in the ledger, newest last
SENT = "sent"
UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class SentRecord:
    """That the file ``file`` of the briefing dated ``date`` was sent, when and to whom.

    ``recipients`` holds the bare addresses the send reached, or is None when the record
    does not say (a ledger from an older version, or one edited by hand): such a send
    counts as having reached everyone.  ``confirmed`` is False for a send whose outcome is
    unknown (the server never confirmed the message): it may have reached them.
    """

    file: str
    date: str
    sent_at: str
    recipients: tuple[str, ...] | None
    message_id: str = ""
    confirmed: bool = True

    def reached(self, address: str) -> bool:
        """Return whether this send (may have) reached ``address`` (a bare address; case is
        ignored)."""
        if self.recipients is None:
            return True
        return address.casefold() in {r.casefold() for r in self.recipients}


def ledger_of(path: Path) -> Path:
    """Return the ledger's Path for the brief at ``path``: beside it."""
    return path.parent / LEDGER_NAME


def _read_ledger(ledger: Path) -> list[dict]:
    try:
        data = json.loads(ledger.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise StateError(
            f"cannot read the sent ledger {ledger}: {exc}; without it a brief could be sent "
            "twice: repair or remove the file (or send with --force)"
        ) from exc
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
    """Return every record (SentRecord, oldest first) of ``path`` (a Path) sent for ``day``.

    Raises StateError when the ledger exists but cannot be read.
    """
    return tuple(
        SentRecord(
            file=path.name,
            date=day.isoformat(),
            sent_at=str(record.get("sent_at", "")),
            recipients=_recorded_recipients(record.get("recipients")),
            message_id=str(record.get("message_id", "")),
            confirmed=record.get("status", SENT) != UNCONFIRMED,
        )
        for record in _read_ledger(ledger_of(path))
        if record.get("file") == path.name and record.get("date") == day.isoformat()
    )


def _rewrite(path: Path, change: Callable[[list[dict]], list[dict]], doing: str) -> None:
    ledger = ledger_of(path)
    try:
        records = change(_read_ledger(ledger))
        write_text_atomically(ledger, json.dumps({"sent": records[-LEDGER_KEEP:]}, indent=1) + "\n")
    except (OutputError, StateError) as exc:
        raise OutputError(f"{doing}: {exc}") from exc


def _without(message_id: str) -> Callable[[list[dict]], list[dict]]:
    return lambda records: [r for r in records if r.get("message_id") != message_id]


def _record(
    path: Path, day: dt.date, recipients: tuple[str, ...], message_id: str, status: str
) -> Callable[[list[dict]], list[dict]]:
    entry = {
        "file": path.name,
        "date": day.isoformat(),
        "sent_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "recipients": list(recipients),
        "message_id": message_id,
        "status": status,
    }
    return lambda records: [*_without(message_id)(records), entry]


def record_attempt(path: Path, day: dt.date, recipients: tuple[str, ...], message_id: str) -> None:
    """Record, before the message goes out, that ``path`` may reach ``recipients`` now.

    Raises OutputError when the ledger cannot be written: the message must then not be sent.
    """
    _rewrite(
        path,
        _record(path, day, recipients, message_id, UNCONFIRMED),
        f"not sent, since the send could not be recorded first in {ledger_of(path)}",
    )


def record_sent(path: Path, day: dt.date, recipients: tuple[str, ...], message_id: str) -> None:
    """Record that the server confirmed the message ``message_id`` for ``recipients``.

    Raises OutputError when the ledger cannot be written; the attempt recorded before stays,
    so a rerun still takes the brief as (possibly) delivered and does not send it again.
    """
    _rewrite(
        path,
        _record(path, day, recipients, message_id, SENT),
        f"sent to {', '.join(recipients) or 'nobody'}, but {ledger_of(path)} could not be "
        "updated (a rerun will take the brief as possibly delivered)",
    )


def forget_attempt(path: Path, message_id: str) -> None:
    """Drop the attempt recorded for ``message_id``: the server did not take the message.

    Raises OutputError when the ledger cannot be written.
    """
    _rewrite(
        path,
        _without(message_id),
        f"not sent, and {ledger_of(path)} could not be updated to say so",
    )


@dataclass(frozen=True, slots=True)
class SendPlan:
    """Whom a send should reach, given the earlier sends of the same brief.

    ``pending`` are the recipients asked for that no earlier send reached, ``had`` those
    one did (or may have), and ``earlier`` the earlier sends (SentRecords, oldest first).
    """

    pending: tuple[str, ...]
    had: tuple[str, ...] = ()
    earlier: tuple[SentRecord, ...] = ()

    @property
    def previous(self) -> SentRecord | None:
        """The latest earlier send (a SentRecord) that reached any of ``had``, or None."""
        return next((r for r in reversed(self.earlier) if any(map(r.reached, self.had))), None)

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """Those of ``had`` whom only an unconfirmed send may have reached."""
        return tuple(
            address
            for address in self.had
            if not any(r.confirmed and r.reached(address) for r in self.earlier)
        )

    def who_had_it(self) -> str:
        """Return each recipient in ``had`` and when the brief reached them, as one str."""
        parts = []
        for address in self.had:
            record = next(r for r in reversed(self.earlier) if r.reached(address))
            unnamed = "" if record.recipients is not None else ", recipients not recorded"
            unsure = "" if record.confirmed else ", not confirmed by the server"
            when = record.sent_at or "an unrecorded time"
            parts.append(f"{address} (at {when}{unnamed}{unsure})")
        return ", ".join(parts)


def plan_send(earlier: tuple[SentRecord, ...], recipients: tuple[str, ...]) -> SendPlan:
    """Return the SendPlan for ``recipients`` (bare addresses) after the sends ``earlier``."""
    pending = tuple(r for r in recipients if not any(rec.reached(r) for rec in earlier))
    had = tuple(r for r in recipients if r not in pending)
    return SendPlan(pending=pending, had=had, earlier=earlier)
