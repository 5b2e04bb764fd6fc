"""The documentation: every Python example of the README and of docs/ runs on the shipped corpus
(`expr  # literal` lines must hold), every public name is documented, and every link resolves."""

from __future__ import annotations

import ast
import inspect
import os
import re
from pathlib import Path

import pytest

import jurisdex
from conftest import CORPUS, ROOT

os.environ.setdefault("MPLBACKEND", "Agg")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(page: Path):
    text = page.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


EXAMPLES = [(page, i) for page in PAGES for i, _ in enumerate(python_blocks(page))]


@pytest.mark.parametrize("page, i", EXAMPLES, ids=[f"{p.name}-{i}" for p, i in EXAMPLES])
def test_every_python_example_runs(page, i, corpus_index, tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    block = python_blocks(page)[i].replace('"/tmp/jurisdex-index"', repr(corpus_index.path))
    monkeypatch.chdir(tmp_path)
    namespace = {"idx": corpus_index, "jurisdex": jurisdex, "CORPUS": CORPUS}
    lines = block.splitlines()
    for node in ast.parse(block).body:
        code = ast.get_source_segment(block, node)
        exec(compile(code, f"{page.name}[{i}]", "exec"), namespace)
        comment = lines[node.end_lineno - 1].partition("  # ")[2].strip()
        if not isinstance(node, ast.Expr) or not comment:
            continue
        try:
            expected = ast.literal_eval(comment)
        except (ValueError, SyntaxError):
            continue  # prose, not a value
        if "..." in comment:
            continue  # an illustration of the shape, not the value
        assert eval(compile(ast.Expression(node.value), page.name, "eval"), namespace) == expected, code
    import matplotlib.pyplot as plt
    plt.close("all")


def test_every_public_name_is_documented():
    doc = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    missing = [n for n in jurisdex.__all__ if f"`jurisdex.{n}`" not in doc]
    members = {jurisdex.Index: [n for n, _ in inspect.getmembers(jurisdex.Index) if not n.startswith("_")],
               jurisdex.Results: [n for n, _ in inspect.getmembers(jurisdex.Results) if not n.startswith("_")]
               + ["total", "hits", "facets", "concepts"],
               jurisdex.Hit: ["id", "score", "rank", "title", "country", "date", "snippet", "record"],
               jurisdex.IngestReport: ["added", "replaced", "rejected", "warnings", "bytes"],
               jurisdex.Rejection: list(jurisdex.Rejection._fields)}
    for cls, names in members.items():
        missing += [f"{cls.__name__}.{n}" for n in names if f"`{cls.__name__}.{n}`" not in doc]
    assert missing == []


def test_links_resolve():
    broken = []
    for page in PAGES + [ROOT / "corpus" / "README.md"]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                broken.append(f"{page.name}: {target}")
    assert broken == []


def test_readme_is_a_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 200
    for page in ("python", "research", "languages", "cli", "records", "scale", "install", "benchmarks"):
        assert f"docs/{page}.md" in readme
