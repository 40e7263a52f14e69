"""The TOML configuration of ``briefing run`` and ``briefing send``.

A config file has five tables, each optional: ``[input]`` (what to read), ``[output]``
(where the .docx goes), ``[briefing]`` (how to build it), ``[email]`` (how to deliver it)
and ``[log]`` (where ``briefing run`` logs).  Relative paths in the file are relative to
the file's folder, so a cron job finds the same files whatever its working directory.
An unknown table or key is an error, so a typo never silently drops a setting.

``load_config`` reads a file into a frozen ``Config``; ``override`` applies the command
line's options on top of it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from typing import Any, Literal, cast

from .errors import ConfigError, OptionError
from .options import CONFIG_FIELDS, BriefingOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_OUTPUT = "briefing-{date}.docx"
DEFAULT_SUBJECT = "{title}, {date}"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Anything that could end a header line or smuggle a control character into one.
_CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029\x85]")


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """How a briefing is e-mailed: the SMTP server, the sender, recipients and subject.

    ``sender`` is the From address (``from`` in the file).  The password is never stored
    here: ``password_env`` names the environment variable that holds it, or
    ``password_keyring`` the keyring service to ask for ``username``'s password.
    """

    host: str = "localhost"
    port: int | None = None
    security: Security = "starttls"
    ca_file: Path | None = None
    username: str | None = None
    password_env: str | None = None
    password_keyring: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    reply_to: tuple[str, ...] = ()
    subject: str = DEFAULT_SUBJECT
    timeout: float = 60.0
    retries: int = 3
    retry_delay: float = 30.0
    html_template: Path | None = None
    text_template: Path | None = None

    @property
    def effective_port(self) -> int:
        """The port to connect to (int): ``port``, else the usual one for ``security``."""
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]

    @property
    def recipients(self) -> tuple[str, ...]:
        """Every envelope recipient's bare address (To, Cc and Bcc), without duplicates
        (addresses that differ only in case are one person)."""
        seen: dict[str, str] = {}
        for value in (*self.to, *self.cc, *self.bcc):
            address = parse_address(value, "recipient").addr_spec
            seen.setdefault(address.casefold(), address)
        return tuple(seen.values())

    def check(self) -> EmailConfig:
        """Return this config unchanged if it can send; raise ConfigError saying what is wrong."""
        if not self.host or _CONTROL.search(self.host):
            raise ConfigError("[email] host is missing or not a host name")
        if self.security not in SECURITIES:
            raise ConfigError(
                f"[email] security must be one of {', '.join(SECURITIES)}, not {self.security!r}"
            )
        if self.port is not None and not 0 < self.port < 65536:
            raise ConfigError(f"[email] port {self.port} is not a TCP port")
        if not self.sender:
            raise ConfigError("[email] from is missing: who sends the briefing?")
        parse_address(self.sender, "[email] from")
        if not self.to:
            raise ConfigError("[email] to is missing: give at least one recipient")
        for name in ("to", "cc", "bcc", "reply_to"):
            for value in getattr(self, name):
                parse_address(value, f"[email] {name}")
        if self.password_env and self.password_keyring:
            raise ConfigError("[email] password_env and password_keyring are both set: keep one")
        if self.username is not None and _CONTROL.search(self.username):
            raise ConfigError("[email] username holds a control character")
        if self.username and not (self.password_env or self.password_keyring):
            raise ConfigError(
                "[email] username is set but neither password_env nor password_keyring is"
            )
        if self.username and self.security == "none" and self.host not in LOOPBACK_HOSTS:
            raise ConfigError(
                "[email] refusing to send a password unencrypted: "
                "use security = 'starttls' or 'ssl'"
            )
        if self.timeout <= 0:
            raise ConfigError("[email] timeout must be more than 0 seconds")
        if self.retries < 0 or self.retry_delay < 0:
            raise ConfigError("[email] retries and retry_delay cannot be negative")
        return self


@dataclass(frozen=True, slots=True)
class Config:
    """One run's settings: inputs, output, briefing options, e-mail and logging.

    ``output`` may hold ``{date}`` (the briefing's date); ``output_for`` fills it in.
    """

    inputs: tuple[Path, ...] = ()
    output: str = DEFAULT_OUTPUT
    template: Path | None = None
    briefing: BriefingOptions = field(default_factory=BriefingOptions)
    email: EmailConfig = field(default_factory=EmailConfig)
    log_file: Path | None = None
    source: Path | None = None

    def output_for(self, day: dt.date) -> Path:
        """Return the output Path for a briefing dated ``day`` (a date)."""
        try:
            return Path(self.output.format(date=day))
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise ConfigError(
                f"[output] path {self.output!r} may hold only {{date}}: {exc}"
            ) from exc


def parse_address(value: str, what: str = "address") -> Address:
    """Return ``value`` (str, 'a@b.c' or 'Name <a@b.c>') as one email Address.

    Raises ConfigError when it holds a line break or control character, is not exactly one
    address, or has no domain: that is what keeps a header from being injected.
    """
    if not isinstance(value, str) or _CONTROL.search(value):
        raise ConfigError(f"{what}: {value!r} is not an e-mail address (control character)")
    parsed = getaddresses([value])
    if len(parsed) != 1 or "@" not in parsed[0][1]:
        raise ConfigError(f"{what}: {value!r} is not one e-mail address")
    name, addr_spec = parsed[0]
    try:
        address = Address(display_name=name, addr_spec=addr_spec)
    except (ValueError, HeaderParseError) as exc:
        raise ConfigError(f"{what}: {value!r} is not an e-mail address: {exc}") from exc
    if not address.username or not address.domain:
        raise ConfigError(f"{what}: {value!r} is not an e-mail address")
    return address


# -- reading the file ------------------------------------------------------------------------

_TABLES = ("input", "output", "briefing", "email", "log")
def _scalar_type(annotation: object) -> type:
    """The scalar type (str, int or float) of a BriefingOptions field's annotation."""
    kinds = typing.get_args(annotation) or (annotation,)  # int | None: (int, NoneType)
    return next(kind for kind in kinds if kind in (str, int, float))


_OPTION_TYPES = typing.get_type_hints(BriefingOptions)
# The [briefing] keys: the options a config file may set, typed as BriefingOptions types them.
_BRIEFING_KEYS: dict[str, type] = {
    **{name: _scalar_type(_OPTION_TYPES[name]) for name in CONFIG_FIELDS},
    "max_file_mb": float,
}
_EMAIL_SCALARS: dict[str, type] = {
    "host": str,
    "port": int,
    "security": str,
    "username": str,
    "password_env": str,
    "password_keyring": str,
    "subject": str,
    "timeout": float,
    "retries": int,
    "retry_delay": float,
}
EMAIL_LISTS = ("to", "cc", "bcc", "reply_to")
_EMAIL_PATHS = ("ca_file", "html_template", "text_template")


def load_config(path: str | Path) -> Config:
    """Return the Config read from the TOML file at ``path`` (a Path or str).

    Raises ConfigError naming the file and the key when it cannot be read or is wrong.
    """
    source = Path(path).expanduser()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {source} is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {source} is not valid TOML: {exc}") from exc
    try:
        return config_from_dict(data, base=source.parent, source=source)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def config_from_dict(
    data: Mapping[str, Any], *, base: Path | None = None, source: Path | None = None
) -> Config:
    """Return the Config that ``data`` (parsed TOML, a mapping) describes.

    Relative paths are taken relative to ``base`` (a Path; default: as given).
    """
    _no_unknown(data, _TABLES, "")
    inputs = _table(data, "input")
    output = _table(data, "output")
    log = _table(data, "log")
    _no_unknown(inputs, ("paths",), "input")
    _no_unknown(output, ("path", "template"), "output")
    _no_unknown(log, ("file",), "log")
    paths = inputs.get("paths", ())
    if isinstance(paths, str):
        paths = (paths,)
    return Config(
        inputs=tuple(_path(p, base, "[input] paths") for p in _list(paths, "[input] paths")),
        output=_output_template(_get(output, "path", str, "output") or DEFAULT_OUTPUT, base),
        template=_optional_path(output, "template", base, "output"),
        briefing=_briefing_options(_table(data, "briefing")),
        email=_email_config(_table(data, "email"), base),
        log_file=_optional_path(log, "file", base, "log"),
        source=source,
    )


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return table


def _no_unknown(table: Mapping[str, Any], known: tuple[str, ...] | Any, where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        place = f"in [{where}]" if where else "table"
        raise ConfigError(f"unknown {place}: {', '.join(unknown)} (known: {', '.join(known)})")


def _get(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    """Return ``table[key]`` checked to be of ``kind``, or None when absent."""
    if key not in table:
        return None
    value = table[key]
    # TOML integers are fine where a float is wanted; booleans are never numbers here.
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ConfigError(f"[{where}] {key} must be {_KIND_NAMES[kind]}, not {value!r}")
    return value


_KIND_NAMES = {str: "a string", int: "an integer", float: "a number"}


def _list(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a string or a list of strings")
    return tuple(value)


def _path(value: str | Path, base: Path | None, what: str) -> Path:
    path = Path(value).expanduser()
    if not str(value):
        raise ConfigError(f"{what} is empty")
    return base / path if base is not None and not path.is_absolute() else path


def _output_template(value: str, base: Path | None) -> str:
    """Return the output path template ``value`` joined to ``base``, whose braces are escaped."""
    path = Path(value).expanduser()
    if base is None or path.is_absolute():
        return str(path)
    return str(base).replace("{", "{{").replace("}", "}}") + os.sep + str(path)


def _optional_path(
    table: Mapping[str, Any], key: str, base: Path | None, where: str
) -> Path | None:
    value = _get(table, key, str, where)
    return _path(value, base, f"[{where}] {key}") if value else None


def _briefing_options(table: Mapping[str, Any]) -> BriefingOptions:
    _no_unknown(table, tuple(_BRIEFING_KEYS), "briefing")
    values = {key: _get(table, key, kind, "briefing") for key, kind in _BRIEFING_KEYS.items()}
    changes: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    mb = changes.pop("max_file_mb", None)
    if mb is not None:
        if mb <= 0:
            raise ConfigError("[briefing] max_file_mb must be more than 0")
        changes["max_bytes"] = int(mb * 1024 * 1024)
    try:
        return replace(BriefingOptions(), **changes)
    except OptionError as exc:
        raise ConfigError(f"[briefing] {exc}") from None


def _email_config(table: Mapping[str, Any], base: Path | None) -> EmailConfig:
    if "password" in table:
        raise ConfigError(
            "[email] password is never read from a file; name the environment variable "
            "that holds it with password_env"
        )
    known = (*_EMAIL_SCALARS, *EMAIL_LISTS, *_EMAIL_PATHS, "from")
    _no_unknown(table, known, "email")
    changes: dict[str, Any] = {}
    for key, kind in _EMAIL_SCALARS.items():
        value = _get(table, key, kind, "email")
        if value is not None:
            changes[key] = value
    sender = _get(table, "from", str, "email")
    if sender is not None:
        changes["sender"] = sender
    for key in EMAIL_LISTS:
        if key in table:
            changes[key] = _list(table[key], f"[email] {key}")
    for key in _EMAIL_PATHS:
        value = _optional_path(table, key, base, "email")
        if value is not None:
            changes[key] = value
    security = changes.get("security", "starttls")
    if security not in SECURITIES:
        raise ConfigError(
            f"[email] security must be one of {', '.join(SECURITIES)}, not {security!r}"
        )
    changes["security"] = cast(Security, security)
    return EmailConfig(**changes)


# -- the command line on top -----------------------------------------------------------------


def override(
    config: Config,
    *,
    email: Mapping[str, Any] | None = None,
    briefing: Mapping[str, Any] | None = None,
    **top: Any,
) -> Config:
    """Return ``config`` (a Config) with every option that is not None replaced.

    ``email`` and ``briefing`` map field names of EmailConfig and BriefingOptions to new
    values; the other keywords are fields of Config.  None means not given; an empty
    tuple replaces (clears) a list.
    """

    def given(values: Mapping[str, Any] | None) -> dict[str, Any]:
        return {k: v for k, v in (values or {}).items() if v is not None}

    known = {f.name for f in fields(Config)}
    unknown = sorted(set(top) - known)
    if unknown:
        raise TypeError(f"unknown config field(s): {', '.join(unknown)}")
    return replace(
        config,
        **given(top),
        email=replace(config.email, **given(email)),
        briefing=replace(config.briefing, **given(briefing)),
    )
