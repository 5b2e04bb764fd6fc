"""Fuzzing: builds the libFuzzer targets of cpp/fuzz with clang and runs each for a while.

fuzz_record feeds arbitrary bytes to the record parser and the file reader; fuzz_query searches
a small index with arbitrary query text. Both run under AddressSanitizer and
UndefinedBehaviorSanitizer; any crash, sanitizer report, leak, timeout or broken invariant fails
the test, and the input that caused it is left in the test's temporary folder (and its path
printed). JURISDEX_FUZZ_SECONDS sets the time per target (default 60). Skipped when clang or
libFuzzer is missing (scripts/setup.sh installs both).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_core_cpp import tool

SECONDS = int(os.environ.get("JURISDEX_FUZZ_SECONDS", "60"))
SEEDS = ROOT / "cpp" / "fuzz" / "seeds"


def libfuzzer_works(tmp: Path) -> bool:
    clang = shutil.which("clang++")
    if clang is None:
        return False
    probe = tmp / "probe.cc"
    probe.write_text('#include <cstdint>\n#include <cstddef>\n'
                     'extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n')
    run = subprocess.run([clang, "-fsanitize=fuzzer,address,undefined", str(probe), "-o", str(tmp / "probe")],
                         capture_output=True)
    return run.returncode == 0


@pytest.fixture(scope="module")
def fuzzers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz-build")
    if tool("cmake") is None or not libfuzzer_works(tmp):
        pytest.skip("clang with libFuzzer is not installed (apt-get install clang libclang-rt-14-dev)")
    build = tmp / "build"
    generator = ["-G", "Ninja", f"-DCMAKE_MAKE_PROGRAM={tool('ninja')}"] if tool("ninja") else []
    env = dict(os.environ, CMAKE_BUILD_PARALLEL_LEVEL=str(os.cpu_count() or 2))
    configure = subprocess.run([tool("cmake"), "-S", str(ROOT), "-B", str(build), *generator,
                                f"-DCMAKE_CXX_COMPILER={shutil.which('clang++')}", "-DJURISDEX_BUILD_FUZZERS=ON",
                                "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], capture_output=True, text=True, env=env)
    assert configure.returncode == 0, configure.stdout[-3000:] + configure.stderr[-3000:]
    compile_ = subprocess.run([tool("cmake"), "--build", str(build), "--target", "fuzz_record", "fuzz_query"],
                              capture_output=True, text=True, env=env)
    assert compile_.returncode == 0, compile_.stdout[-5000:] + compile_.stderr[-3000:]
    return build


@pytest.mark.parametrize("target, seeds", [("fuzz_record", "record"), ("fuzz_query", "query")])
def test_fuzzer_finds_nothing(fuzzers, target, seeds, tmp_path):
    corpus = tmp_path / "corpus"  # new inputs go here; the seeds stay as they are
    corpus.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp_path), ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               LSAN_OPTIONS=f"suppressions={ROOT / 'cpp' / 'fuzz' / 'lsan.supp'}",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    run = subprocess.run([str(fuzzers / target), str(corpus), str(SEEDS / seeds), f"-max_total_time={SECONDS}",
                          "-timeout=25", "-rss_limit_mb=4096", "-print_final_stats=1", "-max_len=16384",
                          f"-artifact_prefix={tmp_path}/"], capture_output=True, text=True, errors="replace",
                         env=env, timeout=SECONDS + 600)
    stats = [line for line in run.stderr.splitlines() if line.startswith("stat::")]
    print(f"{target}: " + "; ".join(stats))
    crashes = [p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    assert run.returncode == 0 and not crashes, f"{crashes} in {tmp_path}\n" + run.stderr[-6000:]
    executed = next(int(s.split()[-1]) for s in stats if s.startswith("stat::number_of_executed_units"))
    assert executed > 100, run.stderr[-3000:]


def test_seeds_are_small_and_real():
    for kind in ("record", "query"):
        files = list((SEEDS / kind).iterdir())
        assert len(files) >= 5
        assert all(f.stat().st_size < 16384 for f in files)
