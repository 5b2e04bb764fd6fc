#!/usr/bin/env python3
"""Scale benchmark of jurisdex against tantivy and SQLite FTS5 on the same records (issue 6).

For each size, the records of ../shared/bench-corpus (bench/convert.py) are indexed by jurisdex
(jobs=1, jobs=2, and 2 shards searched locally and through `jurisdex serve`), by tantivy (one
writer, 512 MB heap, num_threads = jobs, one commit) and by SQLite FTS5 (contentless FTS5 table
plus a table of facet columns, one transaction, journal and sync off). Each indexing runs in its
own process (docs/s, MB/s of input JSONL, size on disk, peak RSS); then the same sampled queries
(bench_core.make_queries) are timed on every system, one system after the other. Prints one
Markdown table with the figures and the ratios jurisdex/peer, and saves it under bench/results/.

"term, with snippets" (issue 15) is the default call, `idx.search(q, limit=10)`, against tantivy's search with
a `SnippetGenerator` on the stored summary, then on the stored text when the summary has no highlighted word
(what jurisdex does), and SQLite FTS5's search with its `snippet()` function on the stored content.

Usage: python3 bench/bench_scale.py [--sizes 10000,50000|all] [--queries 200] [--replicate-to N]
                                   [--jobs 1,2] [--no-shards] [--corpus bench|shipped]
                                   [--systems jurisdex,tantivy,sqlite]
Skips (exit 0) when ../shared/bench-corpus is absent (unless --corpus shipped).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import convert  # noqa: E402
from bench_core import disk_size, make_queries, percentiles  # noqa: E402

TANTIVY_HEAP = 512_000_000
FACET_FIELDS = ("country", "language", "type", "keywords")
FILTER_COUNTRIES, FILTER_LANGUAGE = ["USA", "DEU"], "en"  # the "two facet filters" kind, as in bench_core
KINDS = ["term", "term, with snippets", "phrase", "two facet filters", "facet counts (all matches)"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_records(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def year_of(r: dict):
    return int(r["date"][:4]) if r.get("date") else None


# ---------------------------------------------------------------- indexing (each in a child process)

def index_jurisdex(db: Path, records: Path, jobs: int) -> int:
    import jurisdex
    kwargs = {"jobs": jobs} if jurisdex_has_jobs() else {}
    with jurisdex.Index(db, create=True) as idx:
        report = idx.add_files([str(records)], **kwargs)
    if report.rejected:
        log(f"jurisdex rejected {len(report.rejected)} records, first: {report.rejected[0]}")
    return report.added


def tantivy_schema():
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for field in ("title", "summary", "text"):  # stored, as jurisdex stores its records: for snippets
        sb.add_text_field(field, stored=True, tokenizer_name="default")
    for field in FACET_FIELDS:
        sb.add_text_field(field, fast=True, tokenizer_name="raw")
    sb.add_integer_field("year", indexed=True, fast=True)
    return sb.build()


def index_tantivy(db: Path, records: Path, jobs: int) -> int:
    import tantivy
    db.mkdir(parents=True)
    index = tantivy.Index(tantivy_schema(), path=str(db))
    writer = index.writer(heap_size=TANTIVY_HEAP, num_threads=jobs)
    n = 0
    for r in read_records(records):
        doc = {"id": r["id"], "title": r["title"], "summary": r["summary"], "text": r.get("text", ""),
               "country": r["country"], "language": r["language"], "type": r["type"],
               "keywords": r.get("keywords") or []}
        if year_of(r) is not None:
            doc["year"] = year_of(r)
        writer.add_document(tantivy.Document(**doc))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    return n


def index_sqlite(db: Path, records: Path, jobs: int) -> int:
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, country TEXT, language TEXT, type TEXT,
                          year INTEGER);
        CREATE TABLE keywords(doc INTEGER, keyword TEXT);  -- multi-valued facet, one row per value
        CREATE VIRTUAL TABLE fts USING fts5(title, summary, text);  -- content stored, for snippet()
    """)
    con.execute("BEGIN")
    n = 0
    for n, r in enumerate(read_records(records), 1):
        con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                    (n, r["id"], r["country"], r["language"], r["type"], year_of(r)))
        con.execute("INSERT INTO fts(rowid, title, summary, text) VALUES (?, ?, ?, ?)",
                    (n, r["title"], r["summary"], r.get("text", "")))
        con.executemany("INSERT INTO keywords VALUES (?, ?)", [(n, k) for k in r.get("keywords") or []])
    for statement in ("CREATE INDEX docs_country ON docs(country)", "CREATE INDEX docs_language ON docs(language)",
                      "CREATE INDEX docs_type ON docs(type)", "CREATE INDEX docs_year ON docs(year)",
                      "CREATE INDEX keywords_keyword ON keywords(keyword)", "CREATE INDEX keywords_doc ON keywords(doc)",
                      "INSERT INTO fts(fts) VALUES('optimize')", "ANALYZE", "COMMIT"):
        con.execute(statement)
    con.close()
    return n


INDEXERS = {"jurisdex": index_jurisdex, "tantivy": index_tantivy, "sqlite": index_sqlite}


def index_child(system: str, db: str, records: str, jobs: str) -> None:
    """Entry point of an indexing child: prints seconds, documents and its own peak RSS."""
    t = time.perf_counter()
    n = INDEXERS[system](Path(db), Path(records), int(jobs))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": time.perf_counter() - t, "docs": n, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "peak_rss_kb": usage.ru_maxrss}))


def start_index(system: str, db: Path, records: Path, jobs: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--index-child", system, str(db), str(records), str(jobs)],
                            stdout=subprocess.PIPE, text=True)


def finish_index(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"indexing child {proc.args[3:]} failed with exit code {proc.returncode}")
    return json.loads(out)


def run_index(system: str, db: Path, records: Path, jobs: int) -> dict:
    log(f"indexing {records.name} with {system} (jobs={jobs})")
    r = finish_index(start_index(system, db, records, jobs))
    log(f"  {r['docs']} docs in {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU), "
        f"peak RSS {r['peak_rss_kb'] / 1024:.0f} MB, load average {os.getloadavg()[0]:.1f}")
    return {**r, "bytes": records.stat().st_size, "disk": disk_size(db) if db.is_dir() else db.stat().st_size}


# ---------------------------------------------------------------- querying
# Each system gives, per kind, a function of the query text; the facet-count kind returns the number
# of matches (the sum of the language counts) so that the systems can be checked against each other.

def jurisdex_kinds(idx) -> dict:
    return {
        "term": lambda q: idx.search(q, limit=10, snippets=False),
        "term, with snippets": lambda q: idx.search(q, limit=10),
        "phrase": lambda q: idx.search(q, limit=10, snippets=False),
        "two facet filters": lambda q: idx.search(q, country=FILTER_COUNTRIES, language=FILTER_LANGUAGE, limit=10,
                                                  snippets=False),
        "facet counts (all matches)": lambda q: sum(idx.search(q, facets=["country", "language", "keywords"],
                                                               limit=10, snippets=False).facets["language"].values()),
    }


def tantivy_kinds(db: Path) -> dict:
    import tantivy
    index = tantivy.Index.open(str(db))
    schema, searcher = index.schema, index.searcher()
    parse = lambda q: index.parse_query(q, ["title", "summary", "text"])
    top10 = lambda query: [searcher.doc(addr)["id"][0] for _, addr in searcher.search(query, limit=10).hits]
    facet_filter = [(tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "country", FILTER_COUNTRIES)),
                    (tantivy.Occur.Must, tantivy.Query.term_query(schema, "language", FILTER_LANGUAGE))]
    terms = {f: {"terms": {"field": f, "size": 1_000_000}} for f in ("country", "language", "keywords")}

    def facet_counts(q):
        query = parse(q)
        top10(query)
        counts = searcher.aggregate(query, terms)  # terms aggregations over all matches, exact at this size
        return sum(b["doc_count"] for b in counts["language"]["buckets"])

    def with_snippets(q):
        query = parse(q)
        summaries = tantivy.SnippetGenerator.create(searcher, query, schema, "summary")
        texts = None
        out = []
        for _, addr in searcher.search(query, limit=10).hits:
            doc = searcher.doc(addr)
            snippet = summaries.snippet_from_doc(doc)
            if not snippet.highlighted():  # as jurisdex: the text when the summary has no match
                if texts is None:
                    texts = tantivy.SnippetGenerator.create(searcher, query, schema, "text")
                snippet = texts.snippet_from_doc(doc)
            out.append((doc["id"][0], snippet.to_html()))
        return out

    return {
        "term": lambda q: top10(parse(q)),
        "term, with snippets": with_snippets,
        "phrase": lambda q: top10(parse(q)),
        "two facet filters": lambda q: top10(tantivy.Query.boolean_query([(tantivy.Occur.Must, parse(q))]
                                                                         + facet_filter)),
        "facet counts (all matches)": facet_counts,
    }


def sqlite_kinds(db: Path) -> dict:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top10 = ("SELECT d.id FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? {} "
             "ORDER BY bm25(fts) LIMIT 10")
    counts = """
        WITH m AS MATERIALIZED (SELECT rowid AS doc FROM fts WHERE fts MATCH ?)
        SELECT 'country', d.country, count(*) FROM m CROSS JOIN docs d ON d.rowid = m.doc GROUP BY d.country
        UNION ALL
        SELECT 'language', d.language, count(*) FROM m CROSS JOIN docs d ON d.rowid = m.doc GROUP BY d.language
        UNION ALL
        SELECT 'keywords', k.keyword, count(*) FROM m CROSS JOIN keywords k ON k.doc = m.doc GROUP BY k.keyword"""
    # CROSS JOIN keeps the matches as the outer loop (SQLite's documented way to fix the join order)
    quote = lambda q: '"' + q.strip('"').replace('"', '""') + '"'  # a word or a phrase, no FTS5 operators
    filtered = top10.format(f"AND d.country IN ({', '.join('?' * len(FILTER_COUNTRIES))}) AND d.language = ?")

    def facet_counts(q):
        con.execute(top10.format(""), (quote(q),)).fetchall()
        return sum(n for facet, _, n in con.execute(counts, (quote(q),)) if facet == "language")

    snippets = ("SELECT d.id, snippet(fts, -1, '<mark>', '</mark>', '…', 32) FROM fts JOIN docs d "
                "ON d.rowid = fts.rowid WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10")
    return {
        "term": lambda q: con.execute(top10.format(""), (quote(q),)).fetchall(),
        "term, with snippets": lambda q: con.execute(snippets, (quote(q),)).fetchall(),
        "phrase": lambda q: con.execute(top10.format(""), (quote(q),)).fetchall(),
        "two facet filters": lambda q: con.execute(filtered, (quote(q), *FILTER_COUNTRIES, FILTER_LANGUAGE)).fetchall(),
        "facet counts (all matches)": facet_counts,
    }


def time_kinds(kinds: dict, queries: dict) -> dict:
    """p50/p95/p99 in ms per kind, and the mean number of matches of the facet-count queries."""
    out = {}
    for kind, run in kinds.items():
        for q in queries[kind][:10]:  # warm the page cache
            run(q)
        samples, results = [], []
        for q in queries[kind]:
            t = time.perf_counter()
            results.append(run(q))
            samples.append((time.perf_counter() - t) * 1000)
        out[kind] = percentiles(samples)
        if kind == "facet counts (all matches)":
            out["matches"] = sum(results) / len(results)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_shards(shards: list) -> tuple:
    """Starts `jurisdex serve` on each shard; returns the processes and their tcp:// addresses."""
    procs, addresses = [], []
    for shard in shards:
        port = free_port()
        procs.append(subprocess.Popen([sys.executable, "-m", "jurisdex", "serve", "--db", str(shard),
                                       "--port", str(port), "--host", "127.0.0.1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      start_new_session=True))  # xapian-tcpsrv's SIGTERM handler kills its group
        addresses.append(f"tcp://127.0.0.1:{port}")
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or procs[-1].poll() is not None:
                    stop(procs)
                    raise RuntimeError(f"jurisdex serve --db {shard} did not start")
                time.sleep(0.1)
    return procs, addresses


def stop(procs: list) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=10)


# ---------------------------------------------------------------- capabilities, data, machine

def jurisdex_has_jobs() -> bool:
    import jurisdex
    return "jobs" in inspect.signature(jurisdex.Index.add_files).parameters


def jurisdex_has_shards() -> bool:
    import jurisdex
    return hasattr(jurisdex.Index, "open_shards")


def jurisdex_has_serve() -> bool:
    return subprocess.run([sys.executable, "-m", "jurisdex", "serve", "--help"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def replicate(src: Path, out: Path, n: int) -> int:
    """Writes n records by repeating src; copy k > 0 gets ids "<id>#<k>"."""
    written, k = 0, 0
    with out.open("w", encoding="utf-8") as f:
        while written < n:
            with src.open(encoding="utf-8") as g:
                for line in g:
                    if written == n:
                        break
                    if k:
                        r = json.loads(line)
                        r["id"] = f"{r['id']}#{k}"
                        line = json.dumps(r, ensure_ascii=False) + "\n"
                    f.write(line)
                    written += 1
            k += 1
    return written


def split(records: Path, a: Path, b: Path) -> None:
    with records.open(encoding="utf-8") as f, a.open("w", encoding="utf-8") as fa, b.open("w", encoding="utf-8") as fb:
        for i, line in enumerate(f):
            (fa if i % 2 == 0 else fb).write(line)


def machine() -> str:
    import jurisdex
    import tantivy
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal")) / 1024 ** 2
    try:
        os_name = next(line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                       if line.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        os_name = platform.platform()
    try:
        xapian = subprocess.run(["xapian-config", "--version"], capture_output=True, text=True).stdout.split()[-1]
    except (OSError, IndexError):
        xapian = "unknown"
    return (f"{cpu}, {os.cpu_count()} cores, {ram:.1f} GiB RAM, {os_name} (Linux {platform.release()}), "
            f"Python {platform.python_version()}; jurisdex {jurisdex.__version__}, Xapian {xapian}, "
            f"{tantivy.__version__} (tantivy-py), SQLite {sqlite3.sqlite_version}")


# ---------------------------------------------------------------- one size, and the table

def bench_size(size, args, work: Path, jobs_list: list) -> tuple:
    """Indexes and queries `size` records with every system; returns (records, input bytes, {system: figures})."""
    records = work / f"records-{size}.jsonl"
    if args.corpus == "shipped":  # the records of corpus/, repeated up to `size` when asked
        log("records of the shipped corpus")
        with records.open("w", encoding="utf-8") as out:
            for part in sorted((HERE.parent / "corpus").glob("*.jsonl")):
                out.write(part.read_text(encoding="utf-8"))
        n = sum(1 for _ in records.open(encoding="utf-8"))
    else:
        log(f"converting {size} records")
        n = convert.convert(None if size == "all" else int(size), records)
    if args.replicate_to and args.replicate_to > n:
        base, records = records, work / f"records-{size}-x{args.replicate_to}.jsonl"
        log(f"replicating {n} records to {args.replicate_to}")
        n = replicate(base, records, args.replicate_to)
        base.unlink()
    queries = make_queries(records, args.queries)
    systems = {}

    import jurisdex
    for jobs in jobs_list if "jurisdex" in args.systems else []:
        db = work / f"jurisdex-{jobs}"
        systems[f"jurisdex jobs={jobs}"] = run_index("jurisdex", db, records, jobs)
        log(f"querying jurisdex jobs={jobs}")
        with jurisdex.Index(db) as idx:
            systems[f"jurisdex jobs={jobs}"].update(time_kinds(jurisdex_kinds(idx), queries))
        shutil.rmtree(db)

    if jurisdex_has_shards() and not args.no_shards and "jurisdex" in args.systems:
        halves = [work / "shard-a.jsonl", work / "shard-b.jsonl"]
        split(records, *halves)
        shards = [work / "shard-a", work / "shard-b"]
        log("indexing 2 shards with jurisdex, 2 processes in parallel (jobs=1 each)")
        t = time.perf_counter()
        procs = [start_index("jurisdex", db, half, 1) for db, half in zip(shards, halves)]
        results = [finish_index(p) for p in procs]
        local = {"seconds": time.perf_counter() - t, "docs": sum(r["docs"] for r in results),
                 "cpu_seconds": sum(r["cpu_seconds"] for r in results),
                 "peak_rss_kb": sum(r["peak_rss_kb"] for r in results), "bytes": records.stat().st_size,
                 "disk": sum(disk_size(s) for s in shards)}
        log("querying 2 local shards")
        with jurisdex.Index.open_shards([str(s) for s in shards]) as idx:
            local.update(time_kinds(jurisdex_kinds(idx), queries))
        systems["jurisdex 2 local shards"] = local
        if jurisdex_has_serve():
            log("querying 2 remote shards (jurisdex serve on 127.0.0.1)")
            procs, addresses = serve_shards(shards)
            try:
                with jurisdex.Index.open_shards(addresses) as idx:
                    systems["jurisdex 2 remote shards"] = time_kinds(jurisdex_kinds(idx), queries)
            finally:
                stop(procs)
        for path in shards + halves:
            shutil.rmtree(path) if path.is_dir() else path.unlink()

    tantivy_db, sqlite_db = work / "tantivy", work / "fts5.sqlite"
    if "tantivy" in args.systems:
        systems["tantivy"] = run_index("tantivy", tantivy_db, records, max(jobs_list))
        log("querying tantivy")
        systems["tantivy"].update(time_kinds(tantivy_kinds(tantivy_db), queries))
        shutil.rmtree(tantivy_db)
    if "sqlite" in args.systems:
        systems["SQLite FTS5"] = run_index("sqlite", sqlite_db, records, 1)
        log("querying SQLite FTS5")
        systems["SQLite FTS5"].update(time_kinds(sqlite_kinds(sqlite_db), queries))
        sqlite_db.unlink()

    size_bytes = records.stat().st_size
    records.unlink()
    return n, size_bytes, systems


FIGURES = [  # label, function of a system's figures (None when absent), format
    ("indexing s", lambda s: s.get("seconds"), "{:.1f}"),
    ("indexing CPU s (user+sys)", lambda s: s.get("cpu_seconds"), "{:.1f}"),
    ("indexing docs/s", lambda s: s["docs"] / s["seconds"] if "seconds" in s else None, "{:.0f}"),
    ("indexing MB/s (input JSONL)", lambda s: s["bytes"] / 1e6 / s["seconds"] if "seconds" in s else None, "{:.2f}"),
    ("index size MB", lambda s: s["disk"] / 1e6 if "disk" in s else None, "{:.0f}"),
    ("indexing peak RSS MB", lambda s: s["peak_rss_kb"] / 1024 if "peak_rss_kb" in s else None, "{:.0f}"),
] + [(f"{kind} {p} ms", lambda s, k=kind, i=i: s[k][i] if k in s else None, "{:.2f}")
     for kind in KINDS for i, p in enumerate(("p50", "p95", "p99"))] + [
    ("matches per facet-count query (mean)", lambda s: s.get("matches"), "{:.0f}"),
]


def table(rows: list, jobs_list: list) -> str:
    columns = [f"jurisdex jobs={j}" for j in jobs_list] + ["jurisdex 2 local shards", "jurisdex 2 remote shards",
                                                           "tantivy", "SQLite FTS5"]
    ratios = [(f"jurisdex jobs={max(jobs_list)}", "tantivy"), (f"jurisdex jobs={min(jobs_list)}", "SQLite FTS5")]
    head = ["records", "figure"] + columns + [f"{a} / {b}" for a, b in ratios]
    lines = ["| " + " | ".join(head) + " |", "|---:|---|" + "---:|" * (len(head) - 2)]
    for n, size_bytes, systems in rows:
        for label, get, fmt in FIGURES:
            values = {c: get(systems[c]) if c in systems else None for c in columns}
            cells = [fmt.format(values[c]) if values[c] is not None else "–" for c in columns]
            for a, b in ratios:
                ok = values[a] is not None and values[b]
                cells.append(f"{values[a] / values[b]:.2f}" if ok else "–")
            lines.append(f"| {n} ({size_bytes / 1e6:.0f} MB) | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,50000", help='comma-separated record counts, or "all"')
    p.add_argument("--queries", type=int, default=200, help="queries of each kind")
    p.add_argument("--replicate-to", type=int, default=0, help="repeat the records up to N (new ids <id>#<k>)")
    p.add_argument("--jobs", default="1,2", help="jurisdex worker counts to index with (comma-separated)")
    p.add_argument("--no-shards", action="store_true", help="skip the 2 local and 2 remote shards (saves an indexing)")
    p.add_argument("--workdir", type=Path, default=None, help="where to put records and indexes (default: a temp dir)")
    p.add_argument("--corpus", choices=["bench", "shipped"], default="bench",
                   help="records from ../shared/bench-corpus (default) or the shipped corpus/ (--sizes is then a label)")
    p.add_argument("--systems", default="jurisdex,tantivy,sqlite", help="which systems to run (comma-separated)")
    p.add_argument("--index-child", nargs=4, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.index_child:
        index_child(*args.index_child)
        return 0
    if not convert.BENCH_CORPUS.is_dir() and args.corpus == "bench":
        print(f"skipped: {convert.BENCH_CORPUS} is not present")
        return 0
    args.systems = args.systems.split(",")

    jobs_list = [int(j) for j in args.jobs.split(",")] if jurisdex_has_jobs() else [1]
    log(f"jurisdex: jobs={','.join(map(str, jobs_list))}, open_shards={'yes' if jurisdex_has_shards() else 'no'}, "
        f"serve={'yes' if jurisdex_has_serve() else 'no'}")
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="jurisdex-scale-", dir=args.workdir))
    try:
        rows = [bench_size(size, args, work, jobs_list) for size in args.sizes.split(",")]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    date = time.strftime("%Y-%m-%d")
    report = "\n".join([
        f"# jurisdex scale benchmark, {date}",
        "",
        f"Machine: {machine()}. Load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at "
        f"the end (other work on the machine adds noise).",
        "",
        f"Records from {'the shipped corpus/' if args.corpus == 'shipped' else '../shared/bench-corpus (bench/convert.py)'}; {args.queries} queries of each kind, sampled from "
        f"the records with a fixed seed (bench_core.make_queries), the same for every system, run one system after "
        f"the other after 10 warm-up queries; top 10 ids per query. jurisdex: snippets=False except \"term, with "
        f"snippets\"; facet counts over country, language, keywords. tantivy: default tokenizer, title, summary and text stored, snippets by SnippetGenerator on the summary, then the text when the summary has no highlight; writer heap "
        f"{TANTIVY_HEAP // 1_000_000} MB, num_threads={max(jobs_list)}, one commit; facet counts by a terms "
        f"aggregation (Searcher.aggregate) over all matches. SQLite FTS5: a table storing its content (unicode61), snippets by snippet(fts, -1, ..., 32 tokens), facets in "
        f"a normal indexed table, one transaction, journal_mode=OFF, synchronous=OFF, then 'optimize' and ANALYZE; "
        f"facet counts by GROUP BY over the matching rowids (materialized, joined to the facet tables). Two facet filters: country in {FILTER_COUNTRIES} and language = "
        f"{FILTER_LANGUAGE}. Shards: the records split by alternating lines, indexed by 2 processes in parallel "
        f"(their peak RSS summed); remote shards served by `jurisdex serve` on 127.0.0.1. Ratios: "
        f"jurisdex jobs={max(jobs_list)} / tantivy (both {max(jobs_list)} threads) and jurisdex jobs={min(jobs_list)} "
        f"/ SQLite (1 thread); for docs/s and MB/s higher is better, for the rest lower.",
        "",
        table(rows, jobs_list),
        "",
    ])
    print(report)
    name = [date] + (["shipped"] if args.corpus == "shipped" else []) + [args.sizes.replace(",", "-")] + ([f"x{args.replicate_to}"] if args.replicate_to else []) + \
        ([f"jobs{args.jobs.replace(',', '-')}"] if args.jobs != "1,2" else []) + (["noshards"] if args.no_shards else [])
    out = HERE / "results" / ("-".join(name) + ".md")  # named by what was run, so one run never overwrites another
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    log(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
