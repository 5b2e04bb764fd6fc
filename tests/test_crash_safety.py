"""Crash safety: an indexing process killed with SIGKILL at random moments never loses a commit.

A child process indexes the shipped corpus in chunks of CHUNK records, each chunk with add_files
(every other round through the command line's code, `jurisdex index`) and a batch size of BATCH,
so that it commits every BATCH records and at the end of each chunk, and prints a line after
each chunk. The parent kills it at a random moment, then checks that the index opens, holds
exactly the records of a commit point no earlier than the last chunk it was told of (records
go in a known order, so the records of a commit are a prefix of that order), passes
`xapian-check`, and that indexing resumes from there. The last round runs to the end.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

import pytest

import jurisdex

from conftest import CORPUS, ROOT

ROUNDS = int(os.environ.get("JURISDEX_CRASH_ROUNDS", "12"))
CHUNK = 20  # records per add_files call
BATCH = 7   # records per commit inside a call

CHILD = r"""
import sys
from pathlib import Path
import jurisdex
from jurisdex import cli
index, chunks, start, use_cli = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
files = sorted(chunks.glob("*.jsonl"))
if not use_cli:
    idx = jurisdex.Index(index, create=True)
print("ready", flush=True)
for k in range(start, len(files)):
    if use_cli:
        code = cli.main(["index", str(files[k]), "--db", index, "--batch-size", sys.argv[5], "-q"])
        assert code == 0, code
    else:
        report = idx.add_files([files[k]], batch_size=int(sys.argv[5]))
        assert not report.rejected, report.rejected
    print(f"committed {k}", flush=True)
print("done", flush=True)
"""


def all_ids(path: Path) -> List[str]:
    idx = jurisdex.Index(path)
    return idx.search("", limit=100_000, exact_total=True).ids()


def commit_points(chunks: int, total: int) -> List[int]:
    """Record counts at which a commit happens: every BATCH records inside a chunk, and its end."""
    points = {0}
    for c in range(chunks):
        first, last = c * CHUNK, min((c + 1) * CHUNK, total)
        points.update(range(first + BATCH, last, BATCH))
        points.add(last)
    return sorted(points)


def xapian_check(path: Path) -> None:
    tool = shutil.which("xapian-check")
    if tool is None:
        return  # xapian-tools is not installed; the other checks still run
    # A system tool, not the code under test: not under the sanitizers test_sanitizers.py preloads
    # (ASan reports a new/delete size mismatch inside libxapian's own checker).
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    run = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "No errors found" in run.stdout, run.stdout[-2000:]


@pytest.fixture(scope="module")
def chunked_corpus(tmp_path_factory):
    """The corpus as chunk files, and every record in the order it is indexed."""
    folder = tmp_path_factory.mktemp("chunks")
    lines = [line for name in ("cases.jsonl", "legislation.jsonl", "documents.jsonl")
             for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    for k in range(0, len(lines), CHUNK):
        (folder / f"chunk-{k // CHUNK:04d}.jsonl").write_text("\n".join(lines[k:k + CHUNK]) + "\n", encoding="utf-8")
    return folder, [json.loads(line) for line in lines]


def start_child(index: Path, chunks: Path, start: int, use_cli: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(index), str(chunks), str(start), "1" if use_cli else "0",
                             str(BATCH)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def wait_for_line(proc: subprocess.Popen, expected: str, timeout: float) -> None:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"child said nothing in {timeout} s"
    line = proc.stdout.readline().strip()
    assert line == expected, (line, proc.stderr.read() if proc.poll() is not None else "")


def test_sigkill_at_random_moments_never_loses_a_commit(chunked_corpus, tmp_path):
    chunks, records = chunked_corpus
    order = [r["id"] for r in records]
    n_chunks = -(-len(records) // CHUNK)
    points = commit_points(n_chunks, len(records))
    seed = int(os.environ.get("JURISDEX_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    index = tmp_path / "crash index"
    survived = killed_mid_chunk = 0
    for round_ in range(ROUNDS + 1):
        last_round = round_ == ROUNDS
        done = len(all_ids(index)) if index.exists() else 0
        if done == len(records) and not last_round:
            shutil.rmtree(index)  # finished: start again, so every round kills a running ingest
            done = 0
        start = done // CHUNK  # resume at the first chunk not wholly committed
        child = start_child(index, chunks, start, use_cli=round_ % 2 == 1)
        try:
            wait_for_line(child, "ready", 60)
            if last_round:
                out, err = child.communicate(timeout=300)
                assert child.returncode == 0, err
            else:
                time.sleep(rng.uniform(0, 1.2))  # the random moment; what follows does not depend on it
                child.send_signal(signal.SIGKILL)
                out, err = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        told = [int(line.split()[1]) for line in out.splitlines() if line.startswith("committed ")]
        at_least = min((told[-1] + 1) * CHUNK, len(records)) if told else start * CHUNK
        at_most = min(at_least + CHUNK, len(records))

        ids = all_ids(index)  # the index opens
        context = f"seed {seed}, round {round_}, resumed at chunk {start}, told {told[-1:]}, {len(ids)} records"
        assert len(ids) in points and at_least <= len(ids) <= at_most, context
        assert sorted(ids) == sorted(order[:len(ids)]), context  # exactly the records of that commit
        idx = jurisdex.Index(index)
        for i in {0, len(ids) // 2, len(ids) - 1} if ids else ():
            assert idx.get(order[i]) == records[i], context
        xapian_check(index)
        if last_round:
            assert len(ids) == len(records), context
        else:
            survived += 1
            killed_mid_chunk += len(ids) not in (at_least, at_most)
    print(f"crash safety: {ROUNDS} kills survived (seed {seed}; {killed_mid_chunk} between commits of one chunk)")
    assert survived == ROUNDS


def test_a_killed_ingest_leaves_no_lock(chunked_corpus, tmp_path):
    """Right after a SIGKILL, another writer opens the index at once."""
    chunks, _ = chunked_corpus
    index = tmp_path / "idx"
    child = start_child(index, chunks, 0, use_cli=False)
    try:
        wait_for_line(child, "ready", 60)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        child.stdout.close()
        child.stderr.close()
    started = time.monotonic()
    with jurisdex.Index(index, writable=True) as idx:
        idx.add_files([sorted(chunks.glob("*.jsonl"))[0]])
    assert time.monotonic() - started < 10
    xapian_check(index)
