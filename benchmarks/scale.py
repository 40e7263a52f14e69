"""How long a morning brief of many articles takes, and how much memory it needs.

Writes N BBC articles from ../shared/data/bbc_news_summary.jsonl into a temporary folder as
saved .txt pages (headline, blank line, paragraphs), runs ``briefing build`` on them in a
fresh process, and reports wall time and peak memory (the bar: 500 articles in under 60 s
with peak memory under 1 GB on a 2-core machine).

    python benchmarks/scale.py [--articles 500] [--jobs 1]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.data import BBC, bbc_rows


def write_articles(folder: Path, count: int) -> int:
    """Write ``count`` BBC articles into ``folder``; return how many were written."""
    written = 0
    for row in islice(bbc_rows(), count):
        body = "\n\n".join(p for p in row["article"].split("\n") if p.strip())
        name = row["id"].replace("/", "-") + ".txt"
        (folder / name).write_text(f"{row['title']}\n\n{body}\n", encoding="utf-8")
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
        print(f"wall time       {seconds:.1f} s   (bar < 60 s)")
        print(f"peak memory     {peak_mb:.0f} MB  (bar < 1024 MB; largest process)")
        report = done.stderr.strip().splitlines()[-1]
        print(f"brief           {out.stat().st_size / 1024:.0f} KB; {report}")
        ok = seconds < 60 and peak_mb < 1024
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
