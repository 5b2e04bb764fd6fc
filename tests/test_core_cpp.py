"""Builds the C++ core's own tests (no Python in them) with CMake and runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


def tool(name: str):
    """A build tool beside this interpreter (pip's cmake and ninja in a venv), or on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


@pytest.mark.skipif(tool("cmake") is None, reason="cmake is not installed")
def test_core_without_python(tmp_path_factory):
    build = tmp_path_factory.mktemp("cpp-build")
    generator = ["-G", "Ninja", f"-DCMAKE_MAKE_PROGRAM={tool('ninja')}"] if tool("ninja") else []
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2))
    subprocess.run([tool("cmake"), "-S", str(ROOT), "-B", str(build), *generator, "-DJURISDEX_BUILD_TESTS=ON",
                    "-DCMAKE_BUILD_TYPE=Debug"], check=True, capture_output=True, env=env)
    subprocess.run([tool("cmake"), "--build", str(build), "--target", "jurisdex_core_tests"], check=True,
                   capture_output=True, env=env)
    run = subprocess.run([str(build / "jurisdex_core_tests"), str(CORPUS / "vocabulary.json")], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(", 0 failed")
