"""Opening, writing and reading indexes: upsert, delete, commits, one writer and many readers."""

from __future__ import annotations

import collections
import subprocess
import sys

import pytest

import jurisdex
from jurisdex import IndexLockedError, IndexNotFoundError, JurisdexError


def test_add_get_len_delete_upsert(empty_index, corpus_records):
    records = corpus_records["cases"][:3]
    report = empty_index.add(records)
    assert (report.added, report.replaced, report.rejected) == (3, 0, [])
    assert len(empty_index) == 3
    changed = dict(records[0], title="A changed title")
    assert empty_index.add(changed).replaced == 1
    assert len(empty_index) == 3
    assert empty_index.get(records[0]["id"])["title"] == "A changed title"
    assert empty_index.search('title:"changed title"').ids() == [records[0]["id"]]
    assert empty_index.delete(records[1]["id"]) is True
    assert empty_index.delete(records[1]["id"]) is False
    assert empty_index.get(records[1]["id"]) is None
    assert len(empty_index) == 2
    assert records[1]["id"] not in empty_index.search("", limit=10).ids()


def test_upsert_replaces_old_terms(empty_index, corpus_records):
    record = corpus_records["cases"][0]
    empty_index.add(dict(record, summary="Zanzibar is mentioned here only."))
    assert empty_index.search("zanzibar").total == 1
    empty_index.add(record)
    assert empty_index.search("zanzibar").total == 0


def test_add_files_report_and_persistence(tmp_path):
    from conftest import CORPUS

    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        report = idx.add_files(CORPUS / "legislation.jsonl")
        assert report.added == len(idx) > 0 and report.bytes > 0
        again = idx.add_files([CORPUS / "legislation.jsonl"])
        assert (again.added, again.replaced) == (0, report.added)
    reader = jurisdex.Index(tmp_path / "idx")
    assert len(reader) == report.added
    assert not reader.writable


def test_progress_bar_writes_to_stderr(tmp_path, capsys):
    from conftest import CORPUS

    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add_files(CORPUS / "cases.jsonl", progress="always")
    assert "indexing" in capsys.readouterr().err


def test_missing_index(tmp_path):
    with pytest.raises(IndexNotFoundError, match="no jurisdex index at") as info:
        jurisdex.Index(tmp_path / "nothing")
    assert isinstance(info.value, FileNotFoundError)
    assert info.value.path == str(tmp_path / "nothing")
    with pytest.raises(IndexNotFoundError):
        jurisdex.Index(tmp_path / "nothing", writable=True)
    (tmp_path / "plain").mkdir()
    with pytest.raises(IndexNotFoundError, match="not a jurisdex index"):
        jurisdex.Index(tmp_path / "plain", writable=True)


def test_read_only_handle_refuses_writes(tmp_path, corpus_records):
    jurisdex.Index(tmp_path / "idx", create=True).close()
    reader = jurisdex.Index(tmp_path / "idx")
    with pytest.raises(JurisdexError, match="read-only"):
        reader.add(corpus_records["cases"][0])
    with pytest.raises(JurisdexError, match="read-only"):
        reader.delete("x")


def test_second_writer_is_locked_out(tmp_path):
    path = tmp_path / "idx"
    with jurisdex.Index(path, create=True):
        with pytest.raises(IndexLockedError, match="locked by another writer") as info:
            jurisdex.Index(path, writable=True)
        assert info.value.path == str(path)
        code = "import jurisdex, sys\ntry:\n    jurisdex.Index(sys.argv[1], writable=True)\nexcept jurisdex.IndexLockedError:\n    sys.exit(3)"
        assert subprocess.run([sys.executable, "-c", code, str(path)]).returncode == 3
        assert len(jurisdex.Index(path)) == 0  # readers are welcome meanwhile
    jurisdex.Index(path, writable=True).close()  # and the lock goes with the writer


def test_lock_of_a_killed_writer_does_not_block(tmp_path):
    path = tmp_path / "idx"
    code = "import jurisdex, os, sys\nidx = jurisdex.Index(sys.argv[1], create=True)\nprint('ready', flush=True)\nsys.stdin.read()"
    with subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as writer:
        assert any(line.strip() == "ready" for line in iter(writer.stdout.readline, ""))
        with pytest.raises(IndexLockedError):
            jurisdex.Index(path, writable=True)
        writer.kill()
    jurisdex.Index(path, writable=True).close()


def test_reader_sees_commits_after_reopen(tmp_path, corpus_records):
    path = tmp_path / "idx"
    writer = jurisdex.Index(path, create=True)
    reader = jurisdex.Index(path)
    writer.add(corpus_records["cases"][:2])
    assert len(writer) == 2  # a writer sees its own uncommitted records
    writer.commit()
    reader.reopen()
    assert len(reader) == 2
    writer.close()


def test_facet_counts_follow_commits(tmp_path, corpus_records):
    """Readers count facets from columns read once per index revision: a commit must show."""
    cases = corpus_records["cases"]
    countries = lambda records: dict(collections.Counter(r["country"] for r in records))
    writer = jurisdex.Index(tmp_path / "idx", create=True)
    reader = jurisdex.Index(tmp_path / "idx")
    writer.add(cases[:3])
    writer.commit()
    reader.reopen()
    assert reader.search("", facets=["country"]).facets["country"] == countries(cases[:3])
    writer.add(cases[3:40])
    assert writer.search("", facets=["country"]).facets["country"] == countries(cases[:40])  # its own, uncommitted
    assert reader.search("", facets=["country"]).facets["country"] == countries(cases[:3])  # its snapshot
    writer.commit()
    reader.reopen()
    assert reader.search("", facets=["country"]).facets["country"] == countries(cases[:40])
    writer.delete(cases[0]["id"])
    writer.commit()
    reader.reopen()
    assert reader.search("", facets=["country"]).facets["country"] == countries(cases[1:40])
    writer.close()


def test_closed_index(tmp_path):
    idx = jurisdex.Index(tmp_path / "idx", create=True)
    idx.close()
    with pytest.raises(JurisdexError, match="closed"):
        len(idx)


def test_stats(corpus_index, all_records):
    stats = corpus_index.stats()
    assert stats["records"] == len(all_records)
    assert stats["bytes_on_disk"] > 0
    assert set(stats["languages"]) == {r["language"] for r in all_records}
    assert sum(stats["facets"]["type"].values()) == len(all_records)


def test_a_bulk_add_leaves_the_index_compacted(tmp_path):
    # Records written one by one leave Xapian's blocks part full; a call that writes most of the
    # index compacts it, as the parallel path's merge does: the same size either way.
    from conftest import CORPUS

    def size(path):
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())

    for jobs in (1, 2):
        with jurisdex.Index(tmp_path / f"jobs{jobs}", create=True) as idx:
            idx.add_files([CORPUS], jobs=jobs)
    assert size(tmp_path / "jobs1") <= 1.1 * size(tmp_path / "jobs2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs1", "jobs2"]  # no work folders left
    with jurisdex.Index(tmp_path / "jobs1") as idx:
        assert idx.search("passeur").total == jurisdex.Index(tmp_path / "jobs2").search("passeur").total > 0
