"""Priority rules: main-clause patterns that say which section a sentence belongs to.

In order: negated progress ("no progress", "failed to agree", "remain at odds") is a
disagreement; otherwise the earliest of these main-clause patterns wins: a dispute verb
("rejected", "accused", "criticised"), a decision verb in the past tense in the lead or on a
named day ("agreed on Thursday", "voted 9 to 4"), a future modal with a date ahead ("will
vote ... on October 20"), or a reported promise ("said it would keep").  A condition ("If
it fails to ...") states no fact, so no rule fires on one.
"""

from __future__ import annotations

import re

from ..models import Label
from .clauses import DATE, NEGATION, main_clause, main_clause_end, strip_attribution

__all__ = ["RULE_KINDS", "priority_rule", "rule_kind"]

#: The kinds of rule, as their reasons name them ('rule: dispute "rejected"').  A rule is
#: a feature of the model, not the last word: on the outlets it was not written for, the
#: rules are right about two times in three (benchmarks/sections.py prints each one's
#: precision), so the model learns how far to trust each kind.
RULE_KINDS: tuple[str, ...] = ("negated progress", "dispute", "decision", "scheduled", "promise")

# A time ahead: a named day or month, "next week", "later this year", "at 10.15 p.m.".
_WHEN = re.compile(
    rf"{DATE.pattern}|\b(?:next (?:week|month|year|spring|summer|autumn|winter|session)"
    r"|later (?:this|in the|that) (?:week|month|year)|(?:in|within|over) the (?:coming|next) "
    r"(?:days|weeks|months|few)|tomorrow|at (?:a|the) (?:meeting|hearing|summit)"
    r"|at \d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m|p\.?m))\b"
)
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|(?:is|are) (?:due|expected|set|scheduled|poised) to|(?:is|are) to)"
    r"(?:\s+(?:again|also|now|then|soon|only|formally|finally))*\s+(?!not\b)[a-z]+"
    r"|\b(?:lays|laid|lay|paves|paved|sets|set) the (?:groundwork|way|stage)\b"
)
_NEGATED_PROGRESS = re.compile(
    r"\b(?:no|little) (?:progress|agreement|deal|breakthrough)\b|\bfail(?:s|ed)? to\b"
    r"|\bremain(?:s|ed)? (?:at odds|divided|apart|deadlocked)\b|\bat loggerheads\b"
    r"|\b(?:declined|refused|refuses|declines) to\b"
)
# Active dispute verbs; "be rejected" or "will not be denied" are not disputes that happened,
# and a "blast furnace" is not a verb.
_DISPUTE = re.compile(
    r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )\b(?:criticis|criticiz|accus|condemn|slamm|"
    r"reject|dismiss|disput|protest)\w*"
    r"|(?<!\bbe )(?<!\bbeen )\bblast(?:ed|ing)\b"
    r"|(?<!\bbe )(?<!\bbeen )\b(?:denied|denies|opposed|opposes|attacked|hit out|sued|refused)\b"
)
# A plan that others fight ("will be fiercely contested") is not simply a next step.
_CONTESTED = re.compile(r"\b(?:contest|oppos|disput|challeng|fight|resist|block)\w*")
_DECIDED = re.compile(
    r"\b(?:agreed|voted|approved|signed|passed|ruled|decided|appointed|elected|resigned|"
    r"accepted|ratified|settled|scrapped|awarded|acquired|completed|won|cut|raised)\b"
)
_PROMISED = re.compile(
    r"\b(?:said|says|promised|pledged|vowed|confirmed)\s+(?:that\s+)?(?:it|they|he|she|we)\s+"
    r"(?:would|will)\s+(?!not\b|be\b|have\b|expect\b)[a-z]+"
)
# A condition is not a fact: "If it fails to do so, ..." states no failure.
_CONDITION = re.compile(r"^\W*(?:if|unless|should|were)\b")


def rule_kind(reason: str) -> str:
    """Return the kind (a str in RULE_KINDS) of a rule's ``reason``."""
    return reason.removeprefix("rule: ").split(' "', 1)[0]


def priority_rule(text: str, *, lead: bool) -> tuple[Label, str] | None:
    """Return the (label, reason) a priority rule gives a sentence, or None when none applies.

    ``text`` is the normalised sentence; ``lead`` says whether it opens its article.
    """
    content = strip_attribution(text)
    if _CONDITION.match(content):
        return None
    main = main_clause(content)
    if m := _NEGATED_PROGRESS.search(main):
        return "disagreement", f'rule: negated progress "{m.group()}"'
    fired: list[tuple[int, Label, str]] = []
    if m := _DISPUTE.search(main):
        fired.append((m.start(), "disagreement", f'rule: dispute "{m.group()}"'))
    future = _FUTURE.search(main)
    if (m := _DECIDED.search(main)) and (future is None or future.start() > m.start()):
        dated = DATE.search(main)
        if lead or (dated is not None and not _WHEN.search(main[m.end() :])):
            fired.append((m.start(), "outcome", f'rule: decision "{m.group()}"'))
    if future is not None and _WHEN.search(content) and not _CONTESTED.search(main):
        fired.append((future.start(), "next_step", f'rule: scheduled "{future.group()}"'))
    promise = _PROMISED.search(text)
    if promise and promise.start() < main_clause_end(text) and not NEGATION.search(content):
        at = promise.start() - (len(text) - len(content))  # positions in ``text`` run longer
        fired.append((at, "next_step", f'rule: promise "{promise.group()}"'))
    if not fired:
        return None
    _, label, reason = min(fired, key=lambda f: f[0])
    return label, reason
