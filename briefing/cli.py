"""The ``briefing`` command: a thin layer over the Python API.

Exit codes: 0 success; 1 error, nothing written; 2 bad command line; 3 the briefing was
written but some inputs were skipped (each is named on standard error).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path

import click

from .errors import BriefingError
from .models import Briefing
from .pipeline import BriefingOptions, build_briefing
from .rank import RANKERS
from .render import write_docx, write_text_atomically

EXIT_SKIPPED = 3
FORMATS = ("docx", "md", "json")


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("briefing")
    root.setLevel(level)
    root.addHandler(handler)


@click.group()
@click.version_option(package_name="briefing")
def cli() -> None:
    """Turn a folder of news articles into a short Word briefing."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Where to write the briefing ('-' for standard output with md/json). "
    "Default: briefing-DATE.docx, or standard output for md/json.",
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="Output format. Default: from the output's suffix, else docx.",
)
@click.option(
    "-m", "--method", default="default", show_default=True,
    type=click.Choice(sorted(RANKERS)), help="Sentence ranker.",
)
@click.option(
    "-t", "--template", type=click.Path(path_type=Path, dir_okay=False),
    help="Word template (.docx) to style the briefing. Default: the bundled one.",
)
@click.option("--title", help="Briefing title. Default: from the articles.")
@click.option(
    "--date", "brief_date", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date printed on the briefing (YYYY-MM-DD). Default: today.",
)
@click.option(
    "--max-items", type=click.IntRange(1, 200), default=20, show_default=True,
    help="Most bullets in the whole briefing.",
)
@click.option(
    "--max-file-mb", type=click.FloatRange(0.001), default=20.0, show_default=True,
    help="Skip input files larger than this.",
)
@click.option("--explain", is_flag=True, help="Print why each item was filed where it is.")
@click.option("-v", "--verbose", count=True, help="-v: one line per stage; -vv: details.")
def build(
    paths: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    method: str,
    template: Path | None,
    title: str | None,
    brief_date: dt.datetime | None,
    max_items: int,
    max_file_mb: float,
    explain: bool,
    verbose: int,
) -> None:
    """Build a briefing from the articles in PATHS (files or folders, searched recursively).

    Supported inputs: .txt, .md (with optional front matter: title, source, date, url).

    Example:

        briefing build examples/articles -o brief.docx
    """
    _configure_logging(verbose)
    fmt = fmt or _format_of(output)
    options = BriefingOptions(
        method=method,
        title=title,
        date=brief_date.date() if brief_date else None,
        max_items=max_items,
        max_bytes=int(max_file_mb * 1024 * 1024),
    )
    try:
        briefing = build_briefing(paths, options)
        written = _write(briefing, fmt, output, template)
    except BriefingError as exc:
        raise click.ClickException(str(exc)) from exc
    _report_load(briefing)
    if explain:
        _explain(briefing)
    if written is not None:
        click.echo(str(written))
    if briefing.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
def methods() -> None:
    """List the sentence rankers that --method accepts.

    Example:

        briefing methods
    """
    for name in sorted(RANKERS):
        doc = (RANKERS[name].__doc__ or "").strip().splitlines()
        click.echo(f"{name:12} {doc[0] if doc else ''}")


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output and str(output) != "-" else ""
    return {"markdown": "md"}.get(suffix, suffix) if suffix in {*FORMATS, "markdown"} else "docx"


def _write(briefing: Briefing, fmt: str, output: Path | None, template: Path | None) -> Path | None:
    """Write the briefing; return the path written, or None when it went to standard output."""
    if fmt == "docx":
        if output is None:
            output = Path(f"briefing-{briefing.date.isoformat()}.docx")
        if str(output) == "-":
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
        click.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)
    n = len(briefing.sources)
    click.echo(
        f"read {briefing.files_read} file(s): {n} article(s), {len(briefing.skipped)} skipped",
        err=True,
    )


def _explain(briefing: Briefing) -> None:
    for section in briefing.sections:
        click.echo(f"== {section.title}", err=True)
        for item in section.items:
            click.echo(f"  [{item.score:.3f}] {item.text[:90]}", err=True)
            click.echo(f"      why: {item.why}", err=True)


def main() -> None:
    """Entry point of the ``briefing`` console script."""
    cli()
