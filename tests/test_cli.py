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


# ---- issue 14, item 6: no spelling that silently means something else ----

def test_sort_minus_date_as_two_words(capsys, db):
    code, out, _ = run(capsys, "search", "", "--db", db, "--type", "legislation", "--sort", "-date", "--format", "json",
                       "--limit", "200")
    assert code == 0
    dates = [h["date"] for h in json.loads(out)["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[len(dated):] == [""] * (len(dates) - len(dated))


def test_ranks_are_numbered_alike_in_every_format(capsys, db, tmp_path):
    argv = ["search", "passeur", "--db", db, "--limit", "3"]
    _, table, _ = run(capsys, *argv)
    _, js, _ = run(capsys, *argv, "--format", "json")
    _, jl, _ = run(capsys, *argv, "--format", "jsonl")
    _, cs, _ = run(capsys, *argv, "--format", "csv")
    ids = [h["id"] for h in json.loads(js)["hits"]]
    assert [h["rank"] for h in json.loads(js)["hits"]] == [1, 2, 3]
    assert [json.loads(l)["rank"] for l in jl.splitlines()] == [1, 2, 3]
    assert [int(r["rank"]) for r in csv.DictReader(io.StringIO(cs))] == [1, 2, 3]
    assert [re.search(rf"^\s+{i}\. .*{re.escape(ids[i - 1])}$", table, re.M) is not None for i in (1, 2, 3)] == [True] * 3
    run(capsys, "export", "passeur", "--db", db, "-o", str(tmp_path / "e.csv"))
    with (tmp_path / "e.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["rank"]) for r in rows[:3]] == [1, 2, 3] and [r["id"] for r in rows[:3]] == ids


def test_export_to_standard_output_and_without_concepts(capsys, db, tmp_path):
    code, out, err = run(capsys, "export", "shipwreck", "--db", db, "-o", "-", "--format", "jsonl", "--no-expand")
    assert code == 0 and "written to standard output" in err and not (Path.cwd() / "-").exists()
    literal = [json.loads(l)["id"] for l in out.splitlines()]
    code, out, _ = run(capsys, "export", "shipwreck", "--db", db, "-o", "-", "--format", "jsonl")
    expanded = [json.loads(l)["id"] for l in out.splitlines()]
    assert literal and set(literal) < set(expanded)


def test_crosstab_command(capsys, db, all_records):
    smuggling = [r for r in all_records if r["type"] == "case" and "smuggling_of_migrants" in r["offences"]]
    code, out, _ = run(capsys, "crosstab", "country", "financial_benefit", "--db", db, "--type", "case",
                       "--offence", "smuggling_of_migrants", "--keep-missing", "--format", "json")
    assert code == 0
    table = json.loads(out)
    assert "(not stated)" in table["columns"]
    assert table["data"][-1][-1] == len(smuggling)
    code, out, _ = run(capsys, "crosstab", "country", "financial_benefit", "--db", db, "--offence",
                       "smuggling_of_migrants", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("country,")


def test_two_options_on_one_facet_are_refused_and_all_is_and(capsys, db, all_records):
    code, _, err = run(capsys, "search", "", "--db", db, "--offence", "trafficking_in_persons",
                       "--filter", "offences=forced_labour")
    assert code == 2 and "--all offences=A,B" in err
    both = {r["id"] for r in all_records if {"trafficking_in_persons", "forced_labour"} <= set(r["offences"])}
    code, out, _ = run(capsys, "search", "", "--db", db, "--all", "offences=trafficking_in_persons,forced_labour",
                       "--format", "json", "--limit", "1000")
    assert code == 0 and {h["id"] for h in json.loads(out)["hits"]} == both


def test_stats_names_regions(capsys, db):
    code, out, _ = run(capsys, "stats", "--db", db)
    line = next(l for l in out.splitlines() if l.startswith("region"))
    assert "Europe" in line and "150" not in line


def test_validate_warns_and_strict_rejects(capsys, tmp_path, corpus_records):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(dict(corpus_records["cases"][0], aggravation=["minors"])), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "did you mean 'aggravations'" in out and "warning" in out
    code, out, _ = run(capsys, "validate", "--strict", str(path))
    assert code == 1 and "aggravation" in out


def test_an_index_path_that_is_not_utf8(capsys, tmp_path):
    import os
    folder = os.fsdecode(bytes(tmp_path) + b"/idx-\xff")
    assert main(["index", str(CORPUS / "documents.jsonl"), "--db", folder, "-q"]) == 0
    capsys.readouterr()
    for argv in (["search", "passeur", "--db", folder], ["stats", "--db", folder],
                 ["crosstab", "type", "language", "--db", folder]):
        code, out, err = run(capsys, *argv)
        assert code == 0 and out and not err, argv
    out.encode("utf-8")  # printable: the bad byte is shown as U+FFFD
