#!/usr/bin/env python3
"""Turns ../shared/bench-corpus (US Code, German and Dutch laws) into RECORDS.md records.

Each document becomes a legislation record: title from its first heading, summary from its
first lines (a benchmark stand-in, never shipped), full text in `text`. Sources are interleaved
so any prefix of the output mixes the three languages.

Usage: python3 bench/convert.py [--limit N] [-o bench/data/records.jsonl]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_CORPUS = ROOT.parent / "shared" / "bench-corpus"
SOURCES = {  # folder: (country, language, date of the snapshot, repository)
    "us-code": ("USA", "en", "2023-04-20", "codexstanford/markdonw-chunck-of-the-usa-code"),
    "de-bundesgesetze": ("DEU", "de", "2018-03-29", "alangecker/bundesgesetze"),
    "nl-laws": ("NLD", "nl", "2017-05-10", "statengeneraal/laws-markdown"),
}


def documents(folder: str):
    for part in sorted((BENCH_CORPUS / folder).glob("part-*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def tagged(folder: str):
    for doc in documents(folder):
        yield folder, doc


def record(folder: str, doc: dict) -> dict:
    country, language, date, repo = SOURCES[folder]
    text = doc["text"]
    heading = next((m.group(1).strip() for m in re.finditer(r"^#+\s*(.+)$", text, re.M)), doc["path"])
    body = re.sub(r"<[^>]+>|^#+\s*", "", text, flags=re.M)
    summary = " ".join(body.split())[:400] or heading
    return {
        "id": f"{folder}:{doc['path']}",
        "type": "legislation",
        "title": heading[:300],
        "country": country,
        "language": language,
        "date": date,
        "summary": summary,
        "text": text,
        "offences": [],
        "keywords": [doc["path"].split("/")[1] if "/" in doc["path"] else folder],
        "source": {"url": f"{repo}/{doc['path']}", "retrieved_from": f"bench-corpus/{folder}"},
    }


def convert(limit: int | None, out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    streams = [tagged(folder) for folder in SOURCES]
    interleaved = (item for group in itertools.zip_longest(*streams) for item in group if item)
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for folder, doc in itertools.islice(interleaved, limit):
            f.write(json.dumps(record(folder, doc), ensure_ascii=False) + "\n")
            n += 1
    return n


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "data" / "records.jsonl")
    args = p.parse_args()
    if not BENCH_CORPUS.is_dir():
        print(f"skipped: {BENCH_CORPUS} is not present")
        return 0
    n = convert(args.limit, args.output)
    print(f"{n} records -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
