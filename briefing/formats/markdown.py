"""Markdown: front matter for the metadata, the body as plain paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import MARKDOWN_MARK, NOT_AN_ARTICLE, Article
from .text import decode, parse_date


def read_markdown(path: Path, data: bytes) -> tuple[Article, ...]:
    """Return the one article of a Markdown file; front matter may give title, source, date, url."""
    text = decode(data, path)
    if MARKDOWN_MARK in text.splitlines():
        raise InputError(path, NOT_AN_ARTICLE)
    meta, body = split_front_matter(text)
    heading = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    title = meta.get("title") or (heading.group(1) if heading else "")
    return (
        Article(
            title=strip_inline_markdown(title),
            text=markdown_to_text(body),
            source=meta.get("source", "") or meta.get("publisher", "") or meta.get("site", ""),
            published=parse_date(meta.get("date", "") or meta.get("published", "")),
            url=meta.get("url") or meta.get("link") or None,
            path=path,
            author=meta.get("author", ""),
        ),
    )


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split Markdown ``text`` into its front matter (``key: value`` lines between ``---``
    fences, as a dict of str) and the body (str)."""
    text = text.lstrip("\ufeff")
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", text, re.DOTALL)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "#")):
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[match.end():]


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


