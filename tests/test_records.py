"""Record validation (RECORDS.md): every rule gives a RecordError naming where and what."""

from __future__ import annotations

import json
import math

import pytest

import jurisdex
from jurisdex import RecordError


def rejected_message(index: jurisdex.Index, record: dict) -> RecordError:
    with pytest.raises(RecordError) as info:
        index.add(record)
    return info.value


@pytest.mark.parametrize("field", ["id", "type", "title", "country", "language", "summary", "offences", "source"])
def test_required_field_missing(empty_index, record, field):
    del record[field]
    err = rejected_message(empty_index, record)
    assert err.field == field
    assert "missing" in str(err)
    assert len(empty_index) == 0


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("title", 5, "expected a string, got a number"),
        ("title", "   ", "must not be empty"),
        ("type", "judgment", 'expected "case", "legislation" or "document"'),
        ("country", "XYZ", "ISO 3166-1 alpha-3"),
        ("country", "ita", "ISO 3166-1 alpha-3"),
        ("language", "english", "ISO 639-1"),
        ("date", "2019-13-45", "real date"),
        ("date", "2019-02-29", "real date"),
        ("date", "19-01-01", "real date"),
        ("offences", "smuggling_of_migrants", "expected an array"),
        ("offences", [], "at least one offence"),
        ("sentence_months", -3, "non-negative"),
        ("defendants", 2.5, "whole number"),
        ("court_level", "high", "unknown code"),
        ("outcome", "guilty", "unknown code"),
        ("cites", ["Protocol art 6"], "COUNTRY:INSTRUMENT:ARTICLE"),
        ("keywords", ["ok", 3], "expected a string"),
        ("source", "a web page", "expected an object"),
        ("source", {"licence": "x"}, 'needs a "citation" or a "url"'),
        ("id", "has space", "must not contain spaces"),
        ("id", "x" * 201, "longer than 200 bytes"),
        ("title", "tab\x07bell", "control characters"),
    ],
)
def test_bad_field_value(empty_index, record, field, value, expected):
    record[field] = value
    err = rejected_message(empty_index, record)
    assert expected in str(err)
    assert err.field.split("[")[0].split(".")[0] == field
    if field != "id":
        assert err.record_id == record["id"]


def test_misspelt_code_suggests_nearest(empty_index, record):
    record["offences"] = ["smugling_of_migrants"]
    err = rejected_message(empty_index, record)
    assert err.field == "offences[0]"
    assert "did you mean 'smuggling_of_migrants'?" in str(err)
    record["offences"] = ["smuggling_of_migrants"]
    record["aggravations"] = ["deth"]
    assert "did you mean 'death'?" in str(rejected_message(empty_index, record))


@pytest.mark.parametrize(
    "benefit, field, expected",
    [
        ({"kinds": ["payment"]}, "financial_benefit.element", "missing"),
        ({"element": "proven"}, "financial_benefit.element", "unknown code"),
        ({"element": "established", "kinds": ["cash"]}, "financial_benefit.kinds[0]", "unknown code"),
        ({"element": "established", "amount": -1}, "financial_benefit.amount", "non-negative"),
        ({"element": "established", "currency": "euro"}, "financial_benefit.currency", "ISO 4217"),
        ("yes", "financial_benefit", "expected an object"),
    ],
)
def test_financial_benefit(empty_index, record, benefit, field, expected):
    record["financial_benefit"] = benefit
    err = rejected_message(empty_index, record)
    assert err.field == field
    assert expected in str(err)


def test_valid_dates_and_undated_case(empty_index, record):
    record["date"] = "2020-02-29"  # leap day
    assert empty_index.add(record).added == 1
    del record["date"]
    assert empty_index.add(record).replaced == 1  # a case whose source states no date
    # A provision whose source states no date has none either: dates are never guessed.
    assert empty_index.add(dict(record, id="law", type="legislation")).added == 1
    err = rejected_message(empty_index, dict(record, id="law2", type="legislation", date="2017-05-10T00:00"))
    assert err.field == "date" and "real date" in str(err)


def test_unknown_fields_kept_and_nulls_ignored(empty_index, record):
    record["annotator_note"] = {"checked": True}
    record["court"] = None
    empty_index.add(record)
    stored = empty_index.get(record["id"])
    assert stored["annotator_note"] == {"checked": True}
    assert stored == record


def test_not_an_object(empty_index):
    with pytest.raises(RecordError, match="expected a JSON object, got an array"):
        empty_index.add([[1, 2]])


def test_nan_is_refused_before_reaching_the_index(empty_index, record):
    record["sentence_months"] = math.nan
    with pytest.raises(RecordError, match="not JSON-serialisable"):
        empty_index.add(record)


def test_add_list_is_all_or_nothing(empty_index, corpus_records):
    good = corpus_records["cases"][:3]
    bad = dict(good[1], country="Italy")
    with pytest.raises(RecordError) as info:
        empty_index.add([good[0], bad, good[2]])
    assert info.value.index == 1 and info.value.record_id == bad["id"]
    assert "<input>[1]" in str(info.value)
    assert len(empty_index) == 0


def write_lines(path, lines):
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


def test_jsonl_errors_are_located_and_the_rest_indexed(empty_index, corpus_records, tmp_path):
    a, b, c = (json.dumps(r, ensure_ascii=False) for r in corpus_records["cases"][:3])
    bad_date = json.dumps(dict(corpus_records["cases"][3], date="2019-13-45"), ensure_ascii=False)
    path = write_lines(
        tmp_path / "mixed.jsonl",
        ["\ufeff" + a + "\r", "", "   ", b[: len(b) // 2], "[1, 2]", bad_date, "[" * 100000, c],
    )
    report = empty_index.add_files(path)
    assert report.added == 2
    assert [(r.line, r.record_id) for r in report.rejected] == [
        (4, None),
        (5, None),
        (6, corpus_records["cases"][3]["id"]),
        (7, None),
    ]
    assert "invalid JSON" in report.rejected[0].message
    assert "expected a JSON object" in report.rejected[1].message
    assert report.rejected[2].message.startswith("field 'date':")
    assert "nested deeper" in report.rejected[3].message
    assert all(r.source == str(path) for r in report.rejected)
    assert str(report.rejected[2]).startswith(f"{path}:6 (id '{corpus_records['cases'][3]['id']}'): field 'date'")
    assert sorted(empty_index.get(r["id"])["id"] for r in corpus_records["cases"][:3] if r["id"] in empty_index) == sorted(
        [corpus_records["cases"][0]["id"], corpus_records["cases"][2]["id"]]
    )


def test_invalid_utf8_line(empty_index, corpus_records, tmp_path):
    good = json.dumps(corpus_records["cases"][0]).encode()
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"id": "x\xff\xfe", "type": "case"}\n' + good + b"\n")
    report = empty_index.add_files(path)
    assert report.added == 1
    assert report.rejected[0].line == 1 and "invalid JSON" in report.rejected[0].message


def test_json_array_positions(empty_index, corpus_records, tmp_path):
    records = corpus_records["legislation"][:3]
    records[1] = dict(records[1], benefit_required="yes")
    path = tmp_path / "laws.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    report = empty_index.add_files(path)
    assert report.added == 2
    (rejection,) = report.rejected
    assert rejection.source == f"{path}[1]" and rejection.line is None
    assert rejection.record_id == records[1]["id"]
    assert "benefit_required" in rejection.message


def test_duplicate_ids_in_one_file_replace(empty_index, corpus_records, tmp_path):
    first = corpus_records["cases"][0]
    second = dict(first, title=first["title"] + " (second copy)")
    path = write_lines(tmp_path / "dup.jsonl", [json.dumps(first), json.dumps(second)])
    report = empty_index.add_files(path)
    assert (report.added, report.replaced, report.rejected) == (1, 1, [])
    assert empty_index.get(first["id"])["title"].endswith("(second copy)")


def test_strict_mode_indexes_nothing(empty_index, corpus_records, tmp_path):
    lines = [json.dumps(r) for r in corpus_records["cases"][:5]] + ['{"id": "broken"']
    path = write_lines(tmp_path / "strict.jsonl", lines)
    with pytest.raises(RecordError, match="strict mode: nothing indexed"):
        empty_index.add_files(path, strict=True)
    assert len(empty_index) == 0
    assert empty_index.add_files(path).added == 5


def test_validate_without_indexing(corpus_records, tmp_path):
    path = write_lines(tmp_path / "v.jsonl", [json.dumps(corpus_records["cases"][0]), '{"id": 1}'])
    (rejection,) = jurisdex.validate(path)
    assert rejection.line == 2 and "field 'id'" in rejection.message
    with pytest.raises(FileNotFoundError, match="no such file"):
        jurisdex.validate(tmp_path / "missing.jsonl")


def test_unreadable_inputs(empty_index, tmp_path):
    with pytest.raises(FileNotFoundError):
        empty_index.add_files(tmp_path / "nope.jsonl")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(jurisdex.JurisdexError, match="expected a .json or .jsonl file"):
        empty_index.add_files(other)


# ---- the record format ships with the project, in step with the validator ----

def documented_fields() -> set:
    """Fields named in the first column of docs/records.md's field tables."""
    import re
    from conftest import ROOT
    text = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    fields = set()
    for line in text.splitlines():
        if line.startswith("| `"):
            fields.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return fields


def test_every_field_of_the_validator_is_documented_and_back():
    from jurisdex import _core
    assert documented_fields() == set(_core.record_fields())


def test_unknown_fields_are_reported_with_the_nearest_and_rejected_when_strict(tmp_path, record):
    import warnings
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(dict(record, aggravation=["minors"], sentence_month=3)), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert jurisdex.validate(path) == []
    messages = [str(w.message) for w in caught if issubclass(w.category, jurisdex.RecordWarning)]
    assert any("'aggravation'" in m and "did you mean 'aggravations'" in m for m in messages)
    assert any("'sentence_month'" in m and "did you mean 'sentence_months'" in m for m in messages)
    rejected = jurisdex.validate(path, strict=True)
    assert len(rejected) == 1 and "aggravation" in rejected[0].message and "sentence_month" in rejected[0].message
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        report = idx.add_files([path])
        assert report.added == 1 and len(report.warnings) == 2
        with pytest.raises(RecordError, match="aggravation"):
            idx.add_files([path], strict=True)


def test_every_error_of_a_record_is_reported_at_once(empty_index, record):
    bad = dict(record, country="Spain", offences=["smuggling"], sentence_months="ten", life_sentence="yes")
    err = rejected_message(empty_index, bad)
    message = str(err)
    for part in ("'country'", "did you mean 'ESP'", "offences[0]", "did you mean 'smuggling_of_migrants'",
                 "'sentence_months'", "'life_sentence'"):
        assert part in message, part


@pytest.mark.parametrize("name, code", [("Spain", "ESP"), ("Espagne", "ESP"), ("spanisch", "ESP"),
                                        ("Italia", "ITA"), ("Nederland", "NLD"), ("Allemagne", "DEU")])
def test_country_names_and_adjectives_suggest_their_code(empty_index, record, name, code):
    assert f"did you mean '{code}'" in str(rejected_message(empty_index, dict(record, country=name)))


def test_the_new_fields_are_checked(empty_index, record):
    record.pop("sentence_months", None)
    ok = dict(record, life_sentence=True, sentence_suspended=False, deaths=3, related=["other-id"],
              source=dict(record["source"], published="2020-05"))
    assert empty_index.add(ok).added == 1
    for bad, field in [({"life_sentence": True, "sentence_months": 120}, "life_sentence"),
                       ({"deaths": 2.5}, "deaths"), ({"related": ["a b"]}, "related[0]"),
                       ({"source": dict(record["source"], published="yesterday")}, "source.published"),
                       ({"sentence_suspended": "no"}, "sentence_suspended")]:
        assert rejected_message(empty_index, dict(ok, **bad)).field == field, bad
    assert empty_index.facet_counts("life_sentence") == {"true": 1}


def test_a_misspelt_source_key_is_warned_about(tmp_path, record):
    import warnings
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(dict(record, source=dict(record["source"], publised="2020"))), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        jurisdex.validate(path)
    assert any("'source.publised'" in str(w.message) and "did you mean 'published'" in str(w.message) for w in caught)
