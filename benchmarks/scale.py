"""How long a morning brief of many articles takes, and how much memory it needs.

Writes N articles into a temporary folder as saved .txt pages (headline, blank line,
paragraphs): the BBC articles of ../shared/data/bbc_news_summary.jsonl, then the CNN/Daily
Mail ones of cnndm_validation.jsonl, then, past those 6,593, the same again with small
changes (a paragraph dropped, a figure changed, "Updated:" before the headline), so that
large folders hold near-duplicates as real feeds do.  Runs ``briefing build`` on them in a
fresh process and reports wall time and peak memory (the bars: 500 articles in under 60 s
and 1 GB; 10,000 in under 60 s and 1.5 GB; 50,000 in under 6 minutes and 4 GB, on a
2-core machine).

    python benchmarks/scale.py [--articles 500] [--jobs 1]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import BBC, bbc_rows

CNNDM = BBC.parent / "cnndm_validation.jsonl"
#: (up to this many articles, (seconds, megabytes)): the bars of #11 and #15.
BARS = ((500, (60, 1024)), (10_000, (60, 1536)), (50_000, (360, 4096)), (10**9, (10**9, 10**9)))


def _originals() -> list[tuple[str, list[str]]]:
    """The (headline, paragraphs) of every BBC and CNN/Daily Mail article in ../shared."""
    found = [(row["title"], [p for p in row["article"].split("\n") if p.strip()])
             for row in bbc_rows()]  # fmt: skip
    if CNNDM.is_file():
        with CNNDM.open(encoding="utf-8") as handle:
            for line in handle:
                sentences = json.loads(line)["article"].split(" . ")
                starts = range(0, len(sentences), 3)
                paragraphs = [" . ".join(sentences[i : i + 3]) + " ." for i in starts]
                found.append((" ".join(sentences[0].split()[:10]), paragraphs))
    return found


def _variant(headline: str, paragraphs: list[str], round_: int) -> tuple[str, list[str]]:
    """A copy of an article as a later feed item carries it: "Updated:" before the headline,
    its last paragraph dropped, and each of its figures changed."""
    bump = lambda m: str(int(m.group()) + round_)  # noqa: E731
    kept = paragraphs[:-1] if len(paragraphs) > 2 else paragraphs
    return f"Updated: {headline}", [re.sub(r"\b\d+\b", bump, p) for p in kept]


def write_articles(folder: Path, count: int) -> int:
    """Write ``count`` articles into ``folder``; return how many were written."""
    originals = _originals()
    written = 0
    while written < count and originals:
        round_, index = divmod(written, len(originals))
        headline, paragraphs = originals[index]
        if round_:
            headline, paragraphs = _variant(headline, paragraphs, round_)
        body = "\n\n".join(paragraphs)
        (folder / f"{written:06d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    if not BBC.is_file():
        print(f"{BBC} is absent: this benchmark needs ../shared beside the checkout")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        n = write_articles(folder, args.articles)
        out = Path(tmp) / "brief.docx"
        command = [
            sys.executable, "-m", "briefing", "build", str(folder), "-o", str(out),
            "--jobs", str(args.jobs),
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode not in (0, 3):
            print(done.stderr)
            return 1
        print(f"articles        {n}")
        print(f"jobs            {args.jobs}")
        time_bar, memory_bar = next(bars for size, bars in BARS if n <= size)
        print(f"wall time       {seconds:.1f} s   (bar < {time_bar} s)")
        print(f"peak memory     {peak_mb:.0f} MB  (bar < {memory_bar} MB; largest process)")
        report = done.stderr.strip().splitlines()[-1]
        print(f"brief           {out.stat().st_size / 1024:.0f} KB; {report}")
        ok = seconds < time_bar and peak_mb < memory_bar
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
