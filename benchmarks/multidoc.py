"""Multi-document benchmark: ROUGE recall of ``briefing.summarize_many`` against LexRank and lead.

The bar (from the issue): on a held-out multi-document news set with human summaries,
100-word summaries scored by ROUGE-2 recall, ``summarize_many`` scores at least LexRank's
published figure (7.5) and aims at the best classical systems (ICSISumm, 9.8).  Those are
DUC 2004 (task 2) figures, so they only apply to a run on DUC 2004 itself (``--data``).

What is measured.  Each topic is a set of documents on one story plus human reference
summaries.  Every method gets the topic's documents (a list of str) and a budget of
``--words`` words (100) and returns its summary sentences.  Scoring follows DUC's
convention: the summary is cut to its first ``--words`` words (ROUGE's ``-l 100``; a word is
a run of letters and digits, what ROUGE tokenizes, so the punctuation tokens of pre-tokenized
text are not counted), then ``rouge-score`` (``use_stemmer=True``) gives ROUGE-1 and ROUGE-2
recall and F1 against each reference; these are averaged over the references, then over the
topics.  The table reports recall and F1 x100 and the mean number of words the methods
produced (before the cut), with the CPU seconds each method took.

Methods (``METHODS`` maps a name to ``callable(docs: list[str], words: int) -> list[str]``;
add one with one line):

* ``summarize_many``: ``briefing.summarize_many(docs, words=words)``.
* ``lexrank``: the classical baseline.  sumy's ``LexRankSummarizer`` (sumy's English stemmer
  and stop words) over the sentences of all documents together; sentences are taken in
  LexRank's order (best rated first) until the next one would pass the budget.
* ``lead``: the first sentences of the first document until the next would pass the budget.

Every method sees the same sentences: each document is cleaned and split as
``summarize_many`` does it (``briefing.clean.clean_text``, ``briefing.split.split_sentences``),
so that the comparison is about which sentences are chosen.  sumy's own tokenizers need
NLTK's Punkt data, so the sumy document is built directly (``ObjectDocumentModel``) with one
sumy sentence per split sentence and sumy's word tokenization (``nltk.word_tokenize`` on the
sentence, kept to what sumy's ``Tokenizer`` counts as words).

Data.  ``--data PATH`` reads a JSONL file of topics, one per line::

    {"id": "d30001t", "docs": ["text of document 1", ...], "summaries": ["human summary A", ...]}

``docs`` are the documents' plain texts (one paragraph per line or hard-wrapped, as the
pipeline accepts them) and ``summaries`` the human reference summaries, as DUC 2004 task 2
provides them (50 topics, 10 documents and 4 references of about 100 words each).

Without ``--data`` the benchmark runs on a PROXY built deterministically from CNN/DailyMail
validation (``../shared/data/cnndm_validation.jsonl``): story clusters found by TF-IDF
(stop words removed, ``min_df=2``, sublinear tf) over the first 2,000 characters of each
article, cosine distance, average-linkage clustering cut at distance 0.6; clusters of 3 to 10
articles are the topics (81 of them, 3.6 articles on average).  A topic's documents are its
articles and its references are each article's highlights (one reference per article).
These references summarise single articles, not the topic, and are not DUC's 100-word
abstracts, so the absolute figures are NOT comparable with DUC's: only methods measured in
the same run compare.  ``--half even|odd`` keeps every other topic (by order) to tune on one
half and check on the other.

Run::

    python benchmarks/multidoc.py                          # proxy, every method
    python benchmarks/multidoc.py --jobs 4 --half odd      # held-out half of the proxy
    python benchmarks/multidoc.py --data duc2004.jsonl --methods summarize_many,lexrank
    python benchmarks/multidoc.py --dev --words 100,250    # ../shared's DUC 2006 topics

``--dev`` reads ``../shared/data/multidoc_dev.jsonl`` directly: its documents are objects
(``docno``, ``date``, ``headline``, ``text``), of which the text is summarised; the 50 DUC 2006
topics have four human summaries of 250 words each, written for the topic's question, and
the 45 DUC 2007 topics none, so those are left out.  ``--words`` takes several lengths.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

# One BLAS thread per process: --jobs sets the parallelism, and CPU seconds compare fairly.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import nltk  # noqa: E402
import numpy as np  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.nlp.tokenizers import Tokenizer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefing  # noqa: E402
from benchmarks.data import MULTIDOC, SHARED  # noqa: E402
from briefing.clean import clean_text  # noqa: E402
from briefing.split import split_sentences  # noqa: E402

CNNDM = SHARED / "data" / "cnndm_validation.jsonl"
MULTIDOC_DEV = MULTIDOC
WORDS = 100
# The proxy's story clusters (see the module docstring).
LEAD_CHARS = 2000
CUT_DISTANCE = 0.6
MIN_DOCS, MAX_DOCS = 3, 10
# Published DUC 2004 task 2 ROUGE-2 recall (x100), 100-word summaries.
PUBLISHED = {"LexRank": 7.5, "ICSISumm": 9.8}
SCORES = ("rouge1_recall", "rouge2_recall", "rouge1_f1", "rouge2_f1")
# What ROUGE counts as words: runs of letters and digits (rouge-score lower-cases the text
# and replaces everything else by spaces).
_WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)

Method = Callable[[list[str], int], list[str]]


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: its ``id``, its documents and its human reference summaries (tuples of str)."""

    id: str
    docs: tuple[str, ...]
    references: tuple[str, ...]


class DataError(Exception):
    """The data file is missing or a line of it is not a topic."""


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def load_topics(path: Path) -> list[Topic]:
    """Return the topics with summaries (a list of Topic) of the JSONL file at ``path``.

    Each line is ``{"id": str, "docs": [...], "summaries": [str, ...]}``, a doc being its text
    or an object whose ``text`` it is (as in ``multidoc_dev.jsonl``); topics without summaries
    are left out.  Raises DataError when the file is missing, a line is not such a topic, or
    no topic has summaries.
    """
    if not path.is_file():
        raise DataError(f"data file not found: {path}")
    topics = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                texts = (d["text"] if isinstance(d, dict) else d for d in row["docs"])
                docs = tuple(str(t) for t in texts if str(t).strip())
                references = tuple(str(s) for s in row.get("summaries") or () if str(s).strip())
                topic_id = str(row.get("id", number))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise DataError(f"{path}:{number}: not a topic ({exc!r})") from exc
            if not docs:
                raise DataError(f"{path}:{number}: a topic needs docs")
            if references:
                topics.append(Topic(topic_id, docs, references))
    if not topics:
        raise DataError(f"{path}: no topic has summaries")
    return topics


def proxy_topics(path: Path = CNNDM) -> list[Topic]:
    """Return the CNN/DailyMail proxy topics (a list of Topic) built from ``path``.

    Story clusters: TF-IDF over each article's first 2,000 characters, cosine distance,
    average linkage cut at 0.6; clusters of 3 to 10 articles, ordered by their first
    article's position in the file.  References are the articles' highlights.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not path.is_file():
        raise DataError(f"data file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    vectors = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(
        [row["article"][:LEAD_CHARS] for row in rows]
    )
    # The rows are L2-normalised, so the cosine distance is 1 - the dot product.
    distance = 1.0 - (vectors @ vectors.T).toarray()
    np.clip(distance, 0.0, None, out=distance)
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2  # exactly symmetric, as squareform requires
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, CUT_DISTANCE, criterion="distance")
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    clusters = sorted(
        (m for m in members.values() if MIN_DOCS <= len(m) <= MAX_DOCS), key=lambda m: m[0]
    )
    return [
        Topic(
            f"cnndm-{n:03d}-{rows[m[0]]['id'][:8]}",
            tuple(rows[i]["article"] for i in m),
            tuple(
                "\n".join(s.strip() for s in rows[i]["summary"].splitlines() if s.strip())
                for i in m
            ),
        )
        for n, m in enumerate(clusters, 1)
    ]


def pick(
    topics: Sequence[Topic], half: str | None, limit: int | None, docs: int | None = None
) -> list[Topic]:
    """Return ``topics`` (a list of Topic) kept to the ``half`` ("even", "odd" or None) by
    position, then to the first ``limit`` (None for all), each cut to its first ``docs``
    documents (None for all: DUC 2004's topics have 10, the DUC 2006 ones 25)."""
    kept = [t for i, t in enumerate(topics) if half is None or i % 2 == (1 if half == "odd" else 0)]
    kept = kept[:limit] if limit else kept
    return [replace(t, docs=t.docs[:docs]) for t in kept] if docs else kept


# --------------------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Return the number of words (int) ROUGE sees in ``text``: runs of letters and digits."""
    return len(_WORD.findall(text))


def truncate(text: str, words: int) -> str:
    """Return ``text`` (a str) cut after its first ``words`` words (DUC's ``-l``)."""
    if words <= 0:
        return ""
    for number, match in enumerate(_WORD.finditer(text), 1):
        if number == words:
            return text[: match.end()]
    return text


def sentences_of(doc: str) -> list[str]:
    """Return the sentences (a list of str) of one document, as ``summarize_many`` splits it."""
    return split_sentences(clean_text(doc))


def within(sentences: Sequence[str], words: int) -> list[str]:
    """Return the leading ``sentences`` (a list of str) up to the one that would pass ``words``."""
    chosen, used = [], 0
    for sentence in sentences:
        used += count_words(sentence)
        if used > words:
            break
        chosen.append(sentence)
    return chosen


def summarize_many(docs: list[str], words: int) -> list[str]:
    """Return ``briefing.summarize_many``'s summary (a list of str) of ``docs``."""
    return briefing.summarize_many(docs, words=words)


def lead(docs: list[str], words: int) -> list[str]:
    """Return the first sentences (a list of str) of the first document within ``words``."""
    return within(sentences_of(docs[0]), words) if docs else []


class _SumyWords:
    """sumy's English word tokenization without its sentence splitter (which needs Punkt data):
    ``nltk.word_tokenize`` on a sentence, kept to the tokens sumy's ``Tokenizer`` calls words.
    """

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        tokens = nltk.word_tokenize(text, preserve_line=True)
        return tuple(t for t in tokens if Tokenizer._WORD_PATTERN.match(t))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return (text.strip(),) if text.strip() else ()


@lru_cache(maxsize=1)
def _lexrank() -> LexRankSummarizer:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def lexrank(docs: list[str], words: int) -> list[str]:
    """Return sumy LexRank's summary (a list of str, best rated first) of all ``docs``
    together: sentences in rating order until the next would pass ``words``."""
    tokenizer = _SumyWords()
    sentences = [Sentence(s, tokenizer) for doc in docs for s in sentences_of(doc)]
    if not sentences:
        return []
    document = ObjectDocumentModel([Paragraph(sentences)])
    ranked: list[str] = []

    def budget(infos: list) -> list:
        # sumy hands over the sentences best rated first (ties in document order) and keeps
        # what this returns; the rating order is recorded on the way.
        chosen = within([str(info.sentence) for info in infos], words)
        ranked.extend(chosen)
        return infos[: len(chosen)]

    with np.errstate(all="ignore"):
        _lexrank()(document, budget)
    return ranked


METHODS: dict[str, Method] = {
    "summarize_many": summarize_many,
    "lexrank": lexrank,
    "lead": lead,
}


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def score(summary: str, references: Sequence[str], words: int = WORDS) -> dict[str, float]:
    """Return ROUGE-1/2 recall and F1 (fractions, keyed as in ``SCORES``) of ``summary``
    (a str) cut to its first ``words`` words, averaged over the ``references`` (str)."""
    peer = truncate(summary, words)
    totals = dict.fromkeys(SCORES, 0.0)
    for reference in references:
        result = _scorer().score(reference, peer)
        for n in ("rouge1", "rouge2"):
            totals[f"{n}_recall"] += result[n].recall
            totals[f"{n}_f1"] += result[n].fmeasure
    return {k: v / max(1, len(references)) for k, v in totals.items()}


def _run_one(job: tuple[str, Topic, int]) -> tuple[str, dict[str, float]]:
    method, topic, words = job
    start = time.process_time()
    summary = "\n".join(METHODS[method](list(topic.docs), words))
    cpu = time.process_time() - start
    return method, {
        **score(summary, topic.references, words),
        "words": count_words(summary),
        "cpu_s": cpu,
    }


def run(
    topics: Sequence[Topic], methods: Sequence[str], words: int = WORDS, jobs: int = 1
) -> dict[str, dict[str, float]]:
    """Return ``{method: {score: mean over topics}}`` (SCORES x100, mean ``words``, total
    ``cpu_s``) for each of ``methods`` (str) on ``topics`` (Topic), in ``jobs`` processes."""
    work = [(m, t, words) for m in methods for t in topics]
    sums = {m: dict.fromkeys((*SCORES, "words", "cpu_s"), 0.0) for m in methods}

    def consume(outputs: Iterator[tuple[str, dict[str, float]]]) -> None:
        for method, scores in outputs:
            for key, value in scores.items():
                sums[method][key] += value

    if jobs > 1:
        # LexRank is the slowest: start it first so that the pool stays busy to the end.
        work.sort(key=lambda w: w[0] != "lexrank")
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            consume(pool.map(_run_one, work, chunksize=2))
    else:
        consume(map(_run_one, work))
    n = max(1, len(topics))
    results = {}
    for method, total in sums.items():
        results[method] = {k: 100.0 * total[k] / n for k in SCORES}
        results[method]["words"] = total["words"] / n
        results[method]["cpu_s"] = total["cpu_s"]
        print(
            f"  {method:15s} R-1 {results[method]['rouge1_recall']:.2f}"
            f" R-2 {results[method]['rouge2_recall']:.2f}  cpu {total['cpu_s']:.1f}s",
            file=sys.stderr,
            flush=True,
        )
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    """Return ``results`` as a Markdown table (a str), one row per method."""
    lines = [
        "| method | R-1 recall | R-2 recall | R-1 F1 | R-2 F1 | mean words | CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for method, r in results.items():
        lines.append(
            f"| {method} | {r['rouge1_recall']:.2f} | {r['rouge2_recall']:.2f}"
            f" | {r['rouge1_f1']:.2f} | {r['rouge2_f1']:.2f} | {r['words']:.1f}"
            f" | {r['cpu_s']:.1f} |"
        )
    return "\n".join(lines)


def bars(results: dict[str, dict[str, float]], proxy: bool) -> list[str]:
    """Return lines (str) comparing ``summarize_many`` with LexRank in this run and, off the
    proxy, with the published DUC 2004 figures."""
    lines = []
    ours = results.get("summarize_many", {}).get("rouge2_recall")
    if ours is None:
        return lines
    if "lexrank" in results:
        theirs = results["lexrank"]["rouge2_recall"]
        verdict = "PASS" if round(ours, 2) >= round(theirs, 2) else "FAIL"
        lines.append(f"R-2 recall summarize_many {ours:.2f} >= lexrank {theirs:.2f}: {verdict}")
    published = ", ".join(f"{name} {value}" for name, value in PUBLISHED.items())
    if proxy:
        lines.append(
            f"published DUC 2004 R-2 recall ({published}, 100 words): not comparable with this run"
        )
    else:
        for name, value in PUBLISHED.items():
            verdict = "PASS" if round(ours, 2) >= value else "FAIL"
            lines.append(
                f"R-2 recall summarize_many {ours:.2f} >= {name} (DUC 2004) {value}: {verdict}"
                " (meaningful on DUC 2004 only)"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--data", type=Path, help="JSONL topics file (default: the CNN/DailyMail proxy)"
    )
    parser.add_argument(
        "--methods", default=",".join(METHODS), help=f"comma-separated, from: {', '.join(METHODS)}"
    )
    parser.add_argument(
        "--dev", action="store_true", help=f"the topics of {MULTIDOC_DEV.name} in ../shared"
    )
    parser.add_argument(
        "--words", default=str(WORDS), help="summary length in words, or several: 100,250"
    )
    parser.add_argument("--half", choices=("even", "odd"), help="keep every other topic")
    parser.add_argument("--limit", type=int, default=None, help="keep the first N topics")
    parser.add_argument(
        "--docs", type=int, default=None, help="keep each topic's first N documents (all)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1)")
    args = parser.parse_args(argv)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown methods {unknown}; choose from {', '.join(METHODS)}")
    try:
        data = MULTIDOC_DEV if args.dev else args.data
        topics = load_topics(data) if data else proxy_topics()
        lengths = [int(n) for n in args.words.split(",")]
    except DataError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    except ValueError:
        parser.error(f"--words takes whole numbers, not {args.words!r}")
    if args.docs is not None and args.docs < 1:
        parser.error("--docs takes a whole number of at least 1")
    topics = pick(topics, args.half, args.limit, args.docs)
    if not topics:
        parser.exit(2, f"{parser.prog}: error: no topics to summarise\n")

    shown = sys.argv[1:] if argv is None else list(argv)
    print("command: python benchmarks/multidoc.py " + " ".join(shown))
    if data:
        print(f"data: {data}")
    else:
        print(
            f"data: PROXY, story clusters of CNN/DailyMail validation ({CNNDM.name}); references"
            " are the per-article highlights, so the figures are not comparable with DUC's:"
            " compare methods within this run only"
        )
    docs = sum(len(t.docs) for t in topics) / len(topics)
    refs = sum(len(t.references) for t in topics) / len(topics)
    half = f", half {args.half}" if args.half else ""
    print(
        f"topics: {len(topics)}{half}; mean docs per topic {docs:.1f}; mean references per"
        f" topic {refs:.1f}; ROUGE x100 (rouge-score, stemmed), mean over references, then"
        " over topics"
    )
    start = time.perf_counter()
    for words in lengths:
        results = run(topics, methods, words, args.jobs)
        print()
        print(f"summaries cut to {words} words")
        print()
        print(table(results))
        print()
        # The published figures are of DUC 2004, 100-word summaries: only such a run compares.
        for line in bars(results, proxy=not args.data or words != WORDS):
            print(line)
    print(f"wall time {time.perf_counter() - start:.1f}s ({args.jobs} job(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
