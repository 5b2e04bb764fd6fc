"""The package itself: version, public names, type stubs, docstring examples."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

import jurisdex
from conftest import ROOT

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_version_comes_from_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert jurisdex.__version__ == project["version"]


def test_one_version_everywhere(capsys):
    """pyproject.toml's version reaches the module (SKBUILD_PROJECT_VERSION), the command line and
    the installed metadata; test_wheel.py checks the wheel's METADATA too."""
    from importlib.metadata import version

    from jurisdex.cli import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"jurisdex {jurisdex.__version__}"
    assert version("jurisdex") == jurisdex.__version__


def test_public_names():
    for name in jurisdex.__all__:
        assert hasattr(jurisdex, name), name
    assert issubclass(jurisdex.RecordError, jurisdex.JurisdexError)
    assert issubclass(jurisdex.QueryError, jurisdex.JurisdexError)
    assert issubclass(jurisdex.IndexLockedError, jurisdex.JurisdexError)
    assert issubclass(jurisdex.IndexNotFoundError, jurisdex.JurisdexError)
    assert "offences" in jurisdex.FACETS and "region" in jurisdex.FACETS


@pytest.mark.parametrize("module", ["jurisdex", "jurisdex.index", "jurisdex.results", "jurisdex.vocabulary"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_type_stubs_are_current(tmp_path):
    pytest.importorskip("pybind11_stubgen")
    subprocess.run([sys.executable, "-m", "pybind11_stubgen", "jurisdex._core", "-o", str(tmp_path)], check=True,
                   capture_output=True)
    generated = (tmp_path / "jurisdex" / "_core.pyi").read_text()
    committed = (ROOT / "python" / "jurisdex" / "_core.pyi").read_text()
    assert generated == committed, "regenerate: pybind11-stubgen jurisdex._core -o python/"


def test_vocabulary_ships_with_the_package():
    assert jurisdex.default_vocabulary_path().endswith("vocabulary.json")


def test_icu_names():
    assert jurisdex.place_name("ITA", "fr") == "Italie"
    assert jurisdex.place_name("150") == "Europe"
    assert jurisdex.language_name("nl", "de") == "Niederländisch"
    assert jurisdex.region_of("NGA") == "002"


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_corpus_table_is_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import corpus_table
    finally:
        sys.path.pop(0)
    assert corpus_table.table(corpus_table.load()) in readme(), "run: python3 scripts/corpus_table.py --write"


def test_readme_python_tour_runs_and_its_values_hold(corpus_index):
    """Runs the README's first Python block on the corpus index; `expr  # literal` lines must hold."""
    import ast

    block = readme().split("```python\n", 1)[1].split("```", 1)[0]
    block = block.replace('"/tmp/jurisdex-index"', repr(corpus_index.path))
    namespace: dict = {}
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        if not code.strip() or code.lstrip().startswith("#"):
            continue
        exec(code, namespace)
        try:
            expected = ast.literal_eval(comment.strip())
        except (ValueError, SyntaxError):
            continue
        if isinstance(expected, str) and "…" in expected:
            continue
        assert eval(code, namespace) == expected, code


def test_readme_command_line_example_is_current(corpus_index, capsys, monkeypatch):
    """The README's `$ jurisdex search ...` block is what the command prints (at 100 columns)."""
    import shlex

    from jurisdex.cli import main

    block = readme().split("```\n$ jurisdex ", 1)[1].split("```", 1)[0]
    command, expected = block.split("\n", 1)
    argv = [corpus_index.path if a == "/tmp/jurisdex-index" else a for a in shlex.split(command)]
    monkeypatch.setenv("COLUMNS", "100")
    assert main(argv) == 0
    assert capsys.readouterr().out == expected
