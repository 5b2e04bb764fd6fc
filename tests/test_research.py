"""Research in Jupyter: tables, crosstabs, plots, HTML, exports, the CLI's export and the example
notebook. Every expected number is computed here from corpus/*.jsonl, never written down."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List

os.environ["MPLBACKEND"] = "Agg"  # before matplotlib is imported anywhere
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's platformdirs DeprecationWarning

import pytest

import jurisdex
from jurisdex.cli import main
from jurisdex.plots import NOT_STATED, facet_label
from conftest import ROOT

pd = pytest.importorskip("pandas")

SMUGGLING = {"type": "case", "offences": "smuggling_of_migrants"}


# ---- the corpus, counted in plain Python ----

def values_of(facet: str) -> Callable[[dict], List[str]]:
    """A record's values of a facet, read from its JSON (as RECORDS.md defines them)."""
    def get(r: dict) -> List[str]:
        if facet == "year":
            return [r["date"][:4]] if r.get("date") else []
        if facet == "financial_benefit":
            fb = r.get("financial_benefit") or {}
            return [fb["element"]] if "element" in fb else []
        v = r.get(facet)
        if v is None:
            return []
        return list(v) if isinstance(v, list) else [str(v)]
    return get


def smuggling_cases(records: List[dict]) -> List[dict]:
    return [r for r in records if r["type"] == "case" and "smuggling_of_migrants" in r["offences"]]


def expected_crosstab(records: List[dict], rows: str, cols: str):
    row_of, col_of = values_of(rows), values_of(cols)
    cells: Counter = Counter()
    row_totals: Counter = Counter()
    col_totals: Counter = Counter()
    for r in records:
        rv, cv = set(row_of(r)), set(col_of(r))
        row_totals.update(rv)
        col_totals.update(cv)
        cells.update((a, b) for a in rv for b in cv)
    return cells, row_totals, col_totals, len(records)


def flatten(record: dict) -> Dict[str, object]:
    out = {}
    for k, v in record.items():
        if isinstance(v, dict):
            out.update({f"{k}.{s}": x for s, x in v.items()})
        else:
            out[k] = v
    return out


def missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


@pytest.fixture(scope="module")
def by_id(all_records) -> Dict[str, dict]:
    return {r["id"]: r for r in all_records}


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


# ---- Index.to_pandas ----

def test_to_pandas_has_every_match_and_every_field(corpus_index, all_records, by_id):
    df = corpus_index.to_pandas(type="case")
    cases = [r for r in all_records if r["type"] == "case"]
    assert len(df) == len(cases)
    assert sorted(df["id"]) == sorted(r["id"] for r in cases)
    assert list(df.columns[:3]) == ["rank", "score", "id"]
    assert list(df["rank"]) == list(range(len(cases)))
    fields = {k for r in cases for k in flatten(r) if k != "text"}
    # Beside the records' fields: `year` of `date`, and `cites` as indexed (tested apart).
    assert set(df.columns) - {"rank", "score"} == fields | {"year", "cites"}
    fields.discard("cites")
    assert "financial_benefit.element" in df.columns and "source.url" in df.columns  # dotted, not nested
    for row in df.itertuples(index=False):
        row = dict(zip(df.columns, row))
        expected = flatten(by_id[row["id"]])
        for name in fields:
            if name not in expected:
                assert missing(row[name]), (row["id"], name)
            else:
                assert row[name] == expected[name], (row["id"], name)
                if isinstance(expected[name], list):
                    assert isinstance(row[name], list)  # lists kept as lists
    assert str(df["sentence_months"].dtype) == "Int64"  # whole numbers stay whole despite gaps


def test_to_pandas_follows_the_search_order_and_scores(corpus_index):
    df = corpus_index.to_pandas("shipwreck OR capsized", sort="relevance")
    res = corpus_index.search("shipwreck OR capsized", limit=len(corpus_index))
    assert list(df["id"]) == res.ids() and len(df) == res.total > 0
    assert list(df["score"]) == pytest.approx([h.score for h in res.hits])
    dated = corpus_index.to_pandas(sort="-date", type="legislation")
    assert list(dated["id"]) == corpus_index.search("", sort="-date", type="legislation", limit=1000).ids()


def test_to_pandas_builds_no_python_object_per_record(corpus_index, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("to_pandas must use the core's column export")
    monkeypatch.setattr(jurisdex.results, "Hit", boom)
    monkeypatch.setattr(jurisdex.results, "_flatten", boom)
    monkeypatch.setattr(jurisdex.Index, "get", boom)
    assert len(corpus_index.to_pandas()) == len(corpus_index)


def test_to_pandas_text_only_when_asked(corpus_index, all_records):
    with_text = [r for r in all_records if r.get("text")]
    assert "text" not in corpus_index.to_pandas().columns
    if with_text:
        df = corpus_index.to_pandas(with_text=True)
        got = dict(zip(df["id"], df["text"]))
        assert all(got[r["id"]] == r["text"] for r in with_text)


def test_to_pandas_rejects_bad_sort_and_filters(corpus_index):
    with pytest.raises(jurisdex.QueryError, match="sort"):
        corpus_index.to_pandas(sort="newest")
    with pytest.raises(jurisdex.QueryError, match="smuggling_of_migrants"):
        corpus_index.to_pandas(offences="smuggling_of_migrant")


# ---- Results.to_pandas ----

def test_results_to_pandas_matches_index_to_pandas(corpus_index, by_id):
    res = corpus_index.search("passeur", limit=8)
    df = res.to_pandas()
    assert list(df.columns[:3]) == ["rank", "score", "id"] and df.columns[-1] == "snippet"
    assert list(df["id"]) == res.ids() and list(df["snippet"]) == [h.snippet for h in res.hits]
    assert list(df["rank"]) == [h.rank for h in res.hits]
    full = corpus_index.to_pandas("passeur").head(len(df))
    common = [c for c in df.columns if c != "snippet"]
    assert [c for c in full.columns if c in common] == common  # same columns, same order
    for name in common:
        for a, b in zip(df[name], full[name]):
            assert (missing(a) and missing(b)) or a == b or a == pytest.approx(b), name
    for row in df.itertuples(index=False):
        row = dict(zip(df.columns, row))
        for k, v in flatten(by_id[row["id"]]).items():
            assert row[k] == v if k != "text" else "text" not in row
    assert "text" in res.to_pandas(with_text=True).columns or not any(h.record.get("text") for h in res.hits)


def test_results_to_pandas_of_an_empty_page(corpus_index):
    df = corpus_index.search("passeur", limit=0).to_pandas()
    assert len(df) == 0 and list(df.columns) == ["rank", "score", "snippet"]


# ---- crosstab ----

@pytest.mark.parametrize("rows,cols", [("country", "aggravations"), ("country", "financial_benefit"),
                                       ("offences", "aggravations"), ("year", "outcome")])
def test_crosstab_exact_counts_and_totals(corpus_index, all_records, rows, cols):
    ct = corpus_index.crosstab(rows, cols, **SMUGGLING)
    cells, row_totals, col_totals, total = expected_crosstab(smuggling_cases(all_records), rows, cols)
    assert ct.index.name == rows and ct.columns.name == cols
    assert list(ct.index[:-1]) == sorted(row_totals, key=lambda v: (0, int(v)) if v.isdigit() else (1, v))
    assert set(ct.columns[:-1]) == set(col_totals)
    assert all(str(t) == "int64" for t in ct.dtypes)
    for r in row_totals:
        for c in col_totals:
            assert ct.loc[r, c] == cells[(r, c)], (r, c)
        assert ct.loc[r, "All"] == row_totals[r]
    for c in col_totals:
        assert ct.loc["All", c] == col_totals[c]
    assert ct.loc["All", "All"] == total


def test_crosstab_totals_are_records_not_sums(corpus_index, all_records):
    ct = corpus_index.crosstab("country", "aggravations", **SMUGGLING)
    cases = smuggling_cases(all_records)
    ita = [r for r in cases if r["country"] == "ITA"]
    assert ct.loc["ITA", "All"] == len(ita)
    assert ct.loc["ITA"].drop("All").sum() == sum(len(r.get("aggravations", [])) for r in ita)


def test_crosstab_with_query_and_range(corpus_index, all_records):
    ct = corpus_index.crosstab("type", "language", year=(2015, 2020), margins=False)
    records = [r for r in all_records if r.get("date") and 2015 <= int(r["date"][:4]) <= 2020]
    cells, rt, ct_, total = expected_crosstab(records, "type", "language")
    assert "All" not in ct.index and "All" not in ct.columns
    assert {(r, c): int(ct.loc[r, c]) for r in ct.index for c in ct.columns if ct.loc[r, c]} == dict(cells)
    q = corpus_index.crosstab("type", "country", "shipwreck OR capsized")
    assert q.loc["All", "All"] == corpus_index.search("shipwreck OR capsized", exact_total=True).total


def test_crosstab_normalize(corpus_index, all_records):
    cells, row_totals, col_totals, total = expected_crosstab(smuggling_cases(all_records), "country", "aggravations")
    counts = corpus_index.crosstab(**SMUGGLING)
    for how in (True, "all"):
        t = corpus_index.crosstab(normalize=how, **SMUGGLING)
        assert ((t - counts / total).abs() < 1e-12).all().all()
        assert t.loc["All", "All"] == 1.0
    t = corpus_index.crosstab(normalize="index", **SMUGGLING)
    assert "All" not in t.columns and "All" in t.index
    for (r, c), n in cells.items():
        assert t.loc[r, c] == pytest.approx(n / row_totals[r])
    assert t.loc["All", "death"] == pytest.approx(col_totals["death"] / total)
    t = corpus_index.crosstab(normalize="columns", **SMUGGLING)
    assert "All" not in t.index and "All" in t.columns
    for (r, c), n in cells.items():
        assert t.loc[r, c] == pytest.approx(n / col_totals[c])
    assert t.loc["ITA", "All"] == pytest.approx(row_totals["ITA"] / total)
    t = corpus_index.crosstab(normalize="index", margins=False, **SMUGGLING)
    assert "All" not in t.index and "All" not in t.columns
    with pytest.raises(ValueError, match="normalize"):
        corpus_index.crosstab(normalize="rows")


def test_crosstab_labels_errors_and_heat_map(corpus_index, plt):
    fr = corpus_index.crosstab("country", "aggravations", labels="fr", **SMUGGLING)
    codes = corpus_index.crosstab("country", "aggravations", **SMUGGLING)
    assert fr.loc["Italie", "Mort"] == codes.loc["ITA", "death"]
    assert fr.loc["All", "All"] == codes.loc["All", "All"]
    with pytest.raises(jurisdex.QueryError, match="unknown facet"):
        corpus_index.crosstab("country", "aggravation")
    html = codes.style.background_gradient().to_html()
    assert "background-color" in html and "ITA" in html
    empty = corpus_index.crosstab(country="XKX", type="legislation")
    assert empty.shape == (1, 1) and empty.loc["All", "All"] == 0


# ---- plots ----

def test_plot_facet_bars_sorted_and_labelled(corpus_index, all_records, plt):
    res = corpus_index.search("", facets=["country", "aggravations"], limit=0, **SMUGGLING)
    expected = Counter(r["country"] for r in smuggling_cases(all_records))
    top = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    ax = res.plot_facet("country", lang="fr", top=12)
    assert len(ax.patches) == 12
    assert [p.get_width() for p in ax.patches] == [n for _, n in top]
    assert [t.get_text() for t in ax.get_yticklabels()] == [jurisdex.place_name(c, "fr") for c, _ in top]
    assert ax.yaxis_inverted()  # the most frequent on top
    _, ax2 = plt.subplots()
    agg = Counter(a for r in smuggling_cases(all_records) for a in r.get("aggravations", []))
    assert res.plot_facet("aggravations", ax=ax2) is ax2
    assert len(ax2.patches) == len(agg)
    labels = [t.get_text() for t in ax2.get_yticklabels()]
    assert labels == [facet_label("aggravations", a) for a in sorted(agg, key=lambda a: (-agg[a], a))]
    assert [p.get_width() for p in ax2.patches] == sorted(agg.values(), reverse=True)
    assert "counts once under each" in ax2.get_title(loc="left")
    with pytest.raises(KeyError, match="facets=\\['outcome'\\]"):
        res.plot_facet("outcome")
    with pytest.raises(ValueError, match="top"):
        res.plot_facet("country", top=0)


def test_facet_labels():
    assert facet_label("country", "DEU", "fr") == "Allemagne"
    assert facet_label("language", "nl", "fr") == "Néerlandais"
    assert facet_label("region", "150") == "Europe"
    assert facet_label("financial_benefit", "established") == "Benefit established"
    assert facet_label("aggravations", "death", "fr") == "Mort"
    assert facet_label("court", "Hoge Raad") == "Hoge Raad"
    assert facet_label("aggravations", "no_such_code") == "no_such_code"
    assert facet_label("country", "INT") == "World"


def test_plot_timeline_stacks_records_per_year(corpus_index, all_records, plt):
    cases = smuggling_cases(all_records)
    dated = [r for r in cases if r.get("date")]
    per_year = Counter(int(r["date"][:4]) for r in dated)
    outcomes = Counter(r["outcome"] for r in dated if r.get("outcome"))
    order = Counter(r["outcome"] for r in cases if r.get("outcome"))  # segments: most frequent first
    ax = corpus_index.plot_timeline(stack="outcome", **SMUGGLING)
    years = list(range(min(per_year), max(per_year) + 1))
    labels = [c.get_label() for c in ax.containers]
    expected_labels = [facet_label("outcome", o) for o in sorted(outcomes, key=lambda o: (-order[o], o))]
    assert labels == expected_labels + ([NOT_STATED] if sum(outcomes.values()) < len(dated) else [])
    heights = Counter()
    for container in ax.containers:
        assert len(container) == len(years)
        for bar in container:
            heights[round(bar.get_x() + bar.get_width() / 2)] += bar.get_height()
    assert {y: int(h) for y, h in heights.items() if h} == dict(per_year)
    title = ax.get_title(loc="left")
    assert f"{len(dated)} of {len(cases)} matching records have a year" in title
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == labels


def test_plot_timeline_plain_and_categorical(corpus_index, all_records, plt):
    ax = corpus_index.plot_timeline(stack=None, type="legislation", title="Legislation")
    per_year = Counter(int(r["date"][:4]) for r in all_records if r["type"] == "legislation" and r.get("date"))
    assert len(ax.containers) == 1 and ax.get_legend() is None
    assert sum(b.get_height() for b in ax.containers[0]) == sum(per_year.values())
    assert ax.get_title(loc="left").startswith("Legislation")
    ax = corpus_index.plot_timeline(by="court_level", stack="outcome", type="case")
    levels = Counter(r["court_level"] for r in all_records if r.get("court_level"))
    assert [t.get_text() for t in ax.get_xticklabels()] == sorted(levels)
    totals = [sum(c[i].get_height() for c in ax.containers) for i in range(len(levels))]
    assert totals == [levels[k] for k in sorted(levels)]


def test_plots_need_matplotlib(corpus_index, monkeypatch):
    res = corpus_index.search("", facets=["country"], limit=0)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        res.plot_facet("country")
    with pytest.raises(ImportError, match="pip install matplotlib"):
        corpus_index.plot_timeline()


# ---- HTML ----

def test_results_html_shows_hits_and_facets(corpus_index, by_id):
    res = corpus_index.search("shipwreck", facets=["country", "aggravations"], limit=3)
    page = res._repr_html_()
    for h in res.hits:
        rec = by_id[h.id]
        assert jurisdex.results.html.escape(h.title) in page
        if rec.get("court"):
            assert jurisdex.results.html.escape(rec["court"]) in page
        assert h.country in page and (h.date or "undated") in page
        assert h.snippet in page
    assert "<mark>" in page
    assert f"<b>{res.total}</b> matching records" in page
    top_country, n = next(iter(res.facets["country"].items()))
    assert f"{facet_label('country', top_country)}: {n}" in page
    top_agg, n = next(iter(res.facets["aggravations"].items()))
    assert f"{facet_label('aggravations', top_agg)}: {n}" in page
    passeur = corpus_index.search("passeur", limit=1)
    if passeur.concepts:  # the query names smuggling in French
        assert "also matching the concept" in passeur._repr_html_()
        assert facet_label("offences", "smuggling_of_migrants") in passeur._repr_html_()


def test_results_html_escapes_once(empty_index, record):
    record["title"] = "R v <Smith> & Jones"
    record["summary"] = "The smugglers & their <b>boat</b> were caught."
    empty_index.add(record)
    empty_index.commit()
    page = empty_index.search("smugglers")._repr_html_()
    assert "R v &lt;Smith&gt; &amp; Jones" in page
    assert "&amp; their &lt;b&gt;boat&lt;/b&gt;" in page
    assert "&amp;amp;" not in page and "<b>boat" not in page


def test_index_html(corpus_index):
    page = corpus_index._repr_html_()
    assert corpus_index.path in page and f"{len(corpus_index)} records" in page
    for name, counts in corpus_index.stats()["facets"].items():
        assert f"<th style='text-align:left'>{name}</th>" in page
        value, n = next(iter(counts.items()))
        assert f"{jurisdex.results.html.escape(facet_label(name, value))}</span> {n}" in page


# ---- exports ----

def read_csv(path: Path) -> List[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def csv_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "; ".join(v)
    return "" if v is None else str(v)


def test_export_csv_of_all_matches(corpus_index, all_records, by_id, tmp_path):
    path = tmp_path / "smuggling.csv"
    n = corpus_index.export(path, sort="-date", **SMUGGLING)
    cases = smuggling_cases(all_records)
    rows = read_csv(path)
    assert n == len(rows) == len(cases)
    assert list(rows[0]) == list(corpus_index.to_pandas(**SMUGGLING).columns)
    for i, row in enumerate(rows):
        assert row["rank"] == str(i)
        for k, v in flatten(by_id[row["id"]]).items():
            if k != "text":
                assert row[k] == csv_value(v), (row["id"], k)
    assert [r["id"] for r in rows] == corpus_index.search("", sort="-date", limit=1000, **SMUGGLING).ids()


@pytest.mark.parametrize("suffix", ["jsonl", "json"])
def test_export_json_round_trips(corpus_index, corpus_records, tmp_path, suffix):
    path = tmp_path / f"legislation.{suffix}"
    n = corpus_index.export(path, type="legislation")
    text = path.read_text(encoding="utf-8")
    objects = [json.loads(l) for l in text.splitlines()] if suffix == "jsonl" else json.loads(text)
    assert n == len(objects) == len(corpus_records["legislation"])
    by_id = {r["id"]: r for r in corpus_records["legislation"]}
    for i, obj in enumerate(objects):
        assert obj.pop("rank") == i and isinstance(obj.pop("score"), float)
        expected = {k: v for k, v in by_id[obj["id"]].items() if k != "text"}
        assert obj == expected
        assert list(obj) == list(expected)  # as stored, key order kept
    with pytest.warns(jurisdex.RecordWarning) as warned:  # kept, not indexed, and said so
        assert jurisdex.validate(path) == []  # jurisdex index reads it back
    assert {str(w.message).split("'")[1] for w in warned} == {"rank", "score"}


def test_export_with_text_and_formats(corpus_index, all_records, tmp_path):
    with_text = [r for r in all_records if r.get("text")]
    if with_text:
        r = with_text[0]
        path = tmp_path / "t.out"
        corpus_index.export(path, format="jsonl", with_text=True, country=r["country"], type=r["type"])
        got = {o["id"]: o for o in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
        assert got[r["id"]]["text"] == r["text"]
    with pytest.raises(ValueError, match="suffix"):
        corpus_index.export(tmp_path / "x.txt")
    with pytest.raises(ValueError, match="format must be"):
        corpus_index.export(tmp_path / "x.csv", format="xml")
    assert corpus_index.export(tmp_path / "none.json", "zzzzqqqq") == 0
    assert json.loads((tmp_path / "none.json").read_text()) == []
    assert corpus_index.export(tmp_path / "none.csv", "zzzzqqqq") == 0
    assert (tmp_path / "none.csv").read_text().startswith("rank,score")


def test_results_to_csv_and_jsonl(corpus_index, by_id, tmp_path):
    res = corpus_index.search("capsized OR shipwreck", limit=4)
    assert res.to_csv(tmp_path / "r.csv") == len(res.hits) == 4
    rows = read_csv(tmp_path / "r.csv")
    assert list(rows[0]) == list(res.to_pandas().columns)
    for row, hit in zip(rows, res.hits):
        assert row["id"] == hit.id and row["rank"] == str(hit.rank)
        assert "<mark>" not in row["snippet"] and row["snippet"] == jurisdex.results.plain_snippet(hit.snippet)
        assert row["aggravations"] == csv_value(by_id[hit.id].get("aggravations"))
    assert res.to_jsonl(tmp_path / "r.jsonl") == 4
    lines = [json.loads(l) for l in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    for obj, hit in zip(lines, res.hits):
        assert list(obj)[:3] == ["rank", "score", "snippet"]
        assert {k: v for k, v in obj.items() if k not in ("rank", "score", "snippet")} == hit.record


def test_export_progress_bar(corpus_index, tmp_path, capsys, monkeypatch):
    corpus_index.export(tmp_path / "a.csv", progress=True)  # not attached to a terminal: no bar
    assert capsys.readouterr().err == ""
    corpus_index.export(tmp_path / "a.csv", progress="always")
    err = capsys.readouterr().err
    assert "exporting a.csv" in err and f"{len(corpus_index)}/{len(corpus_index)}" in err
    monkeypatch.setattr(jurisdex.progress, "_attached", lambda: True)
    monkeypatch.setattr(jurisdex.progress, "LARGE_EXPORT", 10)
    corpus_index.export(tmp_path / "a.jsonl", progress=True)
    assert "exporting a.jsonl" in capsys.readouterr().err
    corpus_index.export(tmp_path / "a.jsonl", progress=False)
    assert capsys.readouterr().err == ""


# ---- the command line ----

@pytest.fixture(scope="module")
def db(corpus_index) -> str:
    return corpus_index.path


def test_cli_search_jsonl(capsys, db, corpus_index):
    code = main(["search", "shipwreck", "--db", db, "--limit", "3", "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    hits = [json.loads(l) for l in out.splitlines()]
    assert [h["id"] for h in hits] == corpus_index.search("shipwreck", limit=3).ids()
    assert all(h["record"]["id"] == h["id"] for h in hits) and "<mark>" in hits[0]["snippet"]


def test_cli_export(capsys, db, all_records, tmp_path):
    out_file = tmp_path / "cases.csv"
    code = main(["export", "--db", db, "-o", str(out_file), "--type", "case", "--offence", "smuggling_of_migrants",
                 "--year", "2015..2020", "-q"])
    out, err = capsys.readouterr()
    expected = [r for r in smuggling_cases(all_records) if r.get("date") and 2015 <= int(r["date"][:4]) <= 2020]
    assert code == 0 and err == ""
    assert out.strip() == f"{len(expected)} records written to {out_file}"
    assert sorted(r["id"] for r in read_csv(out_file)) == sorted(r["id"] for r in expected)
    code = main(["export", "passeur", "--db", db, "-o", str(tmp_path / "p.data"), "--format", "jsonl",
                 "--country", "NLD", "-q"])
    lines = (tmp_path / "p.data").read_text(encoding="utf-8").splitlines()
    assert code == 0 and len(lines) == int(capsys.readouterr().out.split()[0]) > 0
    assert all(json.loads(l)["country"] == "NLD" for l in lines)


def test_cli_export_errors(capsys, db, tmp_path):
    assert main(["export", "--db", db]) == 2  # -o is required
    capsys.readouterr()
    assert main(["export", "--db", db, "-o", str(tmp_path / "x.txt")]) == 1
    err = capsys.readouterr().err
    assert "suffix" in err and err.count("\n") == 1
    assert main(["export", "--db", db, "-o", str(tmp_path / "no" / "such" / "dir.csv")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err
    assert main(["export", "--db", db, "-o", str(tmp_path / "y.csv"), "--offence", "smuggling"]) == 1
    assert "smuggling_of_migrants" in capsys.readouterr().err


# ---- the example notebook and the README's figures ----

NOTEBOOK = ROOT / "notebooks" / "explore_smuggling_case_law.ipynb"

CHECK = """
import json as _json
print(_json.dumps({
    "agg": {"index": [str(i) for i in agg.index], "columns": [str(c) for c in agg.columns],
            "data": agg.astype(int).values.tolist()},
    "benefit": {"index": [str(i) for i in benefit.index], "columns": [str(c) for c in benefit.columns],
                "data": benefit.astype(int).values.tolist()},
    "law": {"index": [str(i) for i in law.index], "columns": [str(c) for c in law.columns],
            "data": law.astype(int).values.tolist()},
    "top": [str(c) for c in top],
    "smuggling_total": smuggling.total,
    "passeur_languages": passeur.facets["language"],
    "df_ids": sorted(df["id"]),
    "written": written,
    "similar": [[h.id, h.record["language"]] for h in like.hits],
    "audit_checked": audit.records_checked,
    "audit_counts": audit_counts,
    "audit_by_field": [[f, k, n] for (f, k), n in audit.by_field().items()],
    "audit_missing": [[i, f, str(v)] for i, f, v in missing[["id", "field", "suggested"]].head(10).values.tolist()],
}))
"""


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # A kernel spec that runs this very interpreter, whatever `python` is on PATH.
    kernels = tmp_path_factory.mktemp("jupyter")
    spec = kernels / "kernels" / "jurisdex-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "jurisdex test", "language": "python"}), encoding="utf-8")
    env = {"JUPYTER_PATH": str(kernels), "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(nb, kernel_name="jurisdex-test", timeout=300,
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        with client.setup_kernel():
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            check = nbformat.v4.new_code_cell(CHECK)
            nb.cells.append(check)
            client.execute_cell(check, len(nb.cells) - 1)
            nb.cells.pop()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    values = json.loads("".join(o["text"] for o in check.outputs if o["output_type"] == "stream"))
    return nb, values


def cell(nb, tag: str):
    return next(c for c in nb.cells if tag in c.get("metadata", {}).get("tags", []))


def outputs(c, mime: str) -> str:
    return "".join(o.get("data", {}).get(mime, "") for o in c.outputs)


def test_notebook_runs_cleanly(executed_notebook):
    nb, _ = executed_notebook
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count for c in code_cells)
    for c in code_cells:
        assert not [o for o in c.outputs if o["output_type"] == "error"]
        assert not [o for o in c.outputs if o["output_type"] == "stream" and o["name"] == "stderr"], c.source
    assert "<b>jurisdex index</b>" in outputs(cell(nb, "index"), "text/html")
    assert "<mark>" in outputs(cell(nb, "search"), "text/html")
    for tag in ("facets", "timeline"):
        assert outputs(cell(nb, tag), "image/png"), tag


def test_notebook_crosstab_of_countries_by_aggravation(executed_notebook, all_records):
    nb, values = executed_notebook
    cells, row_totals, col_totals, total = expected_crosstab(smuggling_cases(all_records), "country", "aggravations")
    agg = values["agg"]
    assert agg["index"][-1] == "All" and agg["columns"][-1] == "All"
    assert set(agg["index"][:-1]) == set(row_totals) and set(agg["columns"][:-1]) == set(col_totals)
    for i, r in enumerate(agg["index"]):
        for j, c in enumerate(agg["columns"]):
            if r == "All" and c == "All":
                expected = total
            elif r == "All":
                expected = col_totals[c]
            elif c == "All":
                expected = row_totals[r]
            else:
                expected = cells[(r, c)]
            assert agg["data"][i][j] == expected, (r, c)
    top = sorted(row_totals, key=lambda c: -row_totals[c])[:12]
    assert sorted(values["top"]) == sorted(top) or [row_totals[c] for c in values["top"]] == \
        [row_totals[c] for c in top]
    html = outputs(cell(nb, "crosstab"), "text/html")
    assert "background-color" in html and all(code in html for code in values["top"])
    assert str(total) in html


def test_notebook_benefit_element_by_country(executed_notebook, all_records):
    nb, values = executed_notebook
    cells, row_totals, col_totals, total = expected_crosstab(smuggling_cases(all_records), "country",
                                                             "financial_benefit")
    b = values["benefit"]
    got = {(r, c): b["data"][i][j] for i, r in enumerate(b["index"]) for j, c in enumerate(b["columns"])}
    # dropna=False: the cases that state no element are a column of their own, not left out.
    for r in smuggling_cases(all_records):
        if "financial_benefit" not in r:
            cells[(r["country"], NOT_STATED)] += 1
            col_totals[NOT_STATED] += 1
    assert {k: v for k, v in got.items() if "All" not in k and v} == dict(cells)
    assert got[("All", "All")] == total
    assert {c: got[("All", c)] for c in col_totals} == dict(col_totals)
    html = outputs(cell(nb, "benefit"), "text/html")
    first = values["top"][0]
    assert first in html and "humanitarian_exemption" in html


def test_notebook_law_by_country(executed_notebook, all_records):
    nb, values = executed_notebook
    laws = [r for r in all_records if r["type"] == "legislation" and "smuggling_of_migrants" in r["offences"]]
    t = values["law"]
    got = {(r, c): t["data"][i][j] for i, r in enumerate(t["index"]) for j, c in enumerate(t["columns"])}
    expected = Counter((r["country"], str(r["benefit_required"]).lower() if "benefit_required" in r else NOT_STATED)
                       for r in laws)
    assert {k: v for k, v in got.items() if k[1] in ("true", "false", NOT_STATED) and k[0] != "All" and v} == dict(expected)
    assert got[("All", "All")] == len(laws) and len({r["country"] for r in laws}) >= 30
    assert any(c.startswith("exemption: ") for c in t["columns"])  # humanitarian_exemption beside it


def test_notebook_cross_lingual_and_tables(executed_notebook, all_records):
    nb, values = executed_notebook
    cases = smuggling_cases(all_records)
    assert values["smuggling_total"] == len(cases)
    assert f"{len(cases)} smuggling cases" in "".join(o.get("text", "") for o in cell(nb, "facets").outputs)
    langs = values["passeur_languages"]
    # "passeur" names the smuggling concept: records about it match in every language.
    about = Counter(r["language"] for r in all_records if "smuggling_of_migrants" in r["offences"])
    assert langs.get("nl", 0) >= about["nl"] > 0 and langs.get("en", 0) >= about["en"] > 0
    dutch = outputs(cell(nb, "passeur-hits"), "text/html")
    nl_cases = {r["id"] for r in cases if r["language"] == "nl"}
    assert sum(1 for i in nl_cases if i in dutch) == 3
    assert values["df_ids"] == sorted(r["id"] for r in cases)
    assert values["written"] == len(cases)
    assert "financial_benefit.element" in outputs(cell(nb, "export"), "text/html")


def test_notebook_similar_crosses_languages(executed_notebook):
    nb, values = executed_notebook
    found = dict(values["similar"])
    assert "bel-bruges-2022-essex-lorry-belgian-cell" in found and set(found.values()) - {"de"}
    assert "bel-bruges-2022-essex-lorry-belgian-cell" in outputs(cell(nb, "similar"), "text/html")


def test_make_figures_script(tmp_path):
    pytest.importorskip("matplotlib")
    script = ROOT / "scripts" / "make_figures.py"
    proc = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.returncode == 0, proc.stderr
    names = ("smuggling_aggravations.png", "smuggling_timeline.png")
    assert proc.stdout.split() == [str(tmp_path / n) for n in names]
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= 600 and height >= 300


def test_the_docs_show_the_figures():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    research = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
    assert "docs/figures/smuggling_aggravations.png" in readme
    for name in ("smuggling_aggravations.png", "smuggling_timeline.png"):
        assert f"figures/{name}" in research
        data = (ROOT / "docs" / "figures" / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")


def test_research_page_block_counts_all_matches(corpus_index, plt, tmp_path, monkeypatch):
    page = (ROOT / "docs" / "research.md").read_text(encoding="utf-8")
    block = page.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    namespace = {"idx": corpus_index}
    exec(block, namespace)
    assert namespace["ct"].loc["All", "All"] == namespace["res"].total == len(namespace["df"])
    assert len(read_csv(tmp_path / "smuggling.csv")) == len(namespace["df"])
    assert (tmp_path / "page.csv").exists() and (tmp_path / "page.jsonl").exists()


# ---- plots say what they leave out, count in whole numbers, colour a value alike ----

def test_plots_count_in_whole_numbers_and_name_from_the_vocabulary(corpus_index, plt):
    res = corpus_index.search("", facets=["aggravations"], limit=0, **SMUGGLING)
    ax = res.plot_facet("aggravations")
    assert all(float(t).is_integer() for t in ax.get_xticks())
    assert ax.get_title(loc="left").startswith("Aggravating circumstances")
    ax = corpus_index.plot_timeline(stack="aggravations", **SMUGGLING)
    assert all(float(t).is_integer() for t in ax.get_yticks())
    title = ax.get_title(loc="left").replace("\n", " ")
    assert "have no aggravating circumstances" in title  # records in no segment, counted
    assert "without one are not drawn" in title  # undated records, counted


def test_a_value_has_one_colour_in_every_plot(corpus_index, plt):
    from jurisdex.plots import value_colour
    res = corpus_index.search("", facets=["outcome"], limit=0, type="case")
    bars = res.plot_facet("outcome", lang="en")
    labels = [t.get_text() for t in bars.get_yticklabels()]
    colour = {label: patch.get_facecolor() for label, patch in zip(labels, bars.patches)}
    timeline = corpus_index.plot_timeline(stack="outcome", type="case")
    handles, names = timeline.get_legend_handles_labels()
    legend = {name: handle.patches[0].get_facecolor() for handle, name in zip(handles, names)}
    shared = set(colour) & set(legend)
    assert len(shared) >= 3 and all(colour[k] == legend[k] for k in shared)
    assert value_colour("outcome", "conviction") == value_colour("outcome", "conviction") != value_colour("outcome", "acquittal")


def test_to_pandas_has_the_provisions_cited(corpus_index, all_records):
    df = corpus_index.to_pandas(type="legislation")
    cited = {i: c for i, c in zip(df["id"], df["cites"]) if isinstance(c, list)}
    given = {r["id"]: r["cites"] for r in all_records if r["type"] == "legislation" and r.get("cites")}
    assert all(cited[i] == sorted(c) or set(cited[i]) == set(c) for i, c in given.items())
    assert len(cited) > len(given)  # and those found in the text of the others


def test_timeline_draws_undated_records_at_their_publication_year_only_when_asked(corpus_index, all_records, plt):
    cases = smuggling_cases(all_records)
    undated_published = [r for r in cases if not r.get("date") and r["source"].get("published")]
    assert undated_published
    plain = corpus_index.plot_timeline(**SMUGGLING)
    ax = corpus_index.plot_timeline(undated="published", **SMUGGLING)
    title = ax.get_title(loc="left")
    assert f"{len(undated_published)} undated drawn at their source's publication year" in title
    assert "publication year" not in plain.get_title(loc="left")
    drawn = sum(p.get_height() for c in ax.containers if "source was published" in c.get_label() for p in c.patches)
    assert drawn == len(undated_published)
    with pytest.raises(ValueError):
        corpus_index.plot_timeline(by="country", undated="published", **SMUGGLING)


def test_notebook_audit_of_the_corpus(executed_notebook, corpus_records):
    """The audit section: its counts are those of suggest() run on each case of corpus/cases.jsonl."""
    from jurisdex.suggest import audit_record, suggest

    _, values = executed_notebook
    cases = corpus_records["cases"]
    expected = [f for r in cases for f in audit_record(r, suggest(r))]
    counts: Counter = Counter(f.kind for f in expected)
    by_field: Counter = Counter((f.field, f.kind) for f in expected)
    assert values["audit_checked"] == len(cases)
    assert values["audit_counts"] == dict(counts)
    assert {(f, k): n for f, k, n in values["audit_by_field"]} == dict(by_field)
    missing = {(f.id, f.field, f.suggested) for f in expected if f.kind == "missing"}
    assert values["audit_missing"] and all(tuple(m) in missing for m in values["audit_missing"])
