"""Scores coding suggestions against the shipped corpus's hand-coded cases.

    .venv/bin/python bench/suggest.py [--corpus corpus/cases.jsonl] [--min-confidence 0.0] [--markdown]

Each case is read as a new case would be: its hand-coded fields are removed and suggest() sees
only its title, summary, text and court (the court's name as it calls itself). One thing is
learned from the corpus: the count of migrants or victims from which large_number_of_persons is
suggested. It is learned leave-one-out: each case is read with the threshold that best codes
the other cases (best F1 of "count read >= T" against their coding). Everything else is the
vocabulary's synonyms and fixed rules.

Per field: precision (suggested values that are coded), recall (coded values suggested), F1;
for the numbers, "exact" is the share of the cases coding the number whose suggestion is
exactly the coded number. Multi-valued fields are scored per (case, value) pair; single-valued
fields by their best suggestion.

Baseline: keyword lists from the vocabulary's labels only (a code is suggested when its label
in the case's language appears in the folded text); for the numbers, the first number of
digits before a unit of time (sentence) or of a noun of people.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any, Dict, List, Mapping, Optional, Tuple

import jurisdex
from jurisdex import _core
from jurisdex.suggest import FIELDS, NUMBER_FIELDS, SINGLE_VALUED, _coded, suggest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODED_KEYS = ("offences", "aggravations", "financial_benefit", "outcome", "court_level", "sentence_months",
              "life_sentence", "defendants", "migrants_or_victims", "deaths", "sentence_suspended", "keywords",
              "cites", "related")

# Codes meaning "not stated" or "none of these": not scored.
_UNSCORED = {("financial_benefit.element", "unknown"), ("financial_benefit.kinds", "other"), ("outcome", "other"),
             ("offences", "other")}


def uncoded(record: Mapping[str, Any]) -> Dict[str, Any]:
    """The record as a new case would come: its words and metadata, no coded fields."""
    return {k: v for k, v in record.items() if k not in CODED_KEYS}


def baseline(record: Mapping[str, Any], vocabulary: Dict[str, Any]) -> Dict[str, List[Any]]:
    lang = record.get("language", "en")
    text = " " + jurisdex.fold(" ".join(str(record.get(k, "")) for k in ("court", "title", "summary", "text"))) + " "
    out: Dict[str, List[Any]] = {}
    for field in ("offences", "aggravations", "financial_benefit.element", "financial_benefit.kinds", "outcome",
                  "court_level"):
        for code, entry in vocabulary["fields"][field].items():
            label = entry.get("labels", {}).get(lang)
            if label and f" {jurisdex.fold(label)} " in text:
                out.setdefault(field, []).append(code)
    m = re.search(r"\b(\d+) (?:years?|ans?|anos?|jahre?n?|anni|anno|jaar|jaren)\b", text)
    if m:
        out["sentence_months"] = [int(m.group(1)) * 12]
    for field, nouns in (("defendants", "defendants|accused|prevenus|acusados|angeklagte|imputati|verdachten"),
                         ("migrants_or_victims", "migrants|victims|migrantes|victimas|migranten|opfer|migranti|"
                                                 "vittime|slachtoffers|personnes|personas|persone|people|personen"),
                         ("deaths", "dead|deaths|morts|muertos|tote|toten|morti|doden")):
        m = re.search(rf"\b(\d+) (?:{nouns})\b", text)
        if m:
            out[field] = [int(m.group(1))]
    return out


def ours(record: Mapping[str, Any], min_confidence: float, suggester: Any = None) -> Dict[str, List[Any]]:
    found = suggest(uncoded(record), suggester=suggester)
    out: Dict[str, List[Any]] = {}
    for field, suggestions in found.items():
        kept = [s.value for s in suggestions if s.confidence >= min_confidence]
        if kept:
            out[field] = kept[:1] if field in SINGLE_VALUED else kept
    return out


def score(cases: List[Dict[str, Any]], predict) -> Dict[str, Dict[str, float]]:
    table: Dict[str, Dict[str, float]] = {}
    for field in FIELDS:
        tp = fp = fn = coded_cases = exact = 0
        for case in cases:
            gold = [v for v in _coded(case, field) if (field, v) not in _UNSCORED]
            if field == "life_sentence":
                gold = [True] if case.get("life_sentence") else []
            pred = predict(case).get(field, [])
            if field in NUMBER_FIELDS or field == "life_sentence":
                pred = pred[:1]
            tp += sum(1 for v in pred if v in gold)
            fp += sum(1 for v in pred if v not in gold)
            fn += sum(1 for v in gold if v not in pred)
            if gold:
                coded_cases += 1
                exact += bool(pred) and pred[0] == gold[0]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        row = {"coded": tp + fn, "suggested": tp + fp, "precision": p, "recall": r,
               "f1": 2 * p * r / (p + r) if p + r else 0.0}
        if field in NUMBER_FIELDS:
            row["exact"] = exact / coded_cases if coded_cases else 0.0
        table[field] = row
    return table


THRESHOLDS = range(2, 101)


def large_group_counts(cases: List[Dict[str, Any]], vocabulary: Any) -> Dict[int, Tuple[int, int, int]]:
    """Per threshold T: (true positives, false positives, false negatives) of "count read >= T"."""
    plain = _core.Suggester(vocabulary, 0)
    read = []
    for case in cases:
        best = suggest(uncoded(case), suggester=plain).best("migrants_or_victims")
        read.append((best.value if best else 0, "large_number_of_persons" in (case.get("aggravations") or [])))
    return {t: (sum(n >= t and g for n, g in read), sum(n >= t and not g for n, g in read),
                sum(n < t and g for n, g in read)) for t in THRESHOLDS}, read


def best_threshold(counts: Mapping[int, Tuple[int, int, int]], leave_out: Optional[Tuple[int, bool]] = None) -> int:
    def f1(t: int) -> float:
        tp, fp, fn = counts[t]
        if leave_out is not None:
            n, g = leave_out
            tp -= n >= t and g
            fp -= n >= t and not g
            fn -= n < t and g
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return max(THRESHOLDS, key=lambda t: (f1(t), -t))


TARGETS = {"offences": "P>=0.9 R>=0.7", "aggravations": "P>=0.9 R>=0.7", "sentence_months": "exact>=0.9"}


def render(ours_t: Dict[str, Dict[str, float]], base_t: Dict[str, Dict[str, float]], markdown: bool) -> str:
    head = ["field", "coded", "suggested", "P", "R", "F1", "exact", "baseline P", "baseline R", "baseline F1", "target"]
    rows = []
    for field in FIELDS:
        o, b = ours_t[field], base_t[field]
        rows.append([field, str(o["coded"]), str(o["suggested"]), f"{o['precision']:.2f}", f"{o['recall']:.2f}",
                     f"{o['f1']:.2f}", f"{o['exact']:.2f}" if "exact" in o else "", f"{b['precision']:.2f}",
                     f"{b['recall']:.2f}", f"{b['f1']:.2f}", TARGETS.get(field, "")])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    return "\n".join("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in [head] + rows)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus", "cases.jsonl"))
    ap.add_argument("--vocabulary", default=os.path.join(ROOT, "corpus", "vocabulary.json"))
    ap.add_argument("--min-confidence", type=float, default=0.0,
                    help="score only suggestions at or above this confidence (default: every suggestion)")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    with open(args.corpus, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    cases = [c for c in cases if c.get("type") == "case"]
    with open(args.vocabulary, encoding="utf-8") as f:
        vocabulary = json.load(f)
    core_vocabulary = _core.Vocabulary.from_file(os.fsencode(args.vocabulary))
    counts, read = large_group_counts(cases, core_vocabulary)
    learned = best_threshold(counts)
    loo = {case["id"]: best_threshold(counts, r) for case, r in zip(cases, read)}
    suggesters: Dict[int, Any] = {}
    cache: Dict[str, Dict[str, List[Any]]] = {}

    def predict(case: Mapping[str, Any]) -> Dict[str, List[Any]]:
        if case["id"] not in cache:
            t = loo[case["id"]]
            if t not in suggesters:
                suggesters[t] = _core.Suggester(core_vocabulary, t)
            cache[case["id"]] = ours(case, args.min_confidence, suggesters[t])
        return cache[case["id"]]

    base_cache: Dict[str, Dict[str, List[Any]]] = {}

    def predict_base(case: Mapping[str, Any]) -> Dict[str, List[Any]]:
        if case["id"] not in base_cache:
            base_cache[case["id"]] = baseline(case, vocabulary)
        return base_cache[case["id"]]

    print(f"{len(cases)} cases, suggestions at confidence >= {args.min_confidence}; large_number_of_persons from "
          f"{learned} people on the whole corpus (leave-one-out: {min(loo.values())} to {max(loo.values())}; "
          f"the library's default is {_core.DEFAULT_LARGE_GROUP})")
    print(render(score(cases, predict), score(cases, predict_base), args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
