#!/usr/bin/env python3
"""Relevance benchmark for jurisdex (issue 4).

Builds, in a temporary directory, a jurisdex index, two tantivy indexes ("default"
and "en_stem" tokenizers) and two SQLite FTS5 tables ("unicode61 remove_diacritics 2"
and the same with "porter"), all over the shipped corpus (title, summary, text). Each
query of queries.json is run against every system, the top 20 ids are scored against
the graded judgments, and one Markdown table is printed:

  nDCG@10   graded gain (the grade, 0-3), log2(rank + 1) discount, ideal ranking
            taken from the judgments
  R@20      judged records (grade >= 1) found in the top 20 / all judged records
  Rcap@20   the same over min(20, judged records), as BEIR's capped recall: a query with 34
            judged records can reach 1.0 in a list of 20 (plain R@20 stops at 20/34)
  MRR       1 / rank of the first record with grade >= 2 (0 if none in the top 20)
  XL        the cross-lingual queries; mono the others (most relevant records in the query's
            language), the same systems with no language barrier to cross

Baselines get the query as a plain bag of words (punctuation stripped, OR semantics).
jurisdex gets the raw text through idx.search(text, limit=20); when Index.search has an
`expand` parameter, expand=False and expand=True are run as two extra systems.

    python3 bench/relevance/run.py [--queries FILE] [--corpus DIR] [--json PATH]
"""
import argparse
import inspect
import json
import math
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
K_NDCG, K_RECALL = 10, 20


def load_records(corpus):
    records = []
    for path in sorted(Path(corpus).glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def words(text):
    """The query as a bag of words: lowercased, punctuation stripped."""
    return re.findall(r"\w+", text.lower())


# ---------------------------------------------------------------- systems
# Each builder returns a function: query text -> list of up to 20 record ids.

def build_jurisdex(corpus, tmp, **options):
    import jurisdex
    path = str(Path(tmp) / "jurisdex")
    if not Path(path).exists():
        with jurisdex.Index(path, create=True) as idx:
            report = idx.add_files([str(corpus)])
            if report.rejected:
                sys.exit(f"jurisdex rejected records: {report.rejected[:3]}")
    idx = jurisdex.Index(path)

    def search(text):
        try:
            return [h.id for h in idx.search(text, limit=K_RECALL, **options).hits]
        except jurisdex.JurisdexError as e:
            print(f"jurisdex {options or ''} failed on {text!r}: {e}", file=sys.stderr)
            return []
    return search


def build_tantivy(records, tmp, tokenizer):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for field in ("title", "summary", "text"):
        sb.add_text_field(field, tokenizer_name=tokenizer)
    schema = sb.build()
    path = Path(tmp) / f"tantivy-{tokenizer}"
    path.mkdir()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer()
    for r in records:
        writer.add_document(tantivy.Document(id=r["id"], title=r["title"],
                                             summary=r["summary"], text=r.get("text", "")))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def search(text):
        q = " ".join(words(text))          # lowercase: no AND/OR/NOT operators left
        query = index.parse_query(q, ["title", "summary", "text"], conjunction_by_default=False)
        hits = searcher.search(query, limit=K_RECALL).hits
        return [searcher.doc(addr)["id"][0] for _, addr in hits]
    return search


def build_fts5(records, tokenize):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, text, "
               f"tokenize=\"{tokenize}\")")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)",
                   [(r["id"], r["title"], r["summary"], r.get("text", "")) for r in records])

    def search(text):
        q = " OR ".join(f'"{w}"' for w in words(text))
        if not q:
            return []
        rows = db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                          (q, K_RECALL))
        return [row[0] for row in rows]
    return search


def build_systems(corpus, records, tmp):
    import jurisdex
    systems = {}
    if "expand" in inspect.signature(jurisdex.Index.search).parameters:
        systems["jurisdex (no expansion)"] = build_jurisdex(corpus, tmp, expand=False)
        systems["jurisdex (concept expansion)"] = build_jurisdex(corpus, tmp, expand=True)
    else:
        systems["jurisdex"] = build_jurisdex(corpus, tmp)
    systems["tantivy (default)"] = build_tantivy(records, tmp, "default")
    systems["tantivy (en_stem)"] = build_tantivy(records, tmp, "en_stem")
    systems["FTS5 (unicode61)"] = build_fts5(records, "unicode61 remove_diacritics 2")
    systems["FTS5 (porter)"] = build_fts5(records, "porter unicode61 remove_diacritics 2")
    return systems


# ---------------------------------------------------------------- metrics

def ndcg(ranked, judgments, k=K_NDCG):
    dcg = sum(judgments.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(judgments.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked, judgments, k=K_RECALL):
    relevant = {doc for doc, g in judgments.items() if g >= 1}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def capped_recall(ranked, judgments, k=K_RECALL):
    relevant = {doc for doc, g in judgments.items() if g >= 1}
    return len(relevant & set(ranked[:k])) / min(k, len(relevant)) if relevant else 0.0


def mrr(ranked, judgments, k=K_RECALL):
    for i, doc in enumerate(ranked[:k]):
        if judgments.get(doc, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", default=HERE / "queries.json")
    ap.add_argument("--corpus", default=HERE.parent.parent / "corpus")
    ap.add_argument("--json", help="write per-query scores and rankings to this file")
    args = ap.parse_args()

    try:
        import tantivy  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "tantivy"])

    queries = json.load(open(args.queries, encoding="utf-8"))["queries"]
    records = load_records(args.corpus)
    per_query = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, search in build_systems(args.corpus, records, tmp).items():
            per_query[name] = {}
            for q in queries:
                ranked = search(q["text"])
                j = q["judgments"]
                per_query[name][q["id"]] = {
                    "lang": q["lang"], "kind": q["kind"],
                    "ndcg@10": ndcg(ranked, j), "recall@20": recall(ranked, j),
                    "rcap@20": capped_recall(ranked, j), "mrr": mrr(ranked, j),
                    "top20": ranked}

    xl = {q["id"] for q in queries if q["kind"] == "cross-lingual"}
    print(f"{len(queries)} queries, {len(xl)} cross-lingual (XL); {len(records)} records\n")
    mono = {q["id"] for q in queries} - xl
    print("| system | nDCG@10 | R@20 | MRR | nDCG@10 (XL) | R@20 (XL) | Rcap@20 (XL) | R@20 (mono) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    overall = {}
    for name, scores in per_query.items():
        col = lambda m, ids=None: mean([s[m] for qid, s in scores.items() if ids is None or qid in ids])
        overall[name] = col("ndcg@10")
        print(f"| {name} | {col('ndcg@10'):.3f} | {col('recall@20'):.3f} | {col('mrr'):.3f} "
              f"| {col('ndcg@10', xl):.3f} | {col('recall@20', xl):.3f} | {col('rcap@20', xl):.3f} "
              f"| {col('recall@20', mono):.3f} |")
    best_j = max(v for k, v in overall.items() if k.startswith("jurisdex"))
    best_b = max((v, k) for k, v in overall.items() if not k.startswith("jurisdex"))
    print(f"\nBest jurisdex nDCG@10 / best baseline nDCG@10 ({best_b[1]}): "
          f"{best_j:.3f} / {best_b[0]:.3f} = {best_j / best_b[0]:.2f}x")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(per_query, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
