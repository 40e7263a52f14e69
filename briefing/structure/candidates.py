"""The sentences that compete for a place in a brief: ``Candidate`` records, made from an
article's ranked and classified sentences, each sentence that leans on the one before it
joined to it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..clean import is_dateline, is_heading, is_prose
from ..models import (
    Classification,
    Label,
    ScoredSentence,
    Sentence,
)
from ..words import content_stems, figures_of, lacks_subject, leans_on_previous

# A shorter sentence is a fragment, a dateline or a caption, not a bullet a reader can use.
MIN_BULLET_WORDS = 5
# A context sentence shorter than this that names nothing (no name inside it, no figure)
# says too little to stand alone: "The symptoms came on quickly.", "Air pollution can be
# solved." (8 of 782 bullets of the shared news pages, and no news among them).
SPECIFIC_BELOW_WORDS = 8
_NAMES_SOMETHING = re.compile(r"(?<=[\w,;:)] )[A-Z]|\d")
# A sentence shown with the one it leans on makes a bullet of two; longer than this, the
# pair is no longer a bullet a reader takes in at a glance, and the sentence is passed over.
MAX_PAIR_WORDS = 60


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked, classified sentence competing for a place in the briefing.

    ``before`` is the sentence before it in its article when it leans on that sentence
    (see ``leans_on_previous``) and is shown with it; its rank and label are its own.
    """

    scored: ScoredSentence
    classification: Classification
    percentile: float
    rank: int
    of: int
    words: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    before: Candidate | None = None

    @property
    def identity(self) -> tuple[int, int]:
        return (self.scored.sentence.article_id, self.scored.sentence.index)

    @property
    def identities(self) -> frozenset[tuple[int, int]]:
        """The identities of every sentence the bullet shows: its own and ``before``'s."""
        shown = {self.identity}
        if self.before is not None:
            shown.add(self.before.identity)
        return frozenset(shown)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences the bullet shows, in article order."""
        own = self.scored.sentence
        return (own,) if self.before is None else (self.before.scored.sentence, own)

    @property
    def text(self) -> str:
        """The bullet's text: the sentence, after the one it leans on if it is shown with it."""
        return " ".join(s.text for s in self.sentences)

    @property
    def n_words(self) -> int:
        """How many words the bullet takes of the word budget."""
        return len(self.text.split())

    @property
    def is_labelled(self) -> bool:
        return self.classification.label != "context"

    def fits(self, confident: float) -> bool:
        """Whether the sentence can stand as a bullet: not a question, not a fragment (short,
        or a participle phrase without a subject, ``words.lacks_subject``), not a short line
        that names nothing unless it is an outcome, dispute or next step of at least
        ``confident`` confidence, prose rather than a heading, link or prompt (see
        ``clean.is_prose``), and, when it leans on the sentence before it, shown with that
        sentence."""
        text = self.scored.sentence.text.rstrip(" \"'”’)")
        n_words = len(text.split())
        if text.endswith("?") or n_words < MIN_BULLET_WORDS or lacks_subject(text):
            return False
        plain = n_words < SPECIFIC_BELOW_WORDS and not _NAMES_SOMETHING.search(text)
        if plain and not self.is_confident(confident):  # "Unions rejected the offer outright."
            return False
        if not is_prose(self.scored.sentence.text):
            return False
        return self.before is not None or not leans_on_previous(self.scored.sentence.text)

    def kind(self, confident: float) -> Label:
        """The label it is filed by: its own when confident enough, else context."""
        return self.classification.label if self.is_confident(confident) else "context"

    def is_confident(self, confident: float) -> bool:
        """True when the sentence is sure enough of its label for an action section."""
        return self.is_labelled and self.classification.confidence >= confident

    def priority(self, confident: float) -> float:
        """How much the sentence deserves a place: its rank within its article, plus the
        classifier's confidence when that is high enough to file it in an action section,
        so that a clear disagreement outranks a vaguely important background sentence."""
        sure = self.is_confident(confident)
        return self.percentile + (self.classification.confidence if sure else 0.0)


def candidates_of(
    scored: Sequence[ScoredSentence],
    classified: Sequence[Classification],
    rows: Sequence[int] | None = None,
) -> tuple[Candidate, ...]:
    """Return one ``Candidate`` per sentence of one article (scores and labels aligned), or
    per sentence at the indices ``rows`` (``classified`` then aligned with ``rows``), each
    ranked among all the article's sentences."""
    n = len(scored)
    rank_of = {i: r for r, i in enumerate(_by_score(scored))}
    picked = range(n) if rows is None else rows
    return tuple(
        Candidate(
            scored[i],
            c,
            percentile=1 - rank_of[i] / n,
            rank=rank_of[i] + 1,
            of=n,
            words=frozenset(content_stems(scored[i].sentence.text)),
            figures=figures_of(scored[i].sentence.text),
        )
        for i, c in zip(picked, classified, strict=True)
    )


def best_rows(scored: Sequence[ScoredSentence], k: int) -> list[int]:
    """The indices (in article order) of the ``k`` best-scored sentences, as ``candidates_of``
    ranks them: by score, earlier first on a tie."""
    return sorted(_by_score(scored)[:k])


def _by_score(scored: Sequence[ScoredSentence]) -> list[int]:
    return sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))


def with_lead_ins(candidates: Sequence[Candidate], confident: float) -> tuple[Candidate, ...]:
    """Return one article's candidates (in sentence order), each sentence that leans on the
    one before it joined to that sentence (``Candidate.before``) when the two make a usable
    bullet: the sentence before is a whole sentence that stands on its own (not a heading,
    dateline, question or fragment, and not leaning further back; ``Candidate.fits`` at
    ``confident``) and the pair is at most
    ``MAX_PAIR_WORDS`` words.  Otherwise the leaning sentence stays unfit and is passed over.
    """
    joined = list(candidates)
    for i, candidate in enumerate(candidates):
        own = candidate.scored.sentence
        previous = candidates[i - 1] if i else None
        if (
            previous is not None
            and leans_on_previous(own.text)
            and previous.scored.sentence.index == own.index - 1
            and previous.fits(confident)
            and not is_heading(previous.scored.sentence.text)
            and not is_dateline(previous.scored.sentence.text)
            and previous.n_words + len(own.text.split()) <= MAX_PAIR_WORDS
        ):
            joined[i] = replace(
                candidate,
                before=previous,
                words=candidate.words | previous.words,
                figures=candidate.figures | previous.figures,
            )
    return tuple(joined)
