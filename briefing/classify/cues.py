"""The cue lexicon: the phrases that signal each section, read from ``data/cues_sections.txt``.

The file holds groups (``[outcome_decision]``, ``[disagreement_conflict]`` ...), one cue a
line.  In a cue, ``word*`` matches any ending, ``(a|b)`` either word, and ``~`` up to three
words in between.  Each group is read once, on first use, into regexes indexed by the
first two letters a match can start with; each regex is compiled the first time a word
with those letters is looked up (compiling all 300 takes longer than classifying an article).
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


def _cue_regex(cue: str) -> str:
    """Return the regular expression (a str) for one cue line, matched at a word start."""
    pattern = re.sub(r"(\w)\*", r"\1\\w*", cue.strip())
    pattern = pattern.replace("(", "(?:")
    pattern = re.sub(r"\s*~\s*", "\0", pattern)
    pattern = re.sub(r"\s+", r"\\s+", pattern)
    pattern = pattern.replace("\0", r"\s+" + _GAP)
    return f"(?:{pattern})(?![\\w])"


def _cue_keys(cue: str) -> set[str]:
    """Return the first two characters a match of ``cue`` can start with (its index keys)."""
    head = re.match(r"\(([^)]*)\)", cue)
    starts = head.group(1).split("|") if head else [cue]
    return {start[:2] for start in starts}


@dataclass(frozen=True, slots=True)
class CueGroup:
    """One group of the cue lexicon: its cue lines, and regexes (their source) indexed by
    first two letters.

    Each regex has one capture group per cue; matching only at word starts, through the
    index, keeps it fast.
    """

    name: str
    cues: tuple[str, ...]
    keyed: dict[str, str]



def find_cues(
    text: str, starts: Sequence[tuple[int, str]], groups: Container[str]
) -> dict[str, list[tuple[int, str]]]:
    """Return, for each of ``groups`` (names) with a cue in ``text``, the (position,
    matched text) of its cues, in order; ``starts`` are the (position, first two
    characters) of each word of ``text``, where a cue may start."""
    found: dict[str, list[tuple[int, str]]] = {}
    for pos, key in starts:
        entries = _COMPILED.get(key)
        if entries is None:
            entries = _COMPILED[key] = _compile(key)
        for name, pattern in entries:
            if name in groups and (m := pattern.match(text, pos)) is not None:
                found.setdefault(name, []).append((pos, m.group()))
    return found


# The compiled regexes of each key looked up so far: {key: ((group name, regex), ...)}.
_COMPILED: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}


def _compile(key: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every group's regex for the cues that start with ``key``, compiled: ((name, regex),
    ...), so that a word start is looked up once for all the groups."""
    return tuple(
        (name, re.compile(group.keyed[key]))
        for name, group in cue_groups().items()
        if key in group.keyed
    )


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
        by_key: dict[str, list[int]] = {}
        for index, cue in enumerate(cues):
            for key in _cue_keys(cue):
                by_key.setdefault(key, []).append(index)
        keyed = {
            key: "|".join(f"({_cue_regex(cues[i])})" for i in idx) for key, idx in by_key.items()
        }
        compiled[name] = CueGroup(name, cues, keyed)
    logger.debug("loaded %d cue groups from %s", len(compiled), CUES_FILE)
    return compiled
