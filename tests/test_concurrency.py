"""Concurrency: one writer, several readers, in separate processes, for a few seconds.

The writer adds batches of N real records (new ids), each batch marked by a keyword, and commits
after each batch. Readers search all along, reopening only now and then so that the writer's
commits overtake their snapshot (the core then reopens by itself). A reader must never see an
error, nor a half batch: every count is a multiple of N and every batch marker counts N records.
A second writer is refused at once, and a writer killed with SIGKILL leaves no lock behind.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

import pytest

import jurisdex

from conftest import CORPUS, ROOT

N = 7             # records per batch
SECONDS = float(os.environ.get("JURISDEX_CONCURRENCY_SECONDS", "3"))
READERS = 3

WRITER = r"""
import json, sys, time
import jurisdex
path, corpus, n, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
records = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
idx = jurisdex.Index(path, writable=True)
print("ready", flush=True)
end = time.monotonic() + seconds
batch = 0
while time.monotonic() < end:
    group = []
    for j in range(n):
        r = dict(records[(batch * n + j) % len(records)])
        r["id"] = f"{r['id']}~b{batch}-{j}"
        r["keywords"] = list(r.get("keywords", [])) + [f"batch-{batch:05d}"]
        group.append(r)
    idx.add(group)
    idx.commit()
    print(f"batch {batch}", flush=True)
    batch += 1
idx.close()
print("done", flush=True)
"""

READER = r"""
import json, sys, time
import jurisdex
path, n, stop_file, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
idx = jurisdex.Index(path)
errors, counts, checks = [], set(), 0
end = time.monotonic() + seconds
import os
while time.monotonic() < end and not os.path.exists(stop_file):
    checks += 1
    try:
        if checks % 5 == 0:
            idx.reopen()
        size = len(idx)
        if size % n:
            errors.append(f"len() = {size}, not a multiple of {n}")
        res = idx.search("", facets=["keywords"], limit=3, exact_total=True)
        counts.add(res.total)
        if res.total % n:
            errors.append(f"total {res.total}, not a multiple of {n}")
        partial = {k: v for k, v in res.facets["keywords"].items() if k.startswith("batch-") and v != n}
        if partial:
            errors.append(f"half batches: {partial}")
        for hit in res.hits:
            if hit.record["id"] != hit.id:
                errors.append(f"record of {hit.id} is {hit.record['id']}")
        idx.search("passeur OR smuggling", limit=5, country=["ITA", "GRC"])
    except BaseException as e:
        errors.append(f"{type(e).__name__}: {e}")
print(json.dumps({"checks": checks, "errors": errors[:20], "counts": sorted(counts)}), flush=True)
"""


def start(script: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def wait_for_line(proc: subprocess.Popen, expected: str, timeout: float = 60) -> None:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"no '{expected}' in {timeout} s"
    line = proc.stdout.readline().strip()
    assert line == expected, (line, proc.stderr.read() if proc.poll() is not None else "")


@pytest.fixture
def index_path(tmp_path):
    path = tmp_path / "shared index"
    jurisdex.Index(path, create=True).close()
    return path


def test_one_writer_many_readers(index_path, tmp_path):
    stop_file = tmp_path / "stop"
    writer = start(WRITER, index_path, CORPUS / "cases.jsonl", N, SECONDS)
    readers = []
    try:
        wait_for_line(writer, "ready")
        readers = [start(READER, index_path, N, stop_file, SECONDS + 60) for _ in range(READERS)]

        # While the writer holds the index, a second writer is refused at once, naming the path.
        started = time.monotonic()
        with pytest.raises(jurisdex.IndexLockedError) as info:
            jurisdex.Index(index_path, writable=True)
        assert time.monotonic() - started < 2
        assert str(index_path) in str(info.value) and info.value.path == str(index_path)

        out, err = writer.communicate(timeout=SECONDS + 60)
        assert writer.returncode == 0, err
        stop_file.touch()
        summaries = []
        for r in readers:
            r_out, r_err = r.communicate(timeout=60)
            assert r.returncode == 0, r_err
            summaries.append(json.loads(r_out))
    finally:
        for p in [writer, *readers]:
            if p.poll() is None:
                p.kill()
                p.communicate()
    batches = sum(1 for line in out.splitlines() if line.startswith("batch "))
    assert batches >= 3, out
    assert len(jurisdex.Index(index_path)) == batches * N
    for s in summaries:
        assert s["errors"] == [], s["errors"]
        assert s["checks"] > 0
    seen = set().union(*(s["counts"] for s in summaries))
    assert len(seen) > 1, f"the readers never saw the index change: {seen}"  # they overlapped the writer
    print(f"concurrency: {batches} batches of {N}; reader checks {[s['checks'] for s in summaries]}; "
          f"{len(seen)} distinct totals seen")


def test_a_killed_writer_leaves_no_stale_lock(index_path):
    writer = start(WRITER, index_path, CORPUS / "cases.jsonl", N, 60)
    try:
        wait_for_line(writer, "ready")
        wait_for_line(writer, "batch 0")
        with pytest.raises(jurisdex.IndexLockedError):
            jurisdex.Index(index_path, writable=True)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.communicate()
    started = time.monotonic()
    with jurisdex.Index(index_path, writable=True) as idx:  # at once: no retry loop
        assert len(idx) % N == 0 and len(idx) >= N
    assert time.monotonic() - started < 2
