"""The documented Python API: what ``import briefing`` offers and the CLI is built on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .classify import classify_sentences
from .clean import clean_text
from .formats.markdown import split_front_matter
from .load import load_file
from .models import Article, Briefing
from .multi_document import select_across
from .options import BriefingOptions
from .pipeline import build_briefing
from .rank import rank_sentences, select
from .split import split_sentences
from .state import remember_brief


def summarize(text: str, *, sentences: int = 3, method: str = "default") -> list[str]:
    """Return the ``sentences`` most important sentences of one article's ``text``.

    The text is cleaned and split first; the result (a list of str) is in document order.
    ``method`` names a ranker (see ``briefing methods``).
    """
    split = split_sentences(_body(text))
    if sentences <= 0 or not split:
        return []
    scores = rank_sentences(split, method=method)
    return [split[i] for i in select(scores, sentences)]


def summarize_many(texts: Sequence[str], *, words: int = 100) -> list[str]:
    """Return one summary of several ``texts`` (say, articles on one story): the most
    important sentences of all of them, favouring what several of them report, each fact
    once, within ``words`` words in all (see :mod:`briefing.multi_document`).

    Sentences come in the order they were chosen, the most valuable first (a list of str).
    """
    documents = [split_sentences(_body(text)) for text in texts]
    importance = [rank_sentences(doc) if doc else np.zeros(0) for doc in documents]
    return [documents[d][i] for d, i in select_across(documents, importance, words=words)]


def _body(text: str) -> str:
    """The cleaned body of a text as a user has it: Markdown front matter is not prose."""
    return clean_text(split_front_matter(text)[1])


def rank(
    sentences: Sequence[str], *, title: str | None = None, method: str = "default"
) -> list[float]:
    """Return one importance score (float, higher is better) per pre-split sentence of one
    document, aligned with ``sentences``."""
    if not sentences:
        return []
    return [float(v) for v in rank_sentences(list(sentences), title=title, method=method)]


def classify(sentences: Sequence[str]) -> list[str]:
    """Return for each sentence (of one article, in order) its briefing label:
    ``"outcome"``, ``"disagreement"``, ``"next_step"`` or ``"context"``."""
    return [c.label for c in classify_sentences(list(sentences))]


def load(path: str | Path) -> list[Article]:
    """Return the cleaned articles of one file (a feed or mailbox may hold several).

    Raises ``InputError`` naming the file and the problem when it yields none.
    """
    return list(load_file(Path(path)))


def remember(briefing: Briefing, state: str | Path) -> None:
    """Record in the state file ``state`` that ``briefing`` was delivered, so the next
    brief built with ``state=`` marks its stories as seen.  Raises ``StateError``."""
    remember_brief(briefing, Path(state))


def build(paths: str | Path | Iterable[str | Path], **options: object) -> Briefing:
    """Return the ``Briefing`` of the articles under ``paths`` (a file, a folder, or several).

    Keywords are the fields of ``BriefingOptions`` (``method``, ``title``, ``date``,
    ``max_items``, ...).  Write the result with ``Briefing.to_docx(path)``,
    ``.to_markdown()`` or ``.to_dict()``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return build_briefing(list(paths), BriefingOptions.from_keywords(**options))
