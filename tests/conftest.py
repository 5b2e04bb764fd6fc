"""Shared fixtures: the shipped corpus, read as plain JSON, and indexes built from it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Dict, List

import pytest

import jurisdex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


def read_jsonl(path: Path) -> List[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus_records() -> Dict[str, List[dict]]:
    """The shipped records by file: cases, legislation, documents."""
    return {name: read_jsonl(CORPUS / f"{name}.jsonl") for name in ("cases", "legislation", "documents")}


@pytest.fixture(scope="session")
def all_records(corpus_records) -> List[dict]:
    return [r for records in corpus_records.values() for r in records]


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> jurisdex.Index:
    """The whole shipped corpus, indexed once per session (read-only handle)."""
    path = tmp_path_factory.mktemp("corpus") / "idx"
    with jurisdex.Index(path, create=True) as idx:
        report = idx.add_files([CORPUS])
    assert report.rejected == [], report.rejected[:3]
    return jurisdex.Index(path)


@pytest.fixture
def record(corpus_records) -> dict:
    """A fresh copy of a real case record, to mutate in a test."""
    return copy.deepcopy(next(r for r in corpus_records["cases"] if r.get("date") and r.get("aggravations")))


@pytest.fixture
def empty_index(tmp_path) -> jurisdex.Index:
    idx = jurisdex.Index(tmp_path / "idx", create=True)
    yield idx
    idx.close()
