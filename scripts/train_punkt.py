"""Train the Punkt parameters that briefing.split ships in briefing/data/punkt_english.json.

Punkt learns abbreviation types, collocations, frequent sentence starters and each word's
orthographic context (how it is capitalised at the start and inside sentences) from raw
news text.  We train on the BBC News Summary articles in ../shared, seed the training with
the project's own curated abbreviation list, and keep only the learned *parameters*: no
article text is written.  Rare words are pruned from the orthographic context to keep the
file small.

Usage:
    python scripts/train_punkt.py                      # writes briefing/data/punkt_english.json
    python scripts/train_punkt.py --holdout-every 2    # train on half, to measure on the rest
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters, PunktTrainer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.data import BBC, bbc_training_rows  # noqa: E402

logger = logging.getLogger("train_punkt")

DEFAULT_OUTPUT = ROOT / "briefing" / "data" / "punkt_english.json"
FORMAT_VERSION = 1
# Punkt's orthographic flags for a type seen in lower case at a sentence start, inside a
# sentence, or at a line start.  A learned sentence starter never seen in lower case is a
# name ("Nadal", "Sony") that happened to open many BBC sentences; it is not shipped, so a
# name after an abbreviation ("U.S. Sony") does not start a sentence.
LOWER_CASE_SEEN = 16 | 32 | 64

# The project's curated abbreviations, as Punkt types: lower case, no final period,
# inner periods kept ("u.s" for "U.S.").  Ambiguous words that often end a sentence
# ("sat", "sun", "mass", "wash", "ill", "fig") are left out on purpose.
TITLES = (
    "mr mrs ms messrs mmes dr prof rev revd fr sr jr st mt hon rt gen lt col maj capt cmdr "
    "adm sgt cpl pte supt insp det gov sen rep pres amb dame esq mme mlle cllr cllrs"
)
ORGANISATIONS = "inc ltd co corp plc llc bros assn dept univ intl natl govt cos"
CALENDAR = "jan feb apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri"
TIMES = "a.m p.m"
PLACES = (
    "ave blvd rd hwy mt ft u.s u.s.a u.k u.n e.u u.a.e d.c n.y l.a n.j "
    "ala ariz ark calif colo conn fla ga kan ky md mich minn mont neb nev okla penn "
    "tenn tex vt wis wyo"
)
REFERENCES = (
    "no nos vol vols p pp ch para paras ed eds approx est etc vs v cf al e.g i.e ibid op "
    "cit viz figs tel ext ph.d m.d b.a m.a b.sc m.sc ll.b q.c k.c n° nº"
)
UNITS = "lb lbs oz ft yd sq cu min hr hrs mg kg km"
CURATED_ABBREVIATIONS = frozenset(
    " ".join((TITLES, ORGANISATIONS, CALENDAR, TIMES, PLACES, REFERENCES, UNITS)).split()
)

# Words that start sentences so often that, capitalised after an abbreviation, they mean a
# new sentence ("in the U.S. How ...") rather than a name ("the U.S. Government").  Merged
# with the starters Punkt learns.
STARTERS = (
    "the a an he she it they we you i this that these those there here how what why when "
    "where who but however meanwhile his her its their our my if so yet"
)
CURATED_SENTENCE_STARTERS = frozenset(STARTERS.split())


def read_articles(path: Path, holdout_every: int) -> Iterator[str]:
    """Yield the article texts (str) of the BBC JSON Lines file at path, skipping duplicates.

    With holdout_every = n > 1, every n-th row (counting from 1) is held out and not yielded:
    those are the rows ``benchmarks/split.py --holdout-every n`` measures on.
    """
    for row in bbc_training_rows(holdout_every, path):
        # One paragraph per line in the data; a blank line between paragraphs tells
        # Punkt that each paragraph starts a sentence, which sharpens the orthographic
        # context it learns.
        yield "\n\n".join(p.strip() for p in row["article"].split("\n") if p.strip())


def train(texts: Iterator[str]) -> tuple[PunktParameters, dict[str, int]]:
    """Return the Punkt parameters learned from texts, and each type's frequency (str -> int)."""
    trainer = PunktTrainer()
    # Seeding the curated abbreviations means "Mr. Smith" is not read as a sentence break
    # while the orthographic context is collected.
    trainer._params.abbrev_types.update(CURATED_ABBREVIATIONS)
    trainer.train("\n\n".join(texts), finalize=True)
    params = trainer.get_params()
    frequencies = {typ: count for typ, count in trainer._type_fdist.items() if typ}
    return params, frequencies


def keep_learned_abbreviation(typ: str) -> bool:
    """Return whether a learned abbreviation type (str) is worth shipping (bool).

    Punkt also learns one-off words that happened to end a sentence twice ("hug", "woe");
    we trust only learned types with an inner period ("u.k", "a.d"), which are real
    abbreviations, and leave the rest to the curated list.
    """
    return "." in typ and not typ.replace(".", "").isdigit()


def to_json(params: PunktParameters, frequencies: dict[str, int], min_count: int) -> dict:
    """Return the JSON-ready dict of params, pruning ortho context below min_count (int)."""
    learned = sorted(t for t in params.abbrev_types if keep_learned_abbreviation(t))
    ortho = {
        typ: flags
        for typ, flags in sorted(params.ortho_context.items())
        if flags and (frequencies.get(typ, 0) + frequencies.get(typ + ".", 0)) >= min_count
    }
    return {
        "format": FORMAT_VERSION,
        "about": (
            "Punkt sentence-splitter parameters for briefing.split, trained by "
            "scripts/train_punkt.py on BBC News articles (2004-05) plus curated abbreviations. "
            "Learned statistics only; no article text."
        ),
        "abbrev_types": sorted(set(learned) | CURATED_ABBREVIATIONS),
        # Number collocations ("1. Federer") come from ranking tables; in English a number
        # before a full stop is not an ordinal, and list items are handled by split's rules.
        "collocations": sorted([a, b] for a, b in params.collocations if a != "##number##"),
        "sent_starters": sorted(
            CURATED_SENTENCE_STARTERS
            | {t for t in params.sent_starters if params.ortho_context.get(t, 0) & LOWER_CASE_SEEN}
        ),
        "ortho_min_count": min_count,
        "ortho_context": ortho,
    }


def main(argv: list[str] | None = None) -> int:
    """Train and write the parameter file; return the process exit status (int)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BBC, help="BBC JSON Lines file")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--min-count", type=int, default=3, help="prune ortho context of rarer types"
    )
    parser.add_argument(
        "--holdout-every", type=int, default=0, help="hold out every n-th article (0: none)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if not args.data.is_file():
        logger.error("training data not found: %s (is ../shared present?)", args.data)
        return 1
    params, frequencies = train(read_articles(args.data, args.holdout_every))
    payload = to_json(params, frequencies, args.min_count)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n",
        encoding="utf-8",
    )
    logger.info(
        "wrote %s: %d abbreviations, %d collocations, %d sentence starters, "
        "%d ortho-context types, %d bytes",
        args.output,
        len(payload["abbrev_types"]),
        len(payload["collocations"]),
        len(payload["sent_starters"]),
        len(payload["ortho_context"]),
        args.output.stat().st_size,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
