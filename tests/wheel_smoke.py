"""Smoke test of an installed jurisdex wheel, run by tests/test_wheel.py with the wheel's
virtual environment, in a mount namespace where Debian's libxapian and ICU are hidden:

    VENV/bin/python tests/wheel_smoke.py CORPUS WORKDIR > answers.json

It indexes CORPUS, searches, counts facets, crosstabs, finds similar records, exports, runs
``jurisdex --version``, ``jurisdex search`` and ``jurisdex serve`` (queried over Xapian's remote
protocol), checks that every Xapian and ICU library in the process comes from the wheel's
``jurisdex.libs``, and prints what it found as JSON. ``answers()`` is shared with the test, which
computes the same answers with the package built from the source tree and compares.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from importlib.metadata import version as dist_version
from pathlib import Path

import jurisdex
from serving import free_port, wait_until_serving


def answers(idx: "jurisdex.Index", work: Path) -> dict:
    """What a user asks of an index: search, facets, crosstab, similar, export."""
    res = idx.search("passeur", year=(2015, 2024), facets=["country", "offences"], limit=10)
    smuggling = dict(type="case", offences="smuggling_of_migrants")
    idx.export(work / "smuggling.csv", progress=False, **smuggling)
    return {
        "search": [res.total, res.ids(), res.concepts, res.facets, [h.snippet for h in res.hits]],
        "facet_counts": idx.facet_counts("court_level"),
        "crosstab": json.loads(idx.crosstab("country", "aggravations", **smuggling).to_json()),
        "similar": idx.similar("INT:SOM-PROTOCOL:6", limit=5).ids(),
        "export": (work / "smuggling.csv").read_text(encoding="utf-8"),
        "icu": [jurisdex.place_name("DEU", "fr"), jurisdex.fold("ÊTRES Humains")],
    }


def _serve_and_query(jurisdex_cmd: str, db: Path) -> int:
    """`jurisdex serve` on a free port; returns the total of a search over the remote protocol."""
    port = free_port()
    server = subprocess.Popen([jurisdex_cmd, "serve", "--db", str(db), "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_until_serving(port, server)
        remote = jurisdex.Index.open_shards([f"tcp://127.0.0.1:{port}"])
        total = remote.search("passeur", year=(2015, 2024)).total
        remote.close()
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=20)
        server.stderr.close()
    assert code == 0, f"jurisdex serve exited {code}"
    return total


def main(corpus: Path, work: Path) -> dict:
    from jurisdex.cli import _tcpsrv

    package = Path(jurisdex.__file__).parent
    bin_dir = Path(sys.executable).parent
    with jurisdex.Index(work / "idx", create=True) as idx:
        report = idx.add_files([corpus])
    assert report.rejected == [], report.rejected[:3]
    idx = jurisdex.Index(work / "idx")
    found = answers(idx, work)
    cli_version = subprocess.run([str(bin_dir / "jurisdex"), "--version"], capture_output=True, text=True,
                                 check=True).stdout.strip()
    cli_search = json.loads(subprocess.run(
        [str(bin_dir / "jurisdex"), "search", "passeur", "--db", str(work / "idx"), "--year", "2015..2024",
         "--format", "json"], capture_output=True, text=True, check=True).stdout)
    remote_total = _serve_and_query(str(bin_dir / "jurisdex"), work / "idx")
    maps = Path("/proc/self/maps").read_text().splitlines()
    libraries = sorted({line.split()[-1] for line in maps if "/libxapian" in line or "/libicu" in line})
    return {
        "package": str(package),
        "tcpsrv": _tcpsrv(),
        "libraries": libraries,
        "added": report.added,
        "answers": found,
        "cli_version": cli_version,
        "cli_search_total": cli_search["total"],
        "remote_total": remote_total,
        "__version__": jurisdex.__version__,
        "metadata_version": dist_version("jurisdex"),
    }


if __name__ == "__main__":
    json.dump(main(Path(sys.argv[1]), Path(sys.argv[2])), sys.stdout, ensure_ascii=False)
