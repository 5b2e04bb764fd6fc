"""Hostile records: every bad input gives a located error or is accepted as RECORDS.md says.

Each case takes five real records of the shipped corpus, as their lines of cases.jsonl, and
breaks one of them (or the file as a whole) in one way. The file is indexed with add_files and
checked with validate: the rejected records are exactly the ones expected, each named by file,
line (or array index), id and field; every other record is indexed intact; nothing crashes or
hangs (a watchdog ends the run with a traceback if one case takes over a minute).
"""

from __future__ import annotations

import copy
import faulthandler
import warnings
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import pytest

import jurisdex

from conftest import CORPUS

BASE_LINES: List[bytes] = [line for line in (CORPUS / "cases.jsonl").read_bytes().split(b"\n") if line.strip()][:5]
BASE: List[dict] = [json.loads(line) for line in BASE_LINES]
IDS: List[str] = [r["id"] for r in BASE]
MB10 = 10 * 1024 * 1024
HOSTILE = 2  # the 0-based position of the record a case breaks (line 3 of the file)


@dataclass
class Rejected:
    """An expected rejection: where (line or array index), the id if readable, the field, a phrase."""

    line: Optional[int] = None
    id: Optional[str] = None
    field: Optional[str] = None
    says: str = ""
    index: Optional[int] = None


@dataclass
class Case:
    data: bytes
    rejected: List[Rejected] = field(default_factory=list)
    indexed: Sequence[str] = ()
    ext: str = "jsonl"
    check: Optional[Callable[[jurisdex.Index], None]] = None
    touched: Sequence[int] = (HOSTILE,)  # positions of the base records the case changed


def jsonl(lines: Sequence[bytes], end: bytes = b"\n") -> bytes:
    return end.join(lines) + end


def dumps(record: object) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def others(*skip: int) -> List[str]:
    return [id_ for i, id_ in enumerate(IDS) if i not in skip]


def with_line(line: bytes, at: int = HOSTILE) -> bytes:
    lines = list(BASE_LINES)
    lines[at] = line
    return jsonl(lines)


_DROP = object()


def mutated(at: int = HOSTILE, **changes: object) -> dict:
    record = copy.deepcopy(BASE[at])
    for key, value in changes.items():
        if value is _DROP:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def short_id(id_: str) -> str:
    """An id as error messages give it: ids over 200 bytes are cut to 60 bytes and marked."""
    raw = id_.encode("utf-8")
    return id_ if len(raw) <= 200 else raw[:60].decode("utf-8", errors="ignore") + "..."


def bad_field(field_name: str, says: str, *, at: int = HOSTILE, id_known: bool = True, **changes: object) -> Case:
    """Line `at` with `changes`, rejected at field `field_name`; the other four indexed."""
    record = mutated(at, **changes)
    return Case(with_line(dumps(record), at), [Rejected(at + 1, short_id(record["id"]) if id_known else None,
                                                        field_name, says)], others(at))


def bad_json(line: bytes, says: str = "invalid JSON", at: int = HOSTILE) -> Case:
    """Line `at` replaced by text that is not a JSON record: rejected, with no id or field."""
    return Case(with_line(line, at), [Rejected(at + 1, None, None, says)], others(at))


def accepted(record: dict, at: int = HOSTILE, check: Optional[Callable[[jurisdex.Index], None]] = None) -> Case:
    """Line `at` replaced by `record`, which RECORDS.md accepts: all five indexed."""
    ids = list(IDS)
    ids[at] = record["id"]
    return Case(with_line(dumps(record), at), [], ids, check=check)


def insert_in_string(line: bytes, key: bytes, raw: bytes) -> bytes:
    """`raw` bytes put at the start of the string value of `key` in a JSON line."""
    marker = b'"' + key + b'": "'
    assert marker in line
    return line.replace(marker, marker + raw, 1)


# ---- checks on what was indexed ----

def stored_equals(at: int, record: dict) -> Callable[[jurisdex.Index], None]:
    def check(idx: jurisdex.Index) -> None:
        assert idx.get(record["id"]) == record
    return check


def finds(word: str, record_id: str) -> Callable[[jurisdex.Index], None]:
    def check(idx: jurisdex.Index) -> None:
        assert record_id in idx.search(word, limit=50).ids(), word
    return check


def rare_word(record: dict) -> str:
    """A word of at least 8 letters that occurs once in this record and in no other base record."""
    def words(r: dict) -> List[str]:
        return jurisdex.fold(" ".join(str(r.get(k, "")) for k in ("title", "summary", "text"))).split()
    mine = words(record)
    elsewhere = {w for r in BASE if r["id"] != record["id"] for w in words(r)}
    for w in mine:
        if len(w) >= 8 and w.isascii() and w.isalpha() and mine.count(w) == 1 and w not in elsewhere:
            return w
    raise AssertionError("no rare word")


def with_invisible(char: str) -> Case:
    """A soft hyphen (or other invisible joiner) inside a word: the word is still found."""
    record = mutated()
    word = rare_word(record)
    summary = record["summary"]
    # The word's spelling in the summary, whatever its case and accents: find it by folding.
    for token in summary.replace("(", " ").replace(")", " ").split():
        if jurisdex.fold(token) == word:
            break
    else:
        pytest.skip("word not found verbatim")  # pragma: no cover
    half = len(token) // 2
    record["summary"] = summary.replace(token, token[:half] + char + token[half:], 1)
    return accepted(record, check=finds(word, record["id"]))


EVERY_SCRIPT = {
    "Greek": "διακινητές", "Cyrillic": "контрабандисты", "Arabic": "المهربين", "Hebrew": "מבריחים",
    "Chinese": "偷渡", "Japanese": "密入国", "Korean": "밀입국", "Thai": "ลักลอบ", "Devanagari": "तस्करी",
    "Georgian": "კონტრაბანდა", "Armenian": "մաքսանենգ", "Ethiopic": "ሕገወጥ", "Bengali": "পাচার",
    "Tamil": "கடத்தல்", "Khmer": "ការរត់ពន្ធ",
}


def every_script() -> Case:
    record = mutated(summary=BASE[HOSTILE]["summary"] + " " + " ".join(EVERY_SCRIPT.values()) + " 🚤🧭")

    def check(idx: jurisdex.Index) -> None:
        assert idx.get(record["id"]) == record
        for script in ("Greek", "Cyrillic", "Arabic", "Hebrew", "Georgian", "Armenian", "Devanagari"):
            assert record["id"] in idx.search(EVERY_SCRIPT[script], limit=50).ids(), script
    return accepted(record, check=check)


def duplicate_ids() -> Case:
    later = mutated(at=3, id=IDS[1], title="Replaced title")
    data = with_line(dumps(later), 3)

    def check(idx: jurisdex.Index) -> None:
        assert idx.get(IDS[1])["title"] == "Replaced title"
        assert len(idx) == 4
    return Case(data, [], [IDS[0], IDS[1], IDS[2], IDS[4]], check=check, touched=(1, 3))


def unknown_fields() -> Case:
    record = mutated(zz_unknown={"nested": [1, 2, {"deep": None}]}, another_field="kept", **{"": "empty key"})

    def check(idx: jurisdex.Index) -> None:
        assert idx.get(record["id"]) == record
        with pytest.raises(jurisdex.QueryError):
            idx.search("another_field:kept")
    return accepted(record, check=check)


def huge_summary() -> Case:
    marker = "zzmarkerword"
    filler = "passeur bateau " * (MB10 // 15)
    record = mutated(summary=filler + marker)
    return accepted(record, check=finds(marker, record["id"]))


def json_array(items: List[bytes]) -> bytes:
    return b"[" + b",\n".join(items) + b"]"


def deep(opening: bytes, closing: bytes, levels: int = 100_000) -> bytes:
    return opening * levels + closing * levels


CASES = {
    # encodings
    "invalid-utf8-in-string": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"summary", b"\xff\xfe")),
    "invalid-utf8-overlong": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"title", b"\xc0\xaf")),
    "invalid-utf8-encoded-surrogate": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"title", b"\xed\xa0\x80")),
    "invalid-utf8-between-tokens": lambda: bad_json(b"\xff" + BASE_LINES[HOSTILE]),
    "truncated-multibyte-character": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"title", b"\xc3")),
    "lone-surrogate-escape": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"summary", b"\\ud800")),
    "bom-at-file-start": lambda: Case(b"\xef\xbb\xbf" + jsonl(BASE_LINES), [], IDS),
    "utf16-file": lambda: Case(jsonl(BASE_LINES).decode("utf-8").encode("utf-16"),
                               [Rejected(None, None, None, "records must be UTF-8")], []),
    "utf16-json-file": lambda: Case(json_array(BASE_LINES).decode("utf-8").encode("utf-16"),
                                    [Rejected(None, None, None, "records must be UTF-8")], [], ext="json"),
    # lines
    "crlf-line-endings": lambda: Case(jsonl(BASE_LINES, b"\r\n"), [], IDS, check=stored_equals(0, BASE[0])),
    "cr-only-line-endings": lambda: Case(jsonl(BASE_LINES, b"\r"), [Rejected(1, None, None, "invalid JSON")], []),
    "blank-and-whitespace-lines": lambda: Case(
        b"\n \n\t\n" + jsonl(BASE_LINES[:2]) + b"   \n\n" + jsonl([BASE_LINES[2], b"", dumps(mutated(3, date="2019-13-45")), BASE_LINES[4]]),
        [Rejected(10, IDS[3], "date", "real date")], others(3), touched=(3,)),
    "no-final-newline": lambda: Case(b"\n".join(BASE_LINES), [], IDS),
    "truncated-last-line": lambda: Case(b"\n".join(BASE_LINES[:4] + [BASE_LINES[4][: len(BASE_LINES[4]) // 2]]),
                                        [Rejected(5, None, None, "invalid JSON")], others(4), touched=(4,)),
    "truncated-middle-line": lambda: bad_json(BASE_LINES[HOSTILE][:-40]),
    "two-records-on-one-line": lambda: bad_json(BASE_LINES[HOSTILE] + b" " + BASE_LINES[HOSTILE]),
    "trailing-garbage": lambda: bad_json(BASE_LINES[HOSTILE] + b" xyz"),
    # not objects
    "line-is-array": lambda: bad_json(b"[" + BASE_LINES[HOSTILE] + b"]", "expected a JSON object, got an array"),
    "line-is-string": lambda: bad_json(b'"just text"', "expected a JSON object, got a string"),
    "line-is-number": lambda: bad_json(b"42", "expected a JSON object, got a number"),
    "line-is-null": lambda: bad_json(b"null", "expected a JSON object, got null"),
    "line-is-true": lambda: bad_json(b"true", "expected a JSON object, got a boolean"),
    "empty-object": lambda: Case(with_line(b"{}"), [Rejected(3, None, "id", "missing")], others(HOSTILE)),
    # wrong types
    "id-is-number": lambda: bad_field("id", "expected a string, got a number", id=12345, id_known=False),
    "title-is-object": lambda: bad_field("title", "expected a string, got an object", title={"en": "x"}),
    "date-is-number": lambda: bad_field("date", "expected a string, got a number", date=2019),
    "offences-is-string": lambda: bad_field("offences", "expected an array", offences="smuggling_of_migrants"),
    "offence-item-null": lambda: bad_field("offences[1]", "expected a string, got null",
                                           offences=["smuggling_of_migrants", None]),
    "source-is-array": lambda: bad_field("source", "expected an object, got an array", source=["a web page"]),
    "financial-benefit-is-string": lambda: bad_field("financial_benefit", "expected an object",
                                                     financial_benefit="established"),
    "benefit-required-is-string": lambda: bad_field("benefit_required", "expected true or false",
                                                    benefit_required="yes"),
    "defendants-is-boolean": lambda: bad_field("defendants", "expected a number, got a boolean", defendants=True),
    # nulls: null counts as absent
    "null-id": lambda: bad_field("id", "required string is missing", id=None, id_known=False),
    "null-title": lambda: bad_field("title", "required string is missing", title=None),
    "null-optional-fields": lambda: accepted(mutated(text=None, date=None, court=None, keywords=None),
                                             check=stored_equals(HOSTILE, mutated(text=None, date=None, court=None,
                                                                                  keywords=None))),
    # numbers JSON does not have
    "nan-literal": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "sentence_months": NaN}'),
    "infinity-literal": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "defendants": Infinity}'),
    "minus-infinity-literal": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "defendants": -Infinity}'),
    "number-overflow": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "defendants": 1e400}', "number overflow"),
    "negative-sentence": lambda: bad_field("sentence_months", "non-negative", sentence_months=-3),
    # huge strings
    "huge-summary-10MB": huge_summary,
    "huge-unknown-field-10MB": lambda: accepted(mutated(appendix="y" * MB10)),
    "huge-id-10MB": lambda: bad_field("id", "longer than 200 bytes", id="i" * MB10),
    "huge-court-10MB": lambda: bad_field("court", "longer than", court="C" * MB10),
    "huge-garbage-line-10MB": lambda: bad_json(b"x" * MB10),
    "keyword-longer-than-a-term": lambda: bad_field("keywords[0]", "longer than 235 bytes", keywords=["k" * 300]),
    "cite-longer-than-a-term": lambda: bad_field("cites[0]", "longer than", cites=["INT:SOM-PROTOCOL:" + "6" * 300]),
    "instrument-longer-than-a-term": lambda: bad_field("instrument", "longer than", instrument="I" * 240),
    "id-201-bytes": lambda: bad_field("id", "longer than 200 bytes", id="é" * 100 + "x"),
    # nesting
    "deep-arrays-100k": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "x": ' + deep(b"[", b"]") + b"}",
                                         "nested deeper than 64"),
    "deep-objects-100k": lambda: bad_json(BASE_LINES[HOSTILE][:-1] + b', "x": ' + deep(b'{"a":', b"}") + b"1}",
                                          "nested deeper than 64"),
    "deep-unterminated-100k": lambda: bad_json(b"[" * 100_000, "nested deeper than 64"),
    "deep-json-file-100k": lambda: Case(deep(b"[", b"]"), [Rejected(None, None, None, "nested deeper than 64")], [],
                                        ext="json"),
    # ids and keys
    "duplicate-ids-in-file": duplicate_ids,
    "duplicate-key": lambda: Case(with_line(BASE_LINES[HOSTILE][:-1] + b', "title": "again"}'),
                                  [Rejected(3, IDS[HOSTILE], "title", "key given twice")], others(HOSTILE)),
    "duplicate-id-key": lambda: Case(with_line(BASE_LINES[HOSTILE][:-1] + b', "id": "other-id"}'),
                                     [Rejected(3, "other-id", "id", "key given twice")], others(HOSTILE)),
    "duplicate-nested-key": lambda: Case(
        with_line(dumps(mutated(source=_DROP))[:-1] + b', "source": {"citation": "a", "url": "b", "citation": "c"}}'),
        [Rejected(3, IDS[HOSTILE], "source.citation", "key given twice")], others(HOSTILE)),
    "unknown-fields": unknown_fields,
    # bad dates and codes
    "date-2019-13-45": lambda: bad_field("date", "real date", date="2019-13-45"),
    "date-2019-02-29": lambda: bad_field("date", "real date", date="2019-02-29"),
    "date-unpadded": lambda: bad_field("date", "real date", date="2019-6-1"),
    "date-with-time": lambda: bad_field("date", "real date", date="2019-06-01T10:00:00Z"),
    "date-with-spaces": lambda: bad_field("date", "real date", date=" 2019"),
    "misspelt-offence": lambda: bad_field("offences[0]", "did you mean 'smuggling_of_migrants'?",
                                          offences=["smugling_of_migrants"]),
    "unknown-country": lambda: bad_field("country", "ISO 3166-1 alpha-3", country="XYZ"),
    "lowercase-country": lambda: bad_field("country", "ISO 3166-1 alpha-3", country="ita"),
    "unknown-language": lambda: bad_field("language", "ISO 639-1", language="english"),
    "unknown-court-level": lambda: bad_field("court_level", "unknown code", court_level="high"),
    "non-ascii-currency": lambda: bad_field("financial_benefit.currency", "ISO 4217",
                                            financial_benefit={"element": "established", "currency": "€UR"}),
    "bad-cite": lambda: bad_field("cites[0]", "COUNTRY:INSTRUMENT:ARTICLE", cites=["Protocol art 6"]),
    # control and invisible characters, scripts
    "bell-in-title": lambda: bad_field("title", "control characters", title="tab\x07bell"),
    "nul-in-summary": lambda: bad_field("summary", "control characters", summary="before\x00after"),
    "raw-control-byte-in-string": lambda: bad_json(insert_in_string(BASE_LINES[HOSTILE], b"title", b"\x01")),
    "newline-in-keyword": lambda: bad_field("keywords[0]", "single-line", keywords=["two\nlines"]),
    "soft-hyphen-inside-word": lambda: with_invisible("\u00ad"),
    "zero-width-joiner-inside-word": lambda: with_invisible("\u200d"),
    "zero-width-non-joiner-inside-word": lambda: with_invisible("\u200c"),
    "word-joiner-inside-word": lambda: with_invisible("\u2060"),
    "zero-width-space-in-id": lambda: accepted(mutated(id=IDS[HOSTILE] + "\u200b"),
                                               check=stored_equals(HOSTILE, mutated(id=IDS[HOSTILE] + "\u200b"))),
    "bidi-override-in-title": lambda: accepted(mutated(title="\u202e" + BASE[HOSTILE]["title"] + "\u202c")),
    "mixed-scripts-word": lambda: accepted(mutated(title="Pаsseurs (Cyrillic а) and Πassport"),
                                           check=finds("Pаsseurs", IDS[HOSTILE])),
    "every-script": every_script,
    # .json files
    "json-array-one-bad": lambda: Case(
        json_array([BASE_LINES[0], BASE_LINES[1], dumps(mutated(offences=["smugling"])), BASE_LINES[3]]),
        [Rejected(None, IDS[HOSTILE], "offences[0]", "unknown code", index=2)], [IDS[0], IDS[1], IDS[3]], ext="json"),
    "json-array-non-objects": lambda: Case(
        json_array([BASE_LINES[0], b"null", b"[]", b"7", BASE_LINES[1]]),
        [Rejected(None, None, None, "expected a JSON object", index=i) for i in (1, 2, 3)], IDS[:2], ext="json"),
    "json-file-truncated": lambda: Case(json_array(BASE_LINES)[:-30], [Rejected(None, None, None, "invalid JSON")],
                                        [], ext="json"),
    "json-file-bom": lambda: Case(b"\xef\xbb\xbf" + json_array(BASE_LINES), [], IDS, ext="json"),
    "empty-file": lambda: Case(b"", [], []),
    "only-blank-lines": lambda: Case(b"\n\n   \n\t\n", [], []),
}


def expect(ok: bool, what: object) -> None:
    """Like assert, with a message cut short: some inputs here are 10 MB."""
    if not ok:
        pytest.fail(str(what)[:500], pytrace=False)


def assert_rejections(got: List[jurisdex.Rejection], expected: List[Rejected], path: Path) -> None:
    expect(len(got) == len(expected), [str(r)[:200] for r in got])
    for r, e in zip(got, expected):
        source = str(path) + (f"[{e.index}]" if e.index is not None else "")
        expect(r.source == source, r)
        expect(r.line == e.line, r)
        expect(r.record_id == e.id, f"id {r.record_id!r:.100} != {e.id!r:.100}")
        if e.field is None:
            expect(not r.message.startswith("field "), r)
        else:
            expect(r.message.startswith(f"field '{e.field}': "), r)
        expect(e.says in r.message, r)
        expect(len(str(r)) < 1000 + len(str(path)), "message too long")  # a 10 MB input, a short message
        expect(str(r).startswith(str(path)), r)  # the printed form names the file


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_record(name, tmp_path):
    case: Case = CASES[name]()
    path = tmp_path / f"hostile records.{case.ext}"  # a space in the path, on purpose
    path.write_bytes(case.data)
    faulthandler.dump_traceback_later(60, exit=True)
    try:
        with warnings.catch_warnings():  # unknown fields warn (RecordWarning); tested in test_records
            warnings.simplefilter("ignore", jurisdex.RecordWarning)
            assert_rejections(jurisdex.validate([path]), case.rejected, path)
        with jurisdex.Index(tmp_path / "idx", create=True) as idx:
            report = idx.add_files([path])
            assert_rejections(report.rejected, case.rejected, path)
            for id_ in case.indexed:
                expect(idx.get(id_) is not None, f"{id_!r:.100} not indexed")
            expect(len(idx) == len(set(case.indexed)), f"{len(idx)} records indexed")
            for i, record in enumerate(BASE):
                if record["id"] in case.indexed and i not in case.touched:
                    expect(idx.get(record["id"]) == record, f"record {i} changed")  # the good records, intact
            if case.check:
                case.check(idx)
    finally:
        faulthandler.cancel_dump_traceback_later()


def test_enough_cases():
    assert len(CASES) >= 40


# ---- paths: taken as given (no shell), named in errors ----

ODD_NAMES = ["with spaces", "unicodé 索引 индекс", "$(touch pwned); `touch pwned2` 'q' \"dq\" *?[x]", "-starts-with-dash"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_paths_are_taken_as_given(name, tmp_path):
    folder = tmp_path / name
    folder.mkdir()
    records = folder / f"{name}.jsonl"
    records.write_bytes(jsonl(BASE_LINES))
    index = folder / "index"
    with jurisdex.Index(index, create=True) as idx:
        assert idx.add_files([records]).added == len(IDS)
    assert len(jurisdex.Index(index)) == len(IDS)
    cli = [sys.executable, "-m", "jurisdex"]
    run = subprocess.run([*cli, "index", str(records), "--db", str(index), "-q"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([*cli, "search", "", "--db", str(index), "--format", "json"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and json.loads(run.stdout)["total"] == len(IDS), run.stderr
    assert not list(tmp_path.rglob("pwned*"))  # nothing went through a shell


def test_paths_that_are_not_utf8_are_taken_as_given(tmp_path):
    """Linux file names are bytes: one that is not UTF-8 works as bytes or as os.fsdecode's str,
    and errors and reports give it back as os.fsdecode would (os.fsencode restores the bytes)."""
    base = os.fsencode(tmp_path)
    records = os.path.join(base, b"r\xe9cords.jsonl")
    with open(records, "wb") as f:
        f.write(jsonl(BASE_LINES) + b'{"id": 7}\n')
    index = os.path.join(base, b"index \xff\xfe")
    with pytest.raises(jurisdex.IndexNotFoundError) as info:
        jurisdex.Index(index)
    assert os.fsencode(info.value.path) == index and os.fsdecode(index) in str(info.value)
    with jurisdex.Index(index, create=True) as idx:
        report = idx.add_files([records])
        assert report.added == len(IDS)
        assert os.fsencode(report.rejected[0].source) == records
    assert len(jurisdex.Index(os.fsdecode(index))) == len(IDS)
    assert len(jurisdex.Index.open_shards([index])) == len(IDS)
    stub = os.path.join(base, b"stub \xff")
    jurisdex.Index.write_stub(stub, [index])
    assert len(jurisdex.Index(stub)) == len(IDS)
    run = subprocess.run([sys.executable, "-m", "jurisdex", "search", "", "--db", index, "--format", "json"],
                         capture_output=True, timeout=120)
    assert run.returncode == 0 and json.loads(run.stdout)["total"] == len(IDS), run.stderr


def test_a_file_where_the_index_folder_should_be(tmp_path):
    path = tmp_path / "a file.txt"
    path.write_text("not an index\n")
    for options in ({}, {"writable": True}, {"create": True}):
        with pytest.raises(jurisdex.JurisdexError) as info:
            jurisdex.Index(path, **options)
        assert str(path) in str(info.value)
    run = subprocess.run([sys.executable, "-m", "jurisdex", "stats", "--db", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and str(path) in run.stderr and "Traceback" not in run.stderr
    assert path.read_text() == "not an index\n"  # left alone


def test_missing_paths_are_named(tmp_path):
    missing = tmp_path / "no such index"
    with pytest.raises(jurisdex.IndexNotFoundError) as info:
        jurisdex.Index(missing)
    assert str(missing) in str(info.value)
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        with pytest.raises(FileNotFoundError) as err:
            idx.add_files([tmp_path / "no such file.jsonl"])
        assert "no such file.jsonl" in str(err.value)
    assert not missing.exists()


def test_a_stub_file_opens_for_reading_but_never_for_writing(tmp_path):
    """A stub file (Xapian's format) opens its shards read-only by design (Index.write_stub); a
    writer writes only a real index folder, never through a stub."""
    real = tmp_path / "real index"
    with jurisdex.Index(real, create=True) as idx:
        idx.add(BASE[0])
    stub = tmp_path / "stub"
    stub.write_text(f"glass {real}\n")
    assert len(jurisdex.Index(stub)) == 1
    for kwargs in ({"writable": True}, {"create": True}):
        with pytest.raises(jurisdex.IndexNotFoundError, match="not a folder|not a jurisdex index"):
            jurisdex.Index(stub, **kwargs)
