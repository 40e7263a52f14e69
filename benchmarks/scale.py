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
    python benchmarks/scale.py --articles 500,2000,10000,50000 --jobs 2 [--dask]

``--dask`` runs the brief on a local Dask cluster of ``--jobs`` worker processes that the
benchmark starts on 127.0.0.1.  Peak memory is the largest of any one process (the
``briefing build`` process, or a Dask worker), which is why sizes run smallest first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import BBC, bbc_rows
from benchmarks.machine import speed_line

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


def _run_build(folder: Path, out: Path, jobs: int, scheduler: str | None) -> tuple[float, str]:
    """Run ``briefing build`` in a fresh process; return its wall time and last report line."""
    command = [sys.executable, "-m", "briefing", "build", str(folder), "-o", str(out),
               "--no-state", "--jobs", str(jobs)]  # fmt: skip
    if scheduler:
        command += ["--scheduler", scheduler]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 3):
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return seconds, done.stderr.strip().splitlines()[-1]


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _worker_peak_mb(client: object) -> float:
    """The largest peak memory of a Dask worker so far (MB)."""
    peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # type: ignore[attr-defined]
    return max(peaks.values()) / 1024


def _growth(rows: list[tuple[int, float, float]]) -> str:
    """How time and memory grow between the sizes measured: the exponent k of N^k."""
    parts = []
    for (n0, t0, m0), (n1, t1, m1) in itertools.pairwise(rows):
        scale = math.log(n1 / n0)
        parts.append(
            f"{n0}->{n1}: time N^{math.log(t1 / t0) / scale:.2f}, "
            f"memory N^{math.log(m1 / m0) / scale:.2f}"
        )
    return "; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="500",
                        help="how many articles, or several sizes: 500,2000,10000")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dask", action="store_true",
                        help="run on a local Dask cluster of --jobs workers, one thread each")
    args = parser.parse_args()  # fmt: skip
    if not BBC.is_file():
        print(f"{BBC} is absent: this benchmark needs ../shared beside the checkout")
        return 2
    sizes = [int(n) for n in args.articles.split(",")]
    cluster = client = None
    if args.dask:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=":0")  # fmt: skip
        client = Client(cluster.scheduler_address)
    where = f"Dask, {args.jobs} workers" if args.dask else f"--jobs {args.jobs}"
    print(speed_line())
    print(f"{'articles':>8}  {'wall s':>7}  {'peak MB':>8}  {'bar':>12}  ({where})")
    rows: list[tuple[int, float, float]] = []
    ok = True
    try:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "articles"
                folder.mkdir()
                n = write_articles(folder, size)
                scheduler = cluster.scheduler_address if cluster else None
                seconds, report = _run_build(folder, Path(tmp) / "brief.docx", args.jobs, scheduler)
            # The peak of any process this benchmark has waited for, so measure the sizes
            # in increasing order; on Dask, the largest of the client and the workers.
            peak = _children_peak_mb()
            if client is not None:
                peak = max(peak, _worker_peak_mb(client))
            time_bar, memory_bar = next(bars for limit, bars in BARS if n <= limit)
            passed = seconds < time_bar and peak < memory_bar
            ok &= passed
            print(f"{n:>8}  {seconds:>7.1f}  {peak:>8.0f}  {time_bar:>5} s {memory_bar:>4} MB"
                  f"  {'PASS' if passed else 'FAIL'}  {report}")  # fmt: skip
            rows.append((n, seconds, peak))
    finally:
        if client is not None:
            client.close()
            cluster.close()  # type: ignore[union-attr]
    if len(rows) > 1:
        print("growth:", _growth(rows))
    print(speed_line())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
