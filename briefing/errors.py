"""Exceptions raised by briefing; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Base class of every error briefing raises on purpose."""


class InputError(BriefingError):
    """An input file could not be read or holds no usable article."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NoArticlesError(BriefingError):
    """None of the inputs yielded an article, so there is nothing to brief."""


class TemplateError(BriefingError):
    """The Word template is missing or is not a usable .docx file."""


class OutputError(BriefingError):
    """The briefing could not be written to its destination."""


class DeliveryError(BriefingError):
    """The briefing could not be delivered by e-mail."""


class UnknownMethodError(BriefingError, ValueError):
    """A ranking method was asked for by a name that no ranker has."""


class UnknownClassifierError(BriefingError, ValueError):
    """A sentence classifier was asked for by a name that no classifier has."""


class OptionError(BriefingError, ValueError):
    """A briefing option was given a value it cannot take (``max_items=0``, a bad date)."""


class StateError(BriefingError):
    """The memory of earlier briefs (the state file) cannot be read or written."""


class ConfigError(BriefingError):
    """The configuration file or the options given with it are not usable."""


class TransientDeliveryError(DeliveryError):
    """Delivery failed for a reason that may pass (no connection, a 4xx reply, a timeout)."""


class PermanentDeliveryError(DeliveryError):
    """The server refused the message for good (a 5xx reply, refused recipients, bad TLS)."""


class AuthenticationError(DeliveryError):
    """The SMTP server refused the username and password."""


class RecipientsRefusedError(PermanentDeliveryError):
    """The message went to some recipients, but the server refused others."""


class RecipientsDeferredError(TransientDeliveryError):
    """The message went to some recipients; the server put the others off for now (4xx),
    so a later run may reach them."""


class UnconfirmedDeliveryError(DeliveryError):
    """The server was given the message but never confirmed it: it may have been delivered,
    so it is not sent again without ``--force``."""


class LockedError(BriefingError):
    """Another briefing run holds the lock beside the output."""


class SchedulerError(BriefingError):
    """The Dask scheduler a run was pointed at cannot run it."""
