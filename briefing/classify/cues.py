"""The cue lexicon: the phrases that signal each section, read from ``data/cues_sections.txt``.

The file holds groups (``[outcome_decision]``, ``[disagreement_conflict]`` ...), one cue a
line.  In a cue, ``word*`` matches any ending, ``(a|b)`` either word, and ``~`` up to three
words in between.  Each group is read once, on first use, into regexes indexed by the
first two letters a match can start with, each with the literal text its matches start
with; a regex is compiled the first time a word starts with that text.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from importlib import resources

logger = logging.getLogger(__name__)

__all__ = ["CUES_FILE", "CueGroup", "cue_groups"]

CUES_FILE = "cues_sections.txt"

_GAP = r"(?:[\w'-]+\s+){0,3}"
# What ends the literal start of a cue: a wildcard, gap, group, escape or space.
_NOT_LITERAL = re.compile(r"[*~()|\\\s]")


def _cue_regex(cue: str) -> str:
    """Return the regular expression (a str) for one cue line, matched at a word start."""
    pattern = re.sub(r"(\w)\*", r"\1\\w*", cue.strip())
    pattern = pattern.replace("(", "(?:")
    pattern = re.sub(r"\s*~\s*", "\0", pattern)
    pattern = re.sub(r"\s+", r"\\s+", pattern)
    pattern = pattern.replace("\0", r"\s+" + _GAP)
    return f"(?:{pattern})(?![\\w])"


def _cue_starts(cue: str) -> list[str]:
    """Return the ways ``cue`` can start: each word of a leading ``(a|b)``, else itself."""
    head = re.match(r"\(([^)]*)\)", cue)
    return head.group(1).split("|") if head else [cue]


def _cue_keys(cue: str) -> set[str]:
    """Return the first two characters a match of ``cue`` can start with (its index keys)."""
    return {start[:2] for start in _cue_starts(cue)}


def _cue_heads(cue: str) -> list[str]:
    """Return the literal text a match of ``cue`` starts with, one str for each way it can
    start: what comes before its first wildcard, group or space."""
    return [_NOT_LITERAL.split(start, maxsplit=1)[0] for start in _cue_starts(cue)]


@dataclass(frozen=True, slots=True)
class Cues:
    """The cues of one group that start with the same two letters: one regex (its source)
    with a capture group for each, longest first, and the literal text every match of
    them starts with (one str for each way one can start)."""

    regex: str
    heads: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueGroup:
    """One group of the cue lexicon: its cue lines, and its Cues indexed by the first two
    letters a match can start with."""

    name: str
    cues: tuple[str, ...]
    keyed: dict[str, Cues]


def find_cues(
    text: str, starts: Sequence[tuple[int, str]], groups: Container[str]
) -> dict[str, list[tuple[int, str]]]:
    """Return, for each of ``groups`` (names) with a cue in ``text``, the (position,
    matched text) of its cues, in order; ``starts`` are the (position, first two
    characters) of each word of ``text``, where a cue may start."""
    found: dict[str, list[tuple[int, str]]] = {}
    for pos, key in starts:
        for name, cues in _keyed(key):
            if (
                name in groups
                and text.startswith(cues.heads, pos)
                and (m := _compiled(cues.regex).match(text, pos)) is not None
            ):
                found.setdefault(name, []).append((pos, m.group()))
    return found


@functools.cache
def _keyed(key: str) -> tuple[tuple[str, Cues], ...]:
    """Every group's Cues that start with ``key``: ((group name, Cues), ...), so that a
    word start is looked up once for all the groups."""
    return tuple(
        (name, group.keyed[key]) for name, group in cue_groups().items() if key in group.keyed
    )


# A regex is compiled only when a word start passes its heads: an article meets a few
# dozen of the 300 or so, and compiling them all takes longer than classifying it.
_compiled = functools.cache(re.compile)


@functools.cache
def cue_groups() -> dict[str, CueGroup]:
    """Return the cue lexicon as {group name: CueGroup}, read once from the package data."""
    text = resources.files("briefing.data").joinpath(CUES_FILE).read_text(encoding="utf-8")
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    compiled: dict[str, CueGroup] = {}
    for name, lines in groups.items():
        # Longest cues first, so the reported cue is the most specific one that matched.
        cues = tuple(sorted(dict.fromkeys(lines), key=len, reverse=True))
        by_key: dict[str, list[str]] = {}
        for line in cues:
            for key in _cue_keys(line):
                by_key.setdefault(key, []).append(line)
        keyed = {
            key: Cues(
                "|".join(f"({_cue_regex(line)})" for line in lines),
                tuple(dict.fromkeys(head for line in lines for head in _cue_heads(line))),
            )
            for key, lines in by_key.items()
        }
        compiled[name] = CueGroup(name, cues, keyed)
    logger.debug("loaded %d cue groups from %s", len(compiled), CUES_FILE)
    return compiled
