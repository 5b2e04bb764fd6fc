#!/usr/bin/env python3
"""Draw the README's figures from the shipped corpus, as the example notebook does.

    python3 scripts/make_figures.py            # writes docs/figures/*.png
    python3 scripts/make_figures.py --out DIR  # elsewhere

Builds an index of corpus/ in a temporary folder, then draws two of the plots of
notebooks/explore_smuggling_case_law.ipynb: the aggravating circumstances that courts found in
smuggling cases (``Results.plot_facet``) and smuggling cases by year and outcome
(``Index.plot_timeline``). Needs matplotlib.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parents[1]

#: The figures, by file name: what the README shows.
FIGURES = ("smuggling_aggravations.png", "smuggling_timeline.png")


def make_figures(out: Path, corpus: Path = ROOT / "corpus") -> List[Path]:
    """Draw the figures into ``out``.

    Args:
        out: the folder to write to (created if needed).
        corpus: the corpus folder to index.

    Returns:
        The paths written.

    Raises:
        ImportError: matplotlib is not installed.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt

    import jurisdex

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        with jurisdex.Index(Path(tmp) / "index", create=True) as writer:
            report = writer.add_files([corpus])
        if report.rejected:
            raise SystemExit(f"corpus has invalid records: {report.rejected[0]}")
        idx = jurisdex.Index(Path(tmp) / "index")
        smuggling = {"type": "case", "offences": "smuggling_of_migrants"}

        res = idx.search("", facets=["aggravations"], limit=0, **smuggling)
        ax = res.plot_facet("aggravations", lang="en", title="Aggravations found in smuggling cases")
        written.append(_save(ax, out / FIGURES[0]))

        ax = idx.plot_timeline(stack="outcome", title="Smuggling cases by year and outcome", **smuggling)
        written.append(_save(ax, out / FIGURES[1]))
        idx.close()
    plt.close("all")
    return written


def _save(ax, path: Path) -> Path:
    # No software version or date in the file, so that unchanged figures stay byte-identical.
    ax.figure.savefig(path, dpi=100, metadata={"Software": None})
    return path


def main(argv: Optional[List[str]] = None) -> int:
    """Command line entry point; returns the exit code."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "figures", help="folder (default: docs/figures)")
    args = p.parse_args(argv)
    for path in make_figures(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
