#!/usr/bin/env python3
"""The default search (10 hits with snippets) of jurisdex against tantivy's search with its
SnippetGenerator, interleaved to cancel a shared machine's drift (issue 15).

bench_scale.py times each system's 200 queries once, one system after the other: on a machine
whose speed drifts, one run's p50 moved by 1.8x between runs of one build. Here both indexes are
built from the same records, then each round times every query on jurisdex and then on tantivy
(the same kinds as bench_scale.py: "term, with snippets" and "term"); the table gives the median
over rounds of each round's p50 and p95, and their ratios.

Usage: python3 bench/bench_snippets.py [--size 10000] [--rounds 7] [--queries 200] [--workdir DIR]
Skips (exit 0) when ../shared/bench-corpus is absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_scale  # noqa: E402
import convert  # noqa: E402
from bench_core import make_queries, percentiles  # noqa: E402

KINDS = ["term, with snippets", "term"]


def round_of(run, queries) -> tuple:
    samples = []
    for q in queries:
        t = time.perf_counter()
        run(q)
        samples.append((time.perf_counter() - t) * 1000)
    return percentiles(samples)[:2]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=10000)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--workdir", type=Path, default=None, help="where to put records and indexes (reused when there)")
    args = p.parse_args()
    if not convert.BENCH_CORPUS.exists():
        print(f"skipped: {convert.BENCH_CORPUS} is absent")
        return 0
    import jurisdex

    work = args.workdir or Path(tempfile.mkdtemp(prefix="jx-snippets-"))
    work.mkdir(parents=True, exist_ok=True)
    records = work / f"records-{args.size}.jsonl"
    if not records.exists():
        convert.convert(args.size, records)
    if not (work / "jurisdex").exists():
        bench_scale.run_index("jurisdex", work / "jurisdex", records, 1)
    if not (work / "tantivy").exists():
        bench_scale.run_index("tantivy", work / "tantivy", records, 1)
    queries = make_queries(records, args.queries)
    systems = {"jurisdex": bench_scale.jurisdex_kinds(jurisdex.Index(work / "jurisdex")),
               "tantivy": bench_scale.tantivy_kinds(work / "tantivy")}
    rounds = {(s, k): [] for s in systems for k in KINDS}
    for kinds in systems.values():  # warm the page cache
        for k in KINDS:
            for q in queries[k][:10]:
                kinds[k](q)
    for _ in range(args.rounds):
        for kind in KINDS:
            for name, kinds in systems.items():
                rounds[name, kind].append(round_of(kinds[kind], queries[kind]))
    median = {key: tuple(statistics.median(r[i] for r in runs) for i in (0, 1)) for key, runs in rounds.items()}
    print(f"{args.size} records, {args.queries} queries a kind, {args.rounds} interleaved rounds; "
          f"median over rounds of each round's p50 and p95 (ms); {bench_scale.machine()}\n")
    print("| kind | jurisdex p50 | tantivy p50 | ratio | jurisdex p95 | tantivy p95 | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in KINDS:
        (j50, j95), (t50, t95) = median["jurisdex", kind], median["tantivy", kind]
        print(f"| {kind} | {j50:.2f} | {t50:.2f} | {j50 / t50:.2f} | {j95:.2f} | {t95:.2f} | {j95 / t95:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
