"""Files that hold several stories: a newsletter, a wire digest.

An e-mail newsletter runs its stories one after another, each under a headline in capitals
("WOMEN MPS REVEAL SEXIST TAUNTS"); a wire digest (AP's science or health briefs) sets them
apart by a rule of underscores or dashes, each with its own headline and dateline ("___
Study shows Ritalin is effective ... ANAHEIM, California (AP) _ Behavior in children ..."),
or with its dateline alone.  Briefed as
one article, such a file is one story, headed by its first; each of its stories is an
article of its own.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from ..clean import HEADING_MAX_WORDS, find_wire_dateline, is_shouted
from ..models import Article

logger = logging.getLogger(__name__)

__all__ = ["STORY_WORDS", "digest_stories", "newsletter_stories"]

# A story of a newsletter or digest runs to this many words at least: fewer, and the
# capitals are a section label ("TODAY'S TOP STORIES") or a sign-off.
STORY_WORDS = 40
# A rule of underscores, on its own line or, where the line breaks were lost, inline; or a
# rule of dashes on its own line ("------" between AP's regional briefs).
_RULE = re.compile(r"(?:^|(?<=\s))_{3,}(?=\s|$)|^[ \t]*-{3,}[ \t]*$", re.MULTILINE)
# The headline and dateline that follow a digest's rule fit in this many characters.
HEAD_CHARACTERS = 250
# A word in capitals that the first this many characters of the story use again is its
# headline's, not its dateline's.
BODY_CHARACTERS = 2000
_CAPITAL_WORDS = re.compile(r"(?:[A-Z][A-Z.'’]*[A-Z.]\s+)+[A-Z][A-Z.'’]*")


def newsletter_stories(article: Article) -> tuple[Article, ...]:
    """The stories of a newsletter ``article``: one article per story when its text is
    several stories, each under a headline in capitals and each of STORY_WORDS words or
    more (a shorter one is a section label or a sign-off, left out); else the article
    itself."""
    stories: list[tuple[str, list[str]]] = []
    for line in article.text.split("\n"):
        if _is_shouted_headline(line):
            stories.append((line.strip(), []))
        elif stories:
            stories[-1][1].append(line)
    told = [(title, "\n".join(lines).strip()) for title, lines in stories]
    return _several(article, [(t, body) for t, body in told if _is_story(body)], "newsletter")


def digest_stories(article: Article) -> tuple[Article, ...]:
    """The stories of a wire digest ``article``: one article per story when its text is
    several, set apart by rules of underscores or dashes, each after the first opening on
    its headline and a wire dateline (or the dateline alone), and each of STORY_WORDS
    words or more; else the article itself.  A rule that no headline and dateline follow
    (above a sign-off, say) stays."""
    text = article.text
    # (where the rule starts, where its headline starts, where its dateline starts)
    breaks: list[tuple[int, int, int]] = []
    for rule in _RULE.finditer(text):
        dateline = find_wire_dateline(text[rule.end() : rule.end() + HEAD_CHARACTERS])
        if dateline is not None and dateline.start() > 0:
            opens = _dateline_start(text, rule.end() + dateline.start())
            breaks.append((rule.start(), rule.end(), opens))
    if not breaks:
        return (article,)
    told = [(article.title, text[: breaks[0][0]].strip())]
    ends = [start for start, _, _ in breaks[1:]] + [len(text)]
    for (_, head, opens), end in zip(breaks, ends, strict=True):
        told.append((" ".join(text[head:opens].split()), text[opens:end].strip()))
    if not all(_is_story(body) for _, body in told):
        return (article,)
    return _several(article, told, "wire digest")


def _dateline_start(text: str, found: int) -> int:
    """Where the dateline found at ``found`` in ``text`` starts, once the words in capitals
    that end its story's headline are left to it, where the line breaks were lost: one
    that the story's text uses again is the headline's ("... children with ADHD ANAHEIM,
    California (AP) _"), where "NEW" of "NEW YORK" is not."""
    capitals = _CAPITAL_WORDS.match(text, found)
    before = text[:found].rstrip(" \t")
    if capitals is None or not before or before.endswith("\n"):
        return found  # a dateline that opens its line has no headline run into it
    body = text[capitals.end() : capitals.end() + BODY_CHARACTERS]
    words = list(re.finditer(r"\S+", capitals.group()))
    for word in words[:-1]:
        if not re.search(rf"(?<![\w-]){re.escape(word.group())}(?![\w-])", body):
            return found + word.start()
    return found + words[-1].start()


def _is_story(body: str) -> bool:
    return len(body.split()) >= STORY_WORDS


def _several(article: Article, told: list[tuple[str, str]], kind: str) -> tuple[Article, ...]:
    """``article`` as the stories ``told`` ((title, text) pairs) when they are two or more,
    else the article itself."""
    if len(told) < 2:
        return (article,)
    logger.debug("%s: a %s of %d stories", article.path, kind, len(told))
    return tuple(replace(article, title=title, text=body) for title, body in told)


def _is_shouted_headline(line: str) -> bool:
    letters = sum(ch.isalpha() for ch in line)
    return 2 <= len(line.split()) <= HEADING_MAX_WORDS and letters >= 8 and is_shouted(line)
