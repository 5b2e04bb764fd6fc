"""The jurisdex command line: every command, every format, every exit code."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jurisdex.cli import main
from conftest import CORPUS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "idx"
    assert main(["index", str(CORPUS), "--db", str(path), "--quiet"]) == 0
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_summary(capsys, tmp_path, all_records):
    code, out, err = run(capsys, "index", str(CORPUS / "legislation.jsonl"), "--db", str(tmp_path / "i"), "-q")
    n = sum(1 for r in all_records if r["type"] == "legislation")
    assert code == 0
    assert out.strip() == f"{n} added, 0 replaced, 0 rejected; {n} records in {tmp_path / 'i'}"


def test_index_reports_rejections_and_strict_exit(capsys, tmp_path, corpus_records):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(corpus_records["cases"][0]) + "\n" + '{"id": "x", "type": "case"}\n', encoding="utf-8")
    code, out, err = run(capsys, "index", str(bad), "--db", str(tmp_path / "i"), "-q")
    assert code == 0 and "1 added, 0 replaced, 1 rejected" in out
    assert f"rejected: {bad}:2 (id 'x'): field 'title'" in err
    code, out, err = run(capsys, "index", str(bad), "--db", str(tmp_path / "j"), "--strict", "-q")
    assert code == 1 and "strict mode: nothing indexed" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_search_table(capsys, db):
    code, out, err = run(capsys, "search", "shipwreck", "--db", db, "--limit", "3", "--facet", "country")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("matching records; showing 1-3")
    assert sum(1 for l in lines if re.match(r"^\s*\d+\. ", l)) == 3
    assert any(l.startswith("country: ") for l in lines)


def test_search_json_matches_python_api(capsys, db):
    import jurisdex

    code, out, _ = run(capsys, "search", "passeur", "--db", db, "--country", "FRA", "--country", "BEL",
                       "--year", "2010..2025", "--format", "json", "--limit", "50")
    data = json.loads(out)
    expected = jurisdex.Index(db).search("passeur", country=["FRA", "BEL"], year=(2010, 2025), limit=50)
    assert code == 0 and data["total"] == expected.total
    assert [h["id"] for h in data["hits"]] == expected.ids()
    assert any("<mark>passeur" in h["snippet"] for h in data["hits"])


def test_search_csv(capsys, db):
    code, out, _ = run(capsys, "search", "", "--db", db, "--offence", "trafficking_in_persons", "--filter",
                       "aggravations=minors", "--format", "csv", "--limit", "5", "--sort=-date")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and 0 < len(rows) <= 5
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates, reverse=True)
    assert list(rows[0]) == ["rank", "score", "id", "type", "country", "date", "title", "snippet"]


def test_similar_matches_python_api(capsys, db):
    import jurisdex

    seed = "fra-paris-2023-essex-lorry-18-defendants"
    idx = jurisdex.Index(db)
    for extra, kwargs in (([], {}), (["--no-expand"], {"expand": False}), (["--type", "case"], {"type": "case"})):
        code, out, _ = run(capsys, "similar", seed, "--db", db, "--limit", "5", "--format", "jsonl", *extra)
        assert code == 0
        assert [json.loads(line)["id"] for line in out.splitlines()] == idx.similar(seed, limit=5, **kwargs).ids()
    code, out, _ = run(capsys, "similar", seed, "--db", db, "--limit", "3")
    assert code == 0 and out.startswith(f"3 records most like {seed}\n")
    assert "bel-bruges-2022-essex-lorry-belgian-cell" in out


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["search", "x", "--db", "/nonexistent/idx"], 1, "no jurisdex index at '/nonexistent/idx'"),
        (["search", "country:XYZ", "--db", None], 1, "unknown value 'XYZ' for facet 'country'"),
        (["search", "x", "--db", None, "--offence", "smugling"], 1, "did you mean 'smuggling_of_migrants'?"),
        (["search", "(boat OR", "--db", None], 1, "cannot parse query"),
        (["search", "x", "--db", None, "--filter", "nonsense"], 2, "--filter takes FACET=VALUE"),
        (["search", "x", "--db", None, "--year", "twenty..2020"], 1, "bad year 'twenty'"),
        (["show", "no-such-id", "--db", None], 1, "no record with id 'no-such-id'"),
        (["similar", "no-such-id", "--db", None], 1, "no record with id 'no-such-id'"),
        (["similar", "x", "--db", None, "--year", "2015"], 2, "unrecognized arguments: --year"),
        (["index", "/nonexistent/corpus.jsonl", "--db", "TMP"], 1, "cannot read '/nonexistent/corpus.jsonl'"),
        (["search", "x", "--limit", "many"], 2, "invalid int value"),
        (["frobnicate"], 2, "invalid choice"),
    ],
)
def test_errors_are_one_line(capsys, db, tmp_path, argv, code, message):
    argv = [db if a is None else str(tmp_path / "new") if a == "TMP" else a for a in argv]
    got, out, err = run(capsys, *argv)
    assert got == code
    assert message in err
    assert "Traceback" not in err


def test_missing_db_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("JURISDEX_DB", raising=False)
    code, _, err = run(capsys, "stats")
    assert code == 2 and "--db DIR is required" in err


def test_db_from_environment(capsys, monkeypatch, db, all_records):
    monkeypatch.setenv("JURISDEX_DB", db)
    code, out, _ = run(capsys, "stats", "--format", "json")
    assert code == 0 and json.loads(out)["records"] == len(all_records)


def test_show(capsys, db, all_records):
    code, out, _ = run(capsys, "show", all_records[0]["id"], "--db", db)
    assert code == 0 and json.loads(out) == all_records[0]


def test_stats_table(capsys, db, all_records):
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0 and f"records    {len(all_records)}" in out and "offences" in out


def test_validate(capsys, tmp_path, corpus_records):
    code, out, _ = run(capsys, "validate", str(CORPUS))
    assert code == 0 and out.strip() == "all records valid"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([corpus_records["cases"][0], dict(corpus_records["cases"][1], date="2019-13-45")]))
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1
    assert out.strip().startswith(f"{bad}[1] (id '{corpus_records['cases'][1]['id']}'): field 'date'")
    assert "1 invalid record(s)" in err


def test_console_script_and_module():
    # The script installed beside this interpreter (a venv need not be on PATH).
    beside = Path(sys.executable).parent / "jurisdex"
    script = str(beside) if beside.exists() else shutil.which("jurisdex")
    version = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("jurisdex ")
    as_module = subprocess.run([sys.executable, "-m", "jurisdex", "search"], capture_output=True, text=True)
    assert as_module.returncode == 2 and "Traceback" not in as_module.stderr
