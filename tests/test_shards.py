"""Scale: parallel ingest, shards opened as one (local and served over Xapian's remote
protocol), and the serve command. A sharded view must answer exactly as one index does."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys

import pytest

import jurisdex
from jurisdex import IndexNotFoundError
from jurisdex.cli import main
from serving import free_port, wait_until_serving

QUERIES = ["smuggling", "passeur camion", "traite des êtres humains", '"people smuggling"', "boat AND death",
           "menschenhandel", "", "trafficking NOT sexual"]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory, all_records):
    """One index of every record, and two shards holding alternate records (so the combined
    document order is the single index's)."""
    root = tmp_path_factory.mktemp("shards")
    files = {name: root / f"{name}.jsonl" for name in ("all", "a", "b")}
    lines = [json.dumps(r, ensure_ascii=False) for r in all_records]
    files["all"].write_text("\n".join(lines), encoding="utf-8")
    files["a"].write_text("\n".join(lines[0::2]), encoding="utf-8")
    files["b"].write_text("\n".join(lines[1::2]), encoding="utf-8")
    paths = {}
    for name, f in files.items():
        paths[name] = str(root / f"idx-{name}")
        with jurisdex.Index(paths[name], create=True) as idx:
            idx.add_files(f)
    return paths


def same_answers(single: jurisdex.Index, other: jurisdex.Index):
    for q in QUERIES:
        for kwargs in ({}, {"sort": "-date"}, {"country": ["ITA", "GRC", "NLD"]}, {"year": (2010, 2020)}):
            a = single.search(q, facets=["country", "offences", "aggravations"], limit=15, **kwargs)
            b = other.search(q, facets=["country", "offences", "aggravations"], limit=15, **kwargs)
            assert (a.total, a.ids(), a.facets) == (b.total, b.ids(), b.facets), (q, kwargs)
            assert [h.snippet for h in a.hits] == [h.snippet for h in b.hits]
            assert [round(h.score, 9) for h in a.hits] == [round(h.score, 9) for h in b.hits]
    # The research functions: crosstab counts pairs, to_pandas reads every match.
    for kwargs in ({}, {"type": "case", "year": (2010, 2020)}):
        a = single.crosstab("country", "aggravations", "smuggling", **kwargs)
        b = other.crosstab("country", "aggravations", "smuggling", **kwargs)
        assert a.equals(b) and a.loc["All", "All"] > 0, kwargs
    assert single.to_pandas("boat", sort="-date").equals(other.to_pandas("boat", sort="-date"))
    some = single.search("smuggling", limit=3).ids()
    for rid in some:
        assert single.similar(rid, limit=5).ids() == other.similar(rid, limit=5).ids()
        assert single.get(rid) == other.get(rid)
    assert len(single) == len(other)


def test_local_shards_answer_as_one_index(layouts):
    same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index.open_shards([layouts["a"], layouts["b"]]))


@pytest.mark.skipif(shutil.which("xapian-tcpsrv") is None, reason="xapian-tools is not installed")
def test_remote_shards_answer_as_one_index(layouts, tmp_path):
    servers, ports = [], []
    try:
        for shard in (layouts["a"], layouts["b"], layouts["all"]):
            port = free_port()
            servers.append(subprocess.Popen([sys.executable, "-m", "jurisdex", "serve", "--db", shard, "--port",
                                             str(port)], stderr=subprocess.PIPE, text=True))
            ports.append(port)
        for port, server in zip(ports, servers):
            wait_until_serving(port, server)
        addresses = [f"tcp://127.0.0.1:{p}" for p in ports[:2]]
        same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index.open_shards(addresses))
        jurisdex.Index.write_stub(tmp_path / "remote.stub", addresses)
        assert (tmp_path / "remote.stub").read_text().split() == ["remote", f"127.0.0.1:{ports[0]}", "remote",
                                                                   f"127.0.0.1:{ports[1]}"]
        same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index(tmp_path / "remote.stub"))
        # One remote database, as such, by a stub, and by a stub naming that stub: facets are
        # counted by Xapian's own spy, the only kind a server runs.
        whole = f"tcp://127.0.0.1:{ports[2]}"
        same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index.open_shards([whole]))
        jurisdex.Index.write_stub(tmp_path / "whole.stub", [whole])
        (tmp_path / "nested.stub").write_text(f"auto {tmp_path / 'whole.stub'}\n")
        for stub in ("whole.stub", "nested.stub"):
            same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index(tmp_path / stub))
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        codes = [server.wait(timeout=20) for server in servers]
        for server in servers:
            server.stderr.close()
    assert codes == [0, 0, 0]  # clean shutdown on SIGTERM


def test_stub_file_opens_shards_by_path(layouts, tmp_path, capsys):
    stub = tmp_path / "sharded.stub"
    jurisdex.Index.write_stub(stub, [layouts["a"], layouts["b"]])
    assert stub.read_text().splitlines() == [f"auto {layouts['a']}", f"auto {layouts['b']}"]
    same_answers(jurisdex.Index(layouts["all"]), jurisdex.Index(stub))
    assert main(["search", "smuggling", "--db", str(stub), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == jurisdex.Index(layouts["all"]).search("smuggling").total
    with pytest.raises(IndexNotFoundError):
        jurisdex.Index.write_stub(tmp_path / "bad.stub", [layouts["a"], str(tmp_path / "missing")])
    assert not (tmp_path / "bad.stub").exists()


def test_open_shards_errors(tmp_path, layouts):
    with pytest.raises(IndexNotFoundError, match="nope"):
        jurisdex.Index.open_shards([layouts["a"], str(tmp_path / "nope")])
    with pytest.raises(IndexNotFoundError, match="cannot reach"):
        jurisdex.Index.open_shards([f"tcp://127.0.0.1:{free_port()}"])
    with pytest.raises(IndexNotFoundError, match="tcp://HOST:PORT"):
        jurisdex.Index.open_shards(["tcp://127.0.0.1"])


def test_serve_errors(capsys, layouts, tmp_path):
    assert main(["serve", "--db", str(tmp_path / "missing"), "--port", str(free_port())]) == 1
    assert "no jurisdex index" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--db", layouts["a"], "--port", str(taken.getsockname()[1])]) == 1
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
    assert main(["serve", "--db", layouts["a"], "--port", "70000"]) == 2


def test_serve_without_xapian_tcpsrv_says_what_to_install(capsys, layouts, tmp_path, monkeypatch):
    from jurisdex import cli

    monkeypatch.setattr(cli, "__file__", str(tmp_path / "cli.py"))  # no bundled jurisdex/bin/xapian-tcpsrv
    monkeypatch.setenv("PATH", str(tmp_path))                        # and none on PATH
    assert main(["serve", "--db", layouts["a"], "--port", str(free_port())]) == 1
    err = capsys.readouterr().err
    assert "xapian-tcpsrv is not installed" in err and "apt-get install xapian-tools" in err


def test_serve_prefers_the_bundled_xapian_tcpsrv(tmp_path, monkeypatch):
    from jurisdex import cli

    (tmp_path / "bin").mkdir()
    bundled = tmp_path / "bin" / "xapian-tcpsrv"
    bundled.write_text("#!/bin/sh\n")
    bundled.chmod(0o755)
    monkeypatch.setattr(cli, "__file__", str(tmp_path / "cli.py"))
    assert cli._tcpsrv() == str(bundled)


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_ingest_equals_serial(tmp_path, layouts, corpus_records, jobs):
    from conftest import CORPUS

    with jurisdex.Index(tmp_path / "p", create=True) as idx:
        report = idx.add_files([CORPUS], jobs=jobs)
        assert (report.added, report.replaced, report.rejected) == (sum(map(len, corpus_records.values())), 0, [])
    parallel, single = jurisdex.Index(tmp_path / "p"), jurisdex.Index(layouts["all"])
    for q in QUERIES:
        a = single.search(q, facets=["country", "offences"], limit=None)
        b = parallel.search(q, facets=["country", "offences"], limit=None)
        assert a.total == b.total and a.facets == b.facets and set(a.ids()) == set(b.ids())


def test_parallel_ingest_replaces_and_keeps(tmp_path, corpus_records):
    cases = corpus_records["cases"]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in cases[:100]), encoding="utf-8")
    changed = [dict(r, title=r["title"] + " (revised)") for r in cases[50:150]]
    second.write_text("\n".join(json.dumps(r) for r in changed + changed[:10] + changed[60:65]), encoding="utf-8")
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        assert idx.add_files(first, jobs=2).added == 100
        report = idx.add_files(second, jobs=2)
        # 50 existed; 10 of those and 5 new ones repeated in the file
        assert (report.added, report.replaced) == (50, 65)
        assert len(idx) == 150
        assert idx.get(cases[60]["id"])["title"].endswith("(revised)")
        assert idx.search('"revised"', limit=1000).total == 100
        assert not (tmp_path / "idx.ingest").exists() and not (tmp_path / "idx.old").exists()


def test_cli_jobs(tmp_path, capsys):
    from conftest import CORPUS

    assert main(["index", str(CORPUS / "cases.jsonl"), "--db", str(tmp_path / "i"), "--jobs", "2", "-q"]) == 0
    assert "0 rejected" in capsys.readouterr().out
