"""Sentence structure, as the rules and the features read it: reported speech, the main
clause, negation and named days.

Every function takes a sentence as ``briefing.words.normalise`` returns it.  The main
clause is the part before a participle or subordinate clause ("..., ending a dispute that
had ..."), since the main predicate carries the news; cues after it describe circumstances.
"""

from __future__ import annotations

import re

from ..dates import MONTH, SHORT_MONTH_DAY, WEEKDAY

__all__ = ["DATE", "NEGATION", "SPEECH", "main_clause", "main_clause_end", "strip_attribution"]

#: Neutral reporting words: what they report is the news, they are not cues themselves;
#: nor is "declined to comment", which says the reporter asked, not that anyone disputes.
SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|explained|stated|according to|"
    r"spokes(?:man|woman|person)|(?:declined|refused|declines|refuses) to comment|"
    r"could not be reached for comment)\b"
)
NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|nor|neither|without)\b|n't\b")
#: A named day or month ("on Tuesday", "in April", "on 20 October", "on Dec. 2").
DATE = re.compile(
    rf"\b(?:on|by|from|in|until|before|at|this|next)\s+(?:the\s+)?"
    rf"(?:{WEEKDAY}|{MONTH}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}|{SHORT_MONTH_DAY})\b"
)
# Where the main clause ends: a participle or relative clause, or a subordinating word.
# Cues after it describe circumstances ("..., ending a dispute"), not the news itself.
_SUBORDINATE = re.compile(
    r",\s+(?:ending|leaving|bringing|sparking|prompting|following|raising|putting|making|"
    r"adding|saying|arguing|claiming|insisting|warning|which|who|whose|where|when|as|while|"
    r"after|amid|because|although|though|despite|since|having|with)\b"
    r"|\s(?:which|who|whose|because|although|though|despite|amid|after|since|unless|if|"
    r"that (?:had|has|have|was|were|is|are))\b"
)
# A relative clause between commas right after the subject: the main verb follows it.
_PARENTHETICAL = re.compile(r"^([^,]{3,60}),\s+(?:who|which|whose)\b[^,]*,")
_MAIN_FROM = 12  # a subordinate word this early opens the sentence ("After talks, ...")


def strip_attribution(text: str) -> str:
    """Return the text without neutral reporting words, so only what is reported is cued."""
    return SPEECH.sub(" ", text)


def main_clause_end(text: str) -> int:
    """Return where the main clause of ``text`` (a normalised str) ends, as an index."""
    m = _SUBORDINATE.search(text, _MAIN_FROM)
    return m.start() if m is not None else len(text)


def main_clause(text: str) -> str:
    """Return the main clause of ``text`` (a normalised str), without a relative clause set
    off by commas after the subject ("Ms Lee, who voted against it, accused ...")."""
    text = _PARENTHETICAL.sub(r"\1", text, count=1)
    return text[: main_clause_end(text)]
