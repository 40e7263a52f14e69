"""The ``briefing`` command: a thin layer over the Python API.

Exit codes: 0 success; 1 error, nothing written (for run and send: nothing sent); 2 bad
command line; 3 the briefing was written (and sent) but some inputs were skipped (each is
named on standard error).  Delivery by ``run`` and ``send``: 4 not sent, a transient failure
lasted through every retry; 5 the server refused the message or some recipients for good;
6 the server refused the login; 7 another run holds the lock, nothing was done; 8 the
server was given the brief but never confirmed it.  130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .classify import CLASSIFIERS
from .clean import DIRECTION_MARKS
from .config import EMAIL_LISTS, SECURITIES, Config, load_config, override
from .errors import (
    AuthenticationError,
    BriefingError,
    ConfigError,
    LockedError,
    PermanentDeliveryError,
    StateError,
    TransientDeliveryError,
    UnconfirmedDeliveryError,
)
from .fileio import prepare_output, write_text_atomically
from .models import Briefing, Progress
from .options import BriefingOptions, option_default
from .pipeline import build_briefing
from .rank import RANKERS
from .render import write_docx
from .state import remember_brief, state_beside

if TYPE_CHECKING:
    from .mail import Delivery

EXIT_SKIPPED = 3
EXIT_TRANSIENT = 4
EXIT_REJECTED = 5
EXIT_AUTH = 6
EXIT_LOCKED = 7
EXIT_UNCONFIRMED = 8
# Checked in order: the first class an error is an instance of gives its exit code.
DELIVERY_EXIT_CODES: tuple[tuple[type[BriefingError], int], ...] = (
    (TransientDeliveryError, EXIT_TRANSIENT),
    (PermanentDeliveryError, EXIT_REJECTED),
    (AuthenticationError, EXIT_AUTH),
    (LockedError, EXIT_LOCKED),
    (UnconfirmedDeliveryError, EXIT_UNCONFIRMED),
)
FORMATS = ("docx", "md", "json")
MEGABYTE = 1024 * 1024


class _Day(click.ParamType):
    """A day written YYYY-MM-DD, given as a datetime at its midnight; a bad one is refused
    with what is wrong with it ("month must be in 1..12"), not with a strftime pattern."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.combine(dt.date.fromisoformat(str(value)), dt.time())
        except ValueError as exc:
            self.fail(f"{value!r} is not a day written YYYY-MM-DD ({exc})", param, ctx)


DAY = _Day()



# Characters that must not reach a terminal from a file's name or text: controls (an ESC
# that clears the screen or retitles the window, a newline that splits a line) and the
# marks that reverse the direction of text (U+202E).
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{DIRECTION_MARKS}]")


def terminal_text(value: object) -> str:
    """Return ``value`` as text safe to print: unsafe characters shown as escapes ("\\x1b")."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))

def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("briefing")
    root.setLevel(level)
    root.addHandler(handler)


INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class _Commands(click.Group):
    """The command group, saying why when the reader of standard output goes away
    (``briefing ... | head``), where click would exit 1 without a word, and exiting 130
    on Ctrl-C, where click would exit 1 ("Aborted!") like any error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            # Nothing more can reach the closed pipe, not even the flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.ClickException(
                "standard output was closed before the output was all written (broken pipe)"
            ) from exc
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED_EXIT_CODE) from None


@click.group(cls=_Commands)
@click.version_option(package_name="briefing")
def cli() -> None:
    """Turn a folder of news articles into a short Word briefing."""


@cli.command(short_help="Build a briefing from articles in files or folders.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Where to write the briefing ('-' for standard output with md/json). "
    "Default: briefing-DATE.docx, or standard output for md/json.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="Output format. Default: from the output's suffix (.docx, .md, .json), docx if none.",
)
@click.option(
    "-m", "--method", default=option_default("method"), show_default=True,
    type=click.Choice(sorted(RANKERS)), help="Sentence ranker.",
)
@click.option(
    "--classifier", default=option_default("classifier"), show_default=True,
    type=click.Choice(sorted(CLASSIFIERS)), help="Sentence classifier.",
)
@click.option(
    "-t", "--template", type=click.Path(path_type=Path, dir_okay=False),
    help="Word template (.docx or .dotx) to style the briefing. Default: the bundled one.",
)
@click.option(
    "--title",
    help='Briefing title. Default: "Briefing: " and the headline for one story, else "Briefing".',
)
@click.option(
    "--date", "brief_date", type=DAY,
    help="Date printed on the briefing (YYYY-MM-DD). Default: today.",
)
@click.option(
    "--max-items", type=click.IntRange(1, 200), default=option_default("max_items"),
    show_default=True,
    help="Most bullets in the whole briefing.",
)
@click.option(
    "--max-words", type=click.IntRange(50), default=option_default("max_words"), show_default=True,
    help="Most words of bullets in the whole briefing (shared out among the stories).",
)
@click.option(
    "--max-stories", type=click.IntRange(1), default=option_default("max_stories"),
    show_default=True,
    help="Most stories briefed in full; the next few are named, any more counted.",
)
@click.option(
    "--since", type=DAY,
    help="Only articles dated on or after this day (YYYY-MM-DD); undated ones are kept.",
)
@click.option(
    "--state", "state_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Memory of earlier briefs, to mark stories new, updated or seen. "
    "Default: .briefing-state.sqlite beside the output.",
)
@click.option("--no-state", is_flag=True, help="Neither read nor update the memory of briefs.")
@click.option(
    "-j", "--jobs", type=click.IntRange(1), default=option_default("jobs"), show_default=True,
    help="Worker processes for loading and analysing articles (not with --scheduler).",
)
@click.option(
    "--scheduler", metavar="ADDRESS", default=option_default("scheduler"),
    help="Run the per-article work on the Dask scheduler at ADDRESS (tcp://HOST:8786).",
)
@click.option(
    "--max-file-mb", type=click.FloatRange(0.001), show_default=True,
    default=int(option_default("max_bytes")) / MEGABYTE,  # type: ignore[call-overload]
    help="Skip input files larger than this many megabytes.",
)
@click.option(
    "--max-file-seconds", type=click.FloatRange(0.1),
    default=option_default("max_file_seconds"), show_default=True,
    help="Skip an input file that takes longer than this to read.",
)
@click.option(
    "--max-file-memory-mb", type=click.IntRange(16),
    default=option_default("max_file_memory_mb"), show_default=True,
    help="Skip an input file that needs more memory than this to read (Linux).",
)
@click.option("--explain", is_flag=True, help="Print why each item was filed where it is.")
@click.option("-v", "--verbose", count=True, help="-v: one line per stage; -vv: details.")
def build(
    paths: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    method: str,
    classifier: str,
    template: Path | None,
    title: str | None,
    brief_date: dt.datetime | None,
    max_items: int,
    max_words: int,
    max_stories: int,
    since: dt.datetime | None,
    state_path: Path | None,
    no_state: bool,
    jobs: int,
    scheduler: str | None,
    max_file_mb: float,
    max_file_seconds: float,
    max_file_memory_mb: int,
    explain: bool,
    verbose: int,
) -> None:
    """Build a briefing from the articles in PATHS (files or folders, searched recursively).

    Supported inputs: .txt, .md (front matter: title, source, date, url, author), .html/.htm,
    .docx, .pdf, .eml, .mbox, and RSS/Atom feeds (.rss, .atom, .xml).

    Example:

        briefing build examples/articles -o brief.docx
    """
    _configure_logging(verbose)
    fmt = _format_of(output, fmt)
    if fmt == "docx" and output is None:
        output = Path(f"briefing-{(brief_date or dt.datetime.now()).date().isoformat()}.docx")
    state = None if no_state else state_path or _state_beside(output)
    options = BriefingOptions(
        method=method,
        classifier=classifier,
        title=title,
        date=brief_date.date() if brief_date else None,
        max_items=max_items,
        max_words=max_words,
        max_stories=max_stories,
        since=since.date() if since else None,
        state=state,
        jobs=jobs,
        scheduler=scheduler,
        max_bytes=int(max_file_mb * MEGABYTE),
        max_file_seconds=max_file_seconds,
        max_file_memory_mb=max_file_memory_mb,
    )
    try:
        if output is not None and str(output) != "-":
            prepare_output(output)  # before the build: a folder to make, a file to keep
        with _progress_bar() as progress:
            briefing = build_briefing(paths, options, progress=progress)
        written = _write(briefing, fmt, output, template)
    except BriefingError as exc:
        raise click.ClickException(terminal_text(exc)) from exc
    if state is not None:  # written to a file, or to standard output
        try:
            remember_brief(briefing, state)
        except StateError as exc:
            click.echo(terminal_text(f"warning: {exc}"), err=True)
    _report_load(briefing)
    if explain:
        _explain(briefing)
    if written is not None:
        click.echo(terminal_text(written))
    if briefing.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(short_help="List the rankers and classifiers to choose from.")
def methods() -> None:
    """List the sentence rankers that --method accepts, then the classifiers that
    --classifier accepts.

    Example:

        briefing methods
    """
    width = max(len(name) for name in (*RANKERS, *CLASSIFIERS))
    _list_factories(RANKERS, width)
    click.echo("classifiers (--classifier):")
    _list_factories(CLASSIFIERS, width, indent="  ")


def _list_factories(
    registry: Mapping[str, Callable[[], object]], width: int, indent: str = ""
) -> None:
    """Echo one line per name in ``registry``: the name, then the first line of its
    factory's docstring, which starts in column ``width`` + 2 whatever the ``indent``."""
    for name in sorted(registry):
        doc = (registry[name].__doc__ or "").strip().splitlines()
        summary = doc[0].replace("``", "") if doc else ""
        click.echo(f"{indent}{name:{width - len(indent)}}  {summary}")


def _state_beside(output: Path | None) -> Path | None:
    """The default memory of briefs: beside a file output; none for standard output."""
    return state_beside(output) if output is not None and str(output) != "-" else None


@contextlib.contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """Yield a progress reporter drawing a bar on a terminal, or None when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: dict[str, Any] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[stage] = click.progressbar(length=total, label=f"{stage:10}", file=sys.stderr)
        bar = bars[stage]
        bar.update(done - bar.pos)

    try:
        yield report
    finally:
        for bar in bars.values():
            bar.render_finish()


def _format_of(output: Path | None, requested: str | None) -> str:
    """Return the format to write: ``requested`` (--format), else the one the output's
    suffix names, else docx.  A suffix naming another format than ``requested`` is refused:
    Word cannot open Markdown saved as brief.docx."""
    suffix = output.suffix.lower().lstrip(".") if output and str(output) != "-" else ""
    named = {"markdown": "md"}.get(suffix, suffix) if suffix in {*FORMATS, "markdown"} else None
    if requested is not None:
        if named is not None and named != requested:
            raise click.UsageError(f"--format {requested} does not match the name {output}")
        return requested
    if named is None and suffix:
        raise click.UsageError(
            f"cannot tell the format of {output}: name it .docx, .md or .json, or give --format"
        )
    return named or "docx"


def _write(briefing: Briefing, fmt: str, output: Path | None, template: Path | None) -> Path | None:
    """Write the briefing; return the path written, or None when it went to standard output."""
    if fmt == "docx":
        if output is None or str(output) == "-":
            raise click.UsageError("a .docx cannot go to standard output; give -o FILE")
        return write_docx(briefing, output, template=template)
    text = (
        briefing.to_markdown()
        if fmt == "md"
        else json.dumps(briefing.to_dict(), indent=2, ensure_ascii=False) + "\n"
    )
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return None
    return write_text_atomically(output, text)


def _report_load(briefing: Briefing) -> None:
    """Say on standard error what was read, and name each skipped file with its reason."""
    for skipped in briefing.skipped:
        click.echo(terminal_text(f"skipped {skipped.path}: {skipped.reason}"), err=True)
    n = briefing.articles_read or len(briefing.sources)
    left_out = f"; skipped {len(briefing.skipped)} input(s)" if briefing.skipped else ""
    if briefing.before_since:
        left_out += f"; left out {briefing.before_since} dated before --since"
    click.echo(f"read {n} article(s) from {briefing.files_read} file(s){left_out}", err=True)


def _explain(briefing: Briefing) -> None:
    """Say on standard error, story by story, each bullet's score and why it is filed there."""
    for story in briefing.stories:
        click.echo(terminal_text(f"== {story.headline}"), err=True)
        if story.why:
            click.echo(terminal_text(f"   placed by {story.why}"), err=True)
        for section in story.sections:
            click.echo(f"  -- {section.title}", err=True)
            for item in section.items:
                text = textwrap.shorten(item.text, width=100, placeholder=" …")
                click.echo(terminal_text(f"    [{item.score:.3f}] {text}"), err=True)
                click.echo(terminal_text(f"        why: {item.why}"), err=True)


# -- run and send: build and e-mail --------------------------------------------------------


def _email_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that override the config file's [email] table to ``command``."""
    options = [
        click.option(
            "-c", "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
            help="TOML configuration file; options given here override it.",
        ),
        click.option("--to", multiple=True, help="Recipient (repeatable); replaces [email] to."),
        click.option(
            "--cc", multiple=True, help="Cc recipient (repeatable); '' clears [email] cc."
        ),
        click.option(
            "--bcc", multiple=True, help="Bcc recipient (repeatable); '' clears [email] bcc."
        ),
        click.option(
            "--reply-to", multiple=True,
            help="Reply-To address (repeatable); '' clears [email] reply_to.",
        ),
        click.option("--from", "sender", help="Sender address."),
        click.option("--subject", help="Subject template, e.g. 'Morning brief, {date}'."),
        click.option("--host", help="SMTP server."),
        click.option("--port", type=click.IntRange(1, 65535), help="SMTP port."),
        click.option(
            "--security", type=click.Choice(SECURITIES), help="starttls, ssl or none."
        ),
        click.option(
            "--ca-file", type=click.Path(path_type=Path, dir_okay=False),
            help="PEM file of the CA(s) to trust, for a private server.",
        ),
        click.option("--username", help="SMTP AUTH user name."),
        click.option(
            "--password-env", metavar="NAME",
            help="Environment variable holding the SMTP password.",
        ),
        click.option(
            "--timeout", type=click.FloatRange(0.1), help="Seconds to wait for the server."
        ),
        click.option(
            "--retries", type=click.IntRange(0), help="Retries after a transient failure."
        ),
        click.option(
            "--retry-delay", type=click.FloatRange(0), help="Seconds before the first retry."
        ),
        click.option(
            "--dry-run", is_flag=True,
            help="Write the message as an .eml file beside the brief instead of sending.",
        ),
        click.option(
            "--force", is_flag=True,
            help="Send even if it was (or may have been) sent today already.",
        ),
        click.option(
            "--log-file", type=click.Path(path_type=Path, dir_okay=False),
            help="Append the log (INFO and up) to this file.",
        ),
        click.option("-v", "--verbose", count=True, help="-v: one line per stage; -vv: details."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


_FILE_ONLY = "briefing_file_only"
_EMAIL_FLAGS = (
    *EMAIL_LISTS, "sender", "subject", "host", "port", "security",
    "ca_file", "username", "password_env", "timeout", "retries", "retry_delay",
)  # fmt: skip


def _load(config_path: Path | None, flags: dict[str, Any], **top: Any) -> Config:
    """Return the config file's Config (or the defaults) with the command line on top."""
    config = load_config(config_path) if config_path else Config()
    email = {name: flags.pop(name) for name in _EMAIL_FLAGS}
    for name in EMAIL_LISTS:
        # Not given is (); given only as '' clears the file's list.
        email[name] = tuple(v for v in email[name] if v.strip()) if email[name] else None
    return override(config, email=email, **top)


def _log_to(verbose: int, log_file: Path | None) -> None:
    """Log warnings (or more with -v) to standard error and INFO and up to ``log_file``.

    The handlers are removed and closed when the command ends.
    """
    handlers: list[logging.Handler] = []
    stderr = logging.StreamHandler(sys.stderr)
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    stderr.setLevel(levels[min(verbose, 2)])
    stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # The final error goes to the log file; on standard error click prints it once.
    stderr.addFilter(lambda record: not getattr(record, _FILE_ONLY, False))
    handlers.append(stderr)
    if log_file is not None:
        try:
            file = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot open log file {log_file}: {exc}") from exc
        file.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
        file.setFormatter(
            logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
        )
        handlers.append(file)
    root = logging.getLogger("briefing")
    root.setLevel(min(h.level for h in handlers))
    for handler in handlers:
        root.addHandler(handler)

    def remove() -> None:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()

    click.get_current_context().call_on_close(remove)


def _fail(exc: BriefingError) -> NoReturn:
    """Raise the ClickException that prints ``exc`` in one line with its own exit code."""
    error = click.ClickException(terminal_text(exc))
    # click declares exit_code on the class, and documents setting it on an instance.
    error.exit_code = next(  # type: ignore[misc]
        (code for kind, code in DELIVERY_EXIT_CODES if isinstance(exc, kind)), 1
    )
    logging.getLogger("briefing").error("%s", exc, extra={_FILE_ONLY: True})
    raise error from exc


def _with_config_hint(exc: BriefingError, config_path: Path | None) -> BriefingError:
    """``exc``, saying so when no config file was given: the settings it lacks are there."""
    if config_path is None and isinstance(exc, ConfigError):
        return ConfigError(f"{exc} (no config file given: --config FILE)")
    return exc


def _report_delivery(delivery: Delivery) -> None:
    """Say what needs saying: nothing after a plain success (cron mails any output)."""
    if delivery.status == "already_sent" and delivery.previous is not None:
        # Said even under cron: whoever forwards the brief must see that nothing was sent.
        who = ", ".join(delivery.already_had) or "every recipient"
        click.echo(
            f"{delivery.path} was already sent to every recipient asked for ({who}), last at "
            f"{delivery.previous.sent_at}; nothing sent; --force sends it again",
            err=True,
        )
    if delivery.eml is not None:
        click.echo(terminal_text(delivery.eml))
    skipped = delivery.briefing.skipped if delivery.briefing else ()
    for item in skipped:
        click.echo(terminal_text(f"skipped {item.path}: {item.reason}"), err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(short_help="Build today's briefing and e-mail it (for a schedule).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output",
    help="Where to write the .docx; may hold {date}. Default: [output] path.",
)
@click.option(
    "-t", "--template", type=click.Path(path_type=Path, dir_okay=False),
    help="Word template (.docx or .dotx) to style the briefing.",
)
@click.option("-m", "--method", type=click.Choice(sorted(RANKERS)), help="Sentence ranker.")
@click.option("--classifier", type=click.Choice(sorted(CLASSIFIERS)), help="Sentence classifier.")
@click.option("--title", help="Briefing title.")
@click.option(
    "--date", "brief_date", type=DAY,
    help="Date of the briefing (YYYY-MM-DD). Default: today.",
)
@click.option("--max-items", type=click.IntRange(1, 200), help="Most bullets in the briefing.")
@_email_options
def run(
    paths: tuple[Path, ...],
    output: str | None,
    template: Path | None,
    method: str | None,
    classifier: str | None,
    title: str | None,
    brief_date: dt.datetime | None,
    max_items: int | None,
    config_path: Path | None,
    dry_run: bool,
    force: bool,
    log_file: Path | None,
    verbose: int,
    **flags: Any,
) -> None:
    """Build today's briefing, write the .docx and e-mail it, as the config file says.

    PATHS (files or folders) replace the config's [input] paths.  Quiet on success; the
    .docx is kept whatever happens; a briefing already sent today is not sent again.

    Example:

        briefing run --config briefing.toml
    """
    try:
        config = _load(
            config_path,
            flags,
            inputs=paths or None,
            output=output,
            template=template,
            briefing={
                "method": method,
                "classifier": classifier,
                "title": title,
                "date": brief_date.date() if brief_date else None,
                "max_items": max_items,
            },
        )
        _log_to(verbose, log_file or config.log_file)
        from .mail import run_briefing  # smtplib, ssl and email load only to deliver

        delivery = run_briefing(config, dry_run=dry_run, force=force)
    except BriefingError as exc:
        _fail(_with_config_hint(exc, config_path))
    _report_delivery(delivery)


@cli.command(short_help="E-mail a briefing .docx already built.")
@click.argument("brief", type=click.Path(path_type=Path, dir_okay=False))
@_email_options
def send(
    brief: Path,
    config_path: Path | None,
    dry_run: bool,
    force: bool,
    log_file: Path | None,
    verbose: int,
    **flags: Any,
) -> None:
    """E-mail BRIEF, a briefing .docx already built, as the config's [email] table says.

    Quiet on success; a brief already sent for its date is not sent again.

    Example:

        briefing send briefs/brief-2026-11-28.docx --config briefing.toml
    """
    try:
        config = _load(config_path, flags)
        _log_to(verbose, log_file or config.log_file)
        from .mail import send_briefing  # smtplib, ssl and email load only to deliver

        delivery = send_briefing(brief, config.email, dry_run=dry_run, force=force)
    except BriefingError as exc:
        _fail(_with_config_hint(exc, config_path))
    _report_delivery(delivery)


def main() -> None:
    """Entry point of the ``briefing`` console script."""
    cli()
