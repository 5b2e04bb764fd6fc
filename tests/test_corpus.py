"""The shipped corpus: valid, sourced, unique, and faithful to its sources where they are present."""

from __future__ import annotations

import collections
import json
import re

import pytest

import jurisdex
from conftest import CORPUS, SHARED

RAW = SHARED / "corpus-raw"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason="../shared/corpus-raw is not present")
SHINGLE = 12


def test_whole_corpus_validates():
    assert jurisdex.validate(CORPUS) == []


def test_whole_corpus_indexes_without_rejections(corpus_index, all_records):
    # corpus_index asserts zero rejections while it builds
    assert len(corpus_index) == len(all_records)


def test_ids_are_unique(all_records):
    counts = collections.Counter(r["id"] for r in all_records)
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_record_has_a_source(all_records):
    for r in all_records:
        assert r["source"].get("url") or r["source"].get("citation"), r["id"]


def test_size_and_spread(corpus_records):
    cases = corpus_records["cases"]
    assert len(cases) >= 400
    assert len({c["country"] for c in cases}) >= 60
    languages = collections.Counter(r["language"] for records in corpus_records.values() for r in records)
    total = sum(languages.values())
    assert sum(languages[l] for l in ("fr", "es", "nl", "de", "it")) >= total / 5


REQUIRED_PROVISIONS = (
    [f"INT:SOM-PROTOCOL:{a}" for a in (2, 3, 5, 6, 9, 16, 18, 19)]
    + [f"INT:TIP-PROTOCOL:{a}" for a in (2, 3, 5, 6, 9)]
    + [f"INT:UNTOC:{a}" for a in (2, 3, 5, 6)]
    + [f"INT:COE-CETS197:{a}" for a in (4, 18, 24, 26)]
    + ["NLD:SR:197a", "NLD:SR:197b", "NLD:SR:273f", "USA:8-USC:1324", "USA:8-USC:1327"]
    + [f"USA:18-USC:{s}" for s in ("1581", "1584", "1589", "1590", "1591", "1592", "1593A")]
    + [f"DEU:STGB:{s}" for s in ("232", "232a", "232b", "233", "233a")]
    + ["DEU:AUFENTHG:96", "DEU:AUFENTHG:97"]
    + [f"FRA:CP:225-4-{i}" for i in range(1, 10)]
    + [f"FRA:CESEDA:L823-{i}" for i in range(1, 11)]
    + ["ITA:DLGS-286-1998:12", "ITA:DLGS-286-1998:12-bis"]
)


def test_legislation_covers_the_required_provisions(corpus_records):
    laws = {r["id"]: r for r in corpus_records["legislation"]}
    assert [p for p in REQUIRED_PROVISIONS if p not in laws] == []
    for law in laws.values():
        country, instrument, article = law["id"].split(":")
        assert law["country"] == country and law["article"] == article
    offences = [r for r in laws.values() if r["offences"] and "benefit_required" in r]
    assert len(offences) >= 30
    for pid in ("FRA:CP:225-4-1", "ITA:DLGS-286-1998:12"):
        assert "hand" in json.dumps(laws[pid]["source"]).lower()


def test_documents_cover_the_five_founding_texts(corpus_records):
    docs = corpus_records["documents"]
    assert {d["source"]["retrieved_from"].rsplit("/", 1)[-1][:3] for d in docs} == {"000", "001", "002", "003", "004"}
    assert all(d["language"] == "fr" for d in docs)
    assert len({d["title"] for d in docs}) == len(docs)


def test_vocabulary_has_every_code_in_six_languages():
    vocab = json.loads((CORPUS / "vocabulary.json").read_text(encoding="utf-8"))
    spec = {
        "offences": 12, "aggravations": 12, "court_level": 4, "outcome": 7,
        "financial_benefit.element": 5, "financial_benefit.kinds": 6, "document_kind": 6, "type": 3,
    }
    for field, n in spec.items():
        assert len(vocab["fields"][field]) == n, field
        for code, entry in vocab["fields"][field].items():
            assert set(entry["labels"]) >= {"en", "fr", "es", "nl", "de", "it"}, code


def words(text: str) -> list:
    return re.findall(r"\w+", text.lower())


def shingles(ws: list) -> set:
    return {" ".join(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}


@needs_raw
def test_case_facts_agree_with_harvested_pages(corpus_records):
    for case in corpus_records["cases"]:
        origin = case["source"].get("retrieved_from", "")
        if "case-pages/" not in origin:
            continue
        facts = json.loads((RAW / origin.split("corpus-raw/", 1)[1]).read_text(encoding="utf-8"))["facts"]
        assert case["country"] == facts["country"], case["id"]
        # A date is the decision's, as the excerpt states it. A year the harvest read from a
        # dateline or page header is no decision date: such cases keep it as source.published.
        if case.get("date"):
            assert case["date"][:4] == (facts["decision_date"] or "")[:4], case["id"]


@needs_raw
def test_summaries_are_written_not_copied(all_records):
    source = set()
    for path in RAW.rglob("*"):
        if path.suffix not in (".md", ".txt", ".json", ".xml"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".json":
            try:
                text = json.loads(text).get("excerpt", "")
            except (ValueError, AttributeError):
                pass
        source |= shingles(words(text))
    copied = [r["id"] for r in all_records for f in ("summary", "title") if shingles(words(r[f])) & source]
    assert copied == []


@needs_raw
def test_every_case_page_is_in_the_corpus(corpus_records):
    pages = {p.stem for p in (RAW / "case-pages").glob("*.json")}
    ids = {c["id"] for c in corpus_records["cases"]}
    assert len(pages - ids) <= len(pages) * 0.2  # at least 80% of the harvested pages became records
