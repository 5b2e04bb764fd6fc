#!/usr/bin/env python3
"""More-like-this benchmark: does idx.similar(record) find the records that meet the same need?

The judgments of queries.json give the pairs: for each query, each record graded 3 ("exactly what
the need asks") is a seed, and the query's other records graded 2 or 3 are what a user asking
for records like the seed should get. Over every (query, seed), the first 20 records returned for
the seed are scored:

  R@20         judged records found / judged records
  P@10         judged records among the first 10, / 10
  R@20 other   the same over judged records in another language than the seed's
  R@20 same    ... in the seed's language

Systems: jurisdex similar() with concepts (the default) and without (expand=False), and tantivy's
MoreLikeThisQuery over the same records (title, summary, text; default tokenizer).

    python3 bench/relevance/similar.py [--queries FILE] [--corpus DIR]
"""
import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from run import HERE, load_records

K = 20


def build_jurisdex(corpus, tmp, expand):
    import jurisdex
    path = str(Path(tmp) / "jurisdex")
    if not Path(path).exists():
        with jurisdex.Index(path, create=True) as idx:
            idx.add_files([str(corpus)])
    idx = jurisdex.Index(path)
    return lambda rid: idx.similar(rid, limit=K, expand=expand).ids()


def build_tantivy(records, tmp):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for field in ("title", "summary", "text"):
        sb.add_text_field(field, stored=True)  # MoreLikeThis reads the seed's stored fields
    (Path(tmp) / "tantivy").mkdir()
    index = tantivy.Index(sb.build(), path=str(Path(tmp) / "tantivy"))
    writer = index.writer()
    for r in records:
        writer.add_document(tantivy.Document(id=r["id"], title=r["title"], summary=r["summary"],
                                             text=r.get("text", "")))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    address = {searcher.doc(a)["id"][0]: a for _, a in searcher.search(tantivy.Query.all_query(), limit=len(records)).hits}

    def similar(rid):
        query = tantivy.Query.more_like_this_query(address[rid], min_doc_frequency=1, min_term_frequency=1)
        hits = searcher.search(query, limit=K + 1).hits
        return [i for i in (searcher.doc(a)["id"][0] for _, a in hits) if i != rid][:K]
    return similar


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", default=HERE / "queries.json")
    ap.add_argument("--corpus", default=HERE.parent.parent / "corpus")
    args = ap.parse_args()

    queries = json.load(open(args.queries, encoding="utf-8"))["queries"]
    records = load_records(args.corpus)
    language = {r["id"]: r["language"] for r in records}
    pairs = []  # (seed, records meeting the same need)
    for q in queries:
        for seed, grade in q["judgments"].items():
            wanted = {i for i, g in q["judgments"].items() if g >= 2 and i != seed}
            if grade == 3 and wanted:
                pairs.append((seed, wanted))

    with tempfile.TemporaryDirectory() as tmp:
        systems = {
            "jurisdex similar()": build_jurisdex(args.corpus, tmp, expand=True),
            "jurisdex similar(expand=False)": build_jurisdex(args.corpus, tmp, expand=False),
            "tantivy MoreLikeThisQuery": build_tantivy(records, tmp),
        }
        print(f"{len(pairs)} (query, seed) pairs from {len(queries)} queries; {len(records)} records\n")
        print("| system | R@20 | P@10 | R@20 other language | R@20 same language |")
        print("|---|---:|---:|---:|---:|")
        for name, similar in systems.items():
            recall, precision, other, same = [], [], [], []
            for seed, wanted in pairs:
                got = similar(seed)
                recall.append(len(wanted & set(got)) / len(wanted))
                precision.append(len(wanted & set(got[:10])) / 10)
                for part, out in (({i for i in wanted if language[i] != language[seed]}, other),
                                  ({i for i in wanted if language[i] == language[seed]}, same)):
                    if part:
                        out.append(len(part & set(got)) / len(part))
            mean = statistics.mean
            print(f"| {name} | {mean(recall):.3f} | {mean(precision):.3f} | {mean(other):.3f} | {mean(same):.3f} |")


if __name__ == "__main__":
    sys.exit(main())
