#!/usr/bin/env python3
"""Benchmark of the jurisdex core on real legal text (../shared/bench-corpus): indexing speed,
index size, peak memory, and query latency for five kinds of query, a crosstab and similar(). Prints a
Markdown table.

Usage: python3 bench/bench_core.py [--sizes 10000,50000] [--queries 200]
Skips (exit 0) when ../shared/bench-corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import convert  # noqa: E402

INDEX_CHILD = """
import json, resource, sys, time, jurisdex
t = time.perf_counter()
with jurisdex.Index(sys.argv[1], create=True) as idx:
    report = idx.add_files([sys.argv[2]], batch_size=int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t, "added": report.added, "rejected": len(report.rejected),
                  "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def disk_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentiles(samples: list) -> tuple:
    s = sorted(samples)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    return pick(0.50), pick(0.95), pick(0.99)


def make_queries(records_path: Path, n: int, seed: int = 7) -> dict:
    """Real words, word pairs and record ids sampled from the records (fixed seed)."""
    rng = random.Random(seed)
    texts, ids = [], []
    with records_path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 50 == 0:
                record = json.loads(line)
                texts.append(record["summary"])
                ids.append(record["id"])
    words = [w for t in texts for w in re.findall(r"[^\W\d_]{5,}", t)]
    pairs = [m.group(1) + " " + m.group(2) for t in texts for m in re.finditer(r"([^\W\d_]{4,}) ([^\W\d_]{4,})", t)]
    return {
        "term": [rng.choice(words) for _ in range(n)],
        "term, with snippets": [rng.choice(words) for _ in range(n)],
        "phrase": [f'"{rng.choice(pairs)}"' for _ in range(n)],
        "two facet filters": [rng.choice(words) for _ in range(n)],
        "facet counts (all matches)": [rng.choice(words) for _ in range(n)],
        "crosstab country x language (all matches, DataFrame)": [rng.choice(words) for _ in range(n)],
        "similar (record id)": [rng.choice(ids) for _ in range(n)],
        "similar, stems only (expand=False)": [rng.choice(ids) for _ in range(n)],
    }


def time_queries(db: Path, queries: dict) -> dict:
    import jurisdex

    idx = jurisdex.Index(db)
    kinds = {
        "term, with snippets": lambda q: idx.search(q, limit=10),
        "term": lambda q: idx.search(q, limit=10, snippets=False),
        "phrase": lambda q: idx.search(q, limit=10, snippets=False),
        "two facet filters": lambda q: idx.search(q, country=["USA", "DEU"], language="en", limit=10, snippets=False),
        "facet counts (all matches)": lambda q: idx.search(q, facets=["country", "language", "keywords"], limit=10,
                                                           snippets=False),
        "crosstab country x language (all matches, DataFrame)": lambda q: idx.crosstab("country", "language", q),
        "similar (record id)": lambda q: idx.similar(q, limit=10),
        "similar, stems only (expand=False)": lambda q: idx.similar(q, limit=10, expand=False),
    }
    out = {}
    for kind, run in kinds.items():
        for q in queries[kind][:10]:  # warm the page cache
            run(q)
        samples = []
        for q in queries[kind]:
            t = time.perf_counter()
            run(q)
            samples.append((time.perf_counter() - t) * 1000)
        out[kind] = percentiles(samples)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000", help="comma-separated record counts")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--batch-size", type=int, default=10000)
    args = p.parse_args()
    if not convert.BENCH_CORPUS.is_dir():
        print(f"skipped: {convert.BENCH_CORPUS} is not present")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="jurisdex-bench-"))
    rows = []
    try:
        for size in sizes:
            records = work / f"records-{size}.jsonl"
            n = convert.convert(size, records)
            db = work / f"index-{size}"
            child = subprocess.run([sys.executable, "-c", INDEX_CHILD, str(db), str(records), str(args.batch_size)],
                                   check=True, capture_output=True, text=True)
            result = json.loads(child.stdout)
            input_mb = records.stat().st_size / 1e6
            latency = time_queries(db, make_queries(records, args.queries))
            rows.append((n, result, input_mb, disk_size(db) / 1e6, latency))
            shutil.rmtree(db)
            records.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"jurisdex core benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {args.queries} queries per kind, batch {args.batch_size}\n")
    print("| records | input MB | index s | docs/s | MB/s | index MB | peak RSS MB | rejected |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, r, mb, index_mb, _ in rows:
        print(f"| {n} | {mb:.0f} | {r['seconds']:.1f} | {n / r['seconds']:.0f} | {mb / r['seconds']:.2f} | "
              f"{index_mb:.0f} | {r['peak_rss_kb'] / 1024:.0f} | {r['rejected']} |")
    print("\n| records | query kind | p50 ms | p95 ms | p99 ms |")
    print("|---:|---|---:|---:|---:|")
    for n, _, _, _, latency in rows:
        for kind, (p50, p95, p99) in latency.items():
            print(f"| {n} | {kind} | {p50:.2f} | {p95:.2f} | {p99:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
