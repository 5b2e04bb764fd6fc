"""Progress bars for long ingests: tqdm.auto, so they work in terminals and notebooks."""

from __future__ import annotations

import contextlib
import sys
from typing import Callable, Iterator, Optional, Union

ProgressFn = Optional[Callable[[int, int, int], None]]


def _attached() -> bool:
    return sys.stderr.isatty() or "ipykernel" in sys.modules


@contextlib.contextmanager
def progress_bar(enabled: Union[bool, str], label: str) -> Iterator[ProgressFn]:
    """Yields a ``(bytes_done, bytes_total, records)`` callback that drives a bar, or None.

    ``enabled`` may be True (a bar when attached to a terminal or notebook), "always", or False.
    """
    if not enabled or (enabled != "always" and not _attached()):
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=0, unit="B", unit_scale=True, desc=label, file=sys.stderr, leave=True)
    state = {"records": 0}

    def update(done: int, total: int, records: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)
        if records - state["records"] >= 256:
            bar.set_postfix(records=records, refresh=False)
            state["records"] = records

    try:
        yield update
    finally:
        bar.close()


#: Below this many records, an export shows no bar unless asked with "always".
LARGE_EXPORT = 1000


@contextlib.contextmanager
def count_bar(enabled: Union[bool, str], total: int, label: str,
              unit: str = "records") -> Iterator[Optional[Callable[[int], None]]]:
    """Yields an ``advance(n)`` callback that drives a bar over ``total`` items, or None.

    ``enabled`` may be True (a bar when attached to a terminal or notebook and ``total`` is at
    least :data:`LARGE_EXPORT`), "always", or False.
    """
    if not enabled or (enabled != "always" and (total < LARGE_EXPORT or not _attached())):
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, unit=unit, desc=label, file=sys.stderr, leave=True)
    try:
        yield bar.update
    finally:
        bar.close()
