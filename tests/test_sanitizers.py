"""Sanitizers: the C++ core tests and a representative part of the Python suite run clean under
AddressSanitizer and UndefinedBehaviorSanitizer (CMake option JURISDEX_SANITIZE).

1. cpp/tests/core_tests.cc built with -DJURISDEX_SANITIZE=ON, run with leak detection on and
   every UBSan report fatal.
2. The pybind11 module built with -DJURISDEX_SANITIZE=ON into a temporary package (the Python
   sources of python/jurisdex beside it), then pytest on the files in PYTHON_SUBSET, with libasan
   (and libstdc++) preloaded (a Python not built with ASan must load the runtime first) and
   PYTHONMALLOC=malloc (so Python's own objects sit in ASan-checked memory). Leak detection is
   off for this run: CPython keeps interned strings, modules and caches alive until exit on
   purpose, so LeakSanitizer would report them, not leaks of jurisdex; leaks of the core are what
   run 1 checks. UBSan reports are fatal in both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jurisdex

from conftest import CORPUS, ROOT
from test_core_cpp import tool

# Files of the suite run against the sanitized module: indexing, search, records, analysis,
# the hostile inputs and concurrency. Slow-by-design cases are left out (see DESELECT).
PYTHON_SUBSET = ["test_index.py", "test_search.py", "test_records.py", "test_analysis.py", "test_cli.py",
                 "test_package.py", "test_hostile_records.py", "test_hostile_queries.py", "test_concurrency.py",
                 "test_crash_safety.py"]
DESELECT = "not too_big_for_the_matcher and not 10MB"  # minutes under ASan; their bugs are not memory bugs

SANITIZER_ENV = {
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    "LSAN_OPTIONS": f"suppressions={ROOT / 'cpp' / 'fuzz' / 'lsan.supp'}",  # a leak inside Xapian's parser
}


def project_version() -> str:
    match = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    return match.group(1) if match else "0"


@pytest.fixture(scope="module")
def sanitized_build(tmp_path_factory) -> Path:
    """One build of the core (compiled once) for both the C++ tests and the Python module."""
    import pybind11

    build = tmp_path_factory.mktemp("asan-build")
    generator = ["-G", "Ninja", f"-DCMAKE_MAKE_PROGRAM={tool('ninja')}"] if tool("ninja") else []
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2))
    run = subprocess.run([tool("cmake"), "-S", str(ROOT), "-B", str(build), *generator, "-DJURISDEX_SANITIZE=ON",
                          "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DJURISDEX_BUILD_TESTS=ON", "-DJURISDEX_BUILD_PYTHON=ON",
                          # the names scikit-build-core gives, so the module knows its version
                          "-DSKBUILD_PROJECT_NAME=jurisdex", f"-DSKBUILD_PROJECT_VERSION={project_version()}",
                          f"-DPython_EXECUTABLE={sys.executable}", f"-Dpybind11_DIR={pybind11.get_cmake_dir()}"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    run = subprocess.run([tool("cmake"), "--build", str(build), "--target", "jurisdex_core_tests", "_core"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]
    return build


def runtime(name: str) -> str:
    """A runtime library of the compiler CMake uses (g++ by default), or ""."""
    cxx = os.environ.get("CXX") or shutil.which("c++") or "g++"
    try:
        out = subprocess.run([cxx, f"-print-file-name={name}"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
    return out if out and os.path.isabs(out) and os.path.exists(out) else ""


def libasan() -> str:
    return runtime("libasan.so")


def sanitizer_report(text: str) -> bool:
    return any(s in text for s in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"))


pytestmark = pytest.mark.skipif(tool("cmake") is None or not libasan(), reason="cmake or libasan is missing")


def test_core_tests_under_sanitizers(sanitized_build):
    build = sanitized_build
    env = dict(os.environ, **SANITIZER_ENV, ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1")
    run = subprocess.run([str(build / "jurisdex_core_tests"), str(CORPUS / "vocabulary.json")], capture_output=True,
                         text=True, env=env, timeout=600)
    assert run.returncode == 0 and not sanitizer_report(run.stderr), run.stderr[-6000:]
    assert run.stdout.strip().endswith(", 0 failed")


def test_python_suite_under_sanitizers(sanitized_build):
    build = sanitized_build
    # A package of the Python sources, the sanitized _core and the installed data files.
    package = build / "site" / "jurisdex"
    shutil.copytree(ROOT / "python" / "jurisdex", package, ignore=shutil.ignore_patterns("__pycache__", "_core*.so"))
    (module,) = build.glob("_core*.so")
    shutil.copy2(module, package / module.name)
    installed_data = Path(jurisdex.__file__).parent / "data"
    if installed_data.is_dir():
        shutil.copytree(installed_data, package / "data")
    # libasan first; libstdc++ too, or ASan cannot find the real __cxa_throw (python3 does not
    # link libstdc++, so it is not loaded yet when ASan starts) and aborts at the first throw.
    preload = " ".join(p for p in (libasan(), runtime("libstdc++.so")) if p)
    env = dict(os.environ, **SANITIZER_ENV, PYTHONPATH=str(package.parent), LD_PRELOAD=preload,
               PYTHONMALLOC="malloc", ASAN_OPTIONS="detect_leaks=0:halt_on_error=1",
               JURISDEX_QUERY_SECONDS="120", JURISDEX_CONCURRENCY_SECONDS="3")
    check = subprocess.run([sys.executable, "-c", "import jurisdex._core as c; print(c.__file__)"], capture_output=True,
                           text=True, env=env, cwd=build)
    assert check.stdout.strip() == str(package / module.name), check.stdout + check.stderr[-3000:]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-k", DESELECT,
                          *[str(ROOT / "tests" / f) for f in PYTHON_SUBSET]], capture_output=True, text=True,
                         errors="replace", env=env, cwd=ROOT, timeout=1200)
    tail = run.stdout[-4000:] + run.stderr[-6000:]
    assert run.returncode == 0, tail
    assert not sanitizer_report(run.stdout + run.stderr), tail
    print("sanitized Python suite: " + run.stdout.strip().splitlines()[-1])
