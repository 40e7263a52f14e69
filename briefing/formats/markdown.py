"""Markdown: front matter for the metadata, the body as plain paragraphs."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from ..errors import InputError
from ..models import MARKDOWN_MARK, NOT_AN_ARTICLE, Article
from .text import dateline_date, decode, parse_date

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def read_markdown(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article of a Markdown file; front matter may give title, source, date, url."""
    text = decode(data, path).replace("\r\n", "\n")
    if MARKDOWN_MARK in text.splitlines():
        raise InputError(path, NOT_AN_ARTICLE)
    meta, body = split_front_matter(text)
    heading = _HEADING.search(body)
    title = meta.get("title") or (heading.group(1) or heading.group(2) if heading else "")
    plain = markdown_to_text(body)
    dated = parse_date(meta.get("date", "") or meta.get("published", ""))
    return (
        Article(
            title=strip_inline_markdown(title),
            text=plain,
            source=meta.get("source", "") or meta.get("publisher", "") or meta.get("site", ""),
            published=dated or dateline_date(plain.splitlines()),
            url=meta.get("url") or meta.get("link") or None,
            path=path,
            author=meta.get("author", ""),
        ),
    )


# A first-level heading, in ATX style ("# Title") or setext style (the title underlined
# with "===").
_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$|^\s{0,3}(\S[^\n]*?)\s*\n\s{0,3}=+[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split Markdown ``text`` into its front matter (YAML between ``---`` fences, as Jekyll
    and most tools write it, or TOML between ``+++`` fences, as Hugo does; a dict of str by
    lower-cased key, scalar values only) and the body (str)."""
    text = text.lstrip("\ufeff")
    if match := _YAML_FENCES.match(text):
        return _yaml_meta(match.group(1)), text[match.end() :]
    if match := _TOML_FENCES.match(text):
        return _toml_meta(match.group(1)), text[match.end() :]
    return {}, text


_YAML_FENCES = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TOML_FENCES = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def _yaml_meta(block: str) -> dict[str, str]:
    import yaml

    try:
        parsed = yaml.safe_load(block)
    # Front matter as people type it is often not quite YAML ("title: Bates: a takeover"):
    # read its "key: value" lines as they are written.
    except yaml.YAMLError:
        return _plain_meta(block)
    return _scalars(parsed) if isinstance(parsed, dict) else _plain_meta(block)


def _toml_meta(block: str) -> dict[str, str]:
    try:
        return _scalars(tomllib.loads(block))
    except tomllib.TOMLDecodeError:
        return {}


def _scalars(parsed: dict[object, object]) -> dict[str, str]:
    meta = {}
    for key, value in parsed.items():
        if isinstance(value, dt.date):  # a datetime is a date too
            meta[str(key).lower()] = value.isoformat()
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            meta[str(key).lower()] = " ".join(str(value).split())
    return meta


def _plain_meta(block: str) -> dict[str, str]:
    meta = {}
    for line in block.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta


def markdown_to_text(markdown: str) -> str:
    """Return Markdown as plain text, one paragraph per line.

    Headings stay as lines of their own (the cleaner drops them), list items become
    paragraphs, code blocks, images and HTML comments are dropped, links keep their text.
    """
    markdown = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    markdown = re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", markdown, flags=re.DOTALL | re.MULTILINE)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in markdown.splitlines():
        line = re.sub(r"^\s{0,3}>\s?", "", raw).strip()
        if not line or re.fullmatch(r"[-*_=]{3,}", line):
            flush()
        elif re.match(r"#{1,6}\s", line) or re.match(r"(?:[-*+]|\d{1,3}[.)])\s", line):
            flush()
            current.append(re.sub(r"^(?:#{1,6}|[-*+]|\d{1,3}[.)])\s+", "", line).rstrip("# "))
            flush()
        else:
            current.append(line)
    flush()
    return "\n".join(strip_inline_markdown(p) for p in paragraphs)


EMPHASIS_CHARS = 300
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_TAG = re.compile(r"<[^<>\n]+>")
_STRONG = re.compile(rf"(\*\*|__)(.{{1,{EMPHASIS_CHARS}}}?)\1")
_EMPHASIS = re.compile(
    rf"(?<![\w*])[*_](?=\S)(.{{1,{EMPHASIS_CHARS}}}?)(?<=\S)[*_](?![\w*])"
)


def strip_inline_markdown(text: str) -> str:
    """Return ``text`` (str) without inline Markdown (emphasis, code, images); links keep
    their text."""
    # Every pattern stops at the next opening bracket and emphasis spans at most
    # EMPHASIS_CHARS, so a file of 100,000 "[" or "_x " costs linear time, not quadratic.
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    return text.replace("`", "").strip()


