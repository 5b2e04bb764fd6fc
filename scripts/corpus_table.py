#!/usr/bin/env python3
"""Prints the README's table of the shipped corpus, computed from corpus/*.jsonl.

Usage: python3 scripts/corpus_table.py [--write]   (--write replaces the table in README.md)
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- corpus-table:begin -->", "<!-- corpus-table:end -->"


def load() -> list:
    records = []
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return records


def table(records: list) -> str:
    by_type = collections.defaultdict(list)
    for r in records:
        by_type[r["type"]].append(r)
    lines = ["| type | records | countries | languages | years |", "|---|---:|---:|---|---|"]
    for kind in ("case", "legislation", "document"):
        group = by_type[kind]
        langs = collections.Counter(r["language"] for r in group)
        years = sorted(r["date"][:4] for r in group if r.get("date"))
        undated = sum(1 for r in group if not r.get("date"))
        span = f"{years[0]}–{years[-1]}" if years else "—"
        if undated:
            span += f" ({undated} undated)"
        lang_text = ", ".join(f"{l} {n}" for l, n in langs.most_common())
        lines.append(f"| {kind} | {len(group)} | {len({r['country'] for r in group})} | {lang_text} | {span} |")
    lines.append(f"| **all** | **{len(records)}** | **{len({r['country'] for r in records})}** | | |")
    countries = collections.Counter(r["country"] for r in records if r["type"] == "case")
    lines += ["", "Cases by country: " + ", ".join(f"{c} {n}" for c, n in countries.most_common()) + "."]
    return "\n".join(lines)


def main(argv: list) -> int:
    text = table(load())
    if "--write" in argv:
        readme = ROOT / "README.md"
        content = readme.read_text(encoding="utf-8")
        start, stop = content.index(BEGIN) + len(BEGIN), content.index(END)
        readme.write_text(content[:start] + "\n" + text + "\n" + content[stop:], encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
