"""Plots of facet counts and timelines, and display names of facet values.

matplotlib is optional: it is imported when a plot is first drawn, and its absence raises an
ImportError that says how to install it. Plots draw on pyplot figures, so Jupyter shows them.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _core
from .vocabulary import default_vocabulary_path, language_name, place_name

__all__ = ["facet_label", "facet_bars", "stacked_bars", "NOT_STATED"]

#: ``{facet: (vocabulary field, multi-valued, derived)}``, from the core's schema.
FACET_FIELDS: Dict[str, Tuple[str, bool, bool]] = {
    name: (vocab, multi, derived) for name, vocab, multi, derived in _core.facet_fields()
}

#: The label of the records that have no value of a stacked facet.
NOT_STATED = "(not stated)"


def pyplot() -> Any:
    """matplotlib.pyplot, imported on first use.

    Raises:
        ImportError: matplotlib is not installed, with how to install it.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError("jurisdex's plots need matplotlib, which is not installed: "
                          "pip install matplotlib (or pip install 'jurisdex[plot]')") from e
    return plt


@functools.lru_cache(maxsize=None)
def _vocabulary() -> "_core.Vocabulary":
    return _core.Vocabulary.from_file(default_vocabulary_path())


@functools.lru_cache(maxsize=4096)
def facet_label(facet: str, value: str, lang: str = "en") -> str:
    """The display name of a facet value in ``lang``, for axes, legends and tables.

    Countries and regions get ICU's place names (``INT`` is the world), languages ICU's language
    names, coded facets (type, offences, aggravations, financial_benefit, benefit_kinds,
    court_level, outcome, document_kind) the vocabulary's labels. Free facets (court, keywords,
    year, ...) and unknown codes are shown as they are; names have their first letter
    capitalised.

    Args:
        facet: a facet name (``jurisdex.FACETS``).
        value: one of its values, as counted.
        lang: the language of the name (ISO 639-1); unknown languages fall back to English.

    Returns:
        str: the name, or ``value`` itself when there is none.
    """
    if facet in ("country", "region"):
        name = place_name(value, lang)
    elif facet == "language":
        name = language_name(value, lang)
    else:
        # A concept's field that is not a facet ("topic") is a thesaurus field with its own labels.
        vocab_field = FACET_FIELDS.get(facet, (facet, False, False))[0]
        name = _vocabulary().label(vocab_field, value, lang) if vocab_field else value
    if not name or name == value:
        return value
    return name[:1].upper() + name[1:]


def _new_axes(ax: Any, size: Tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, ax = pyplot().subplots(figsize=size, layout="constrained")
    return ax


def facet_bars(counts: Mapping[str, int], facet: str, lang: str = "en", top: int = 20, ax: Any = None,
               total: Optional[int] = None, title: Optional[str] = None) -> Any:
    """A horizontal bar chart of facet counts, the most frequent value on top.

    Args:
        counts: ``{value: records}``.
        facet: the facet's name (for labels and the title).
        lang: the language of the value labels.
        top: how many of the most frequent values to show.
        ax: the Axes to draw on; by default a new figure's.
        total: the number of matching records, for the title.
        title: the first line of the title (default: the facet's name).

    Returns:
        matplotlib.axes.Axes: the Axes drawn on.

    Raises:
        ValueError: ``top`` is not positive.
        ImportError: matplotlib is not installed.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ax = _new_axes(ax, (7.5, 0.32 * max(len(items), 1) + 1.3))
    positions = list(range(len(items)))
    bars = ax.barh(positions, [n for _, n in items], color="#3b6ea5")
    ax.set_yticks(positions, [facet_label(facet, value, lang) for value, _ in items])
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.margins(x=0.12)
    ax.set_xlabel("records")
    shown = f"top {len(items)} of {len(counts)} values" if len(counts) > len(items) else f"{len(items)} values"
    of = f"; {total} matching records" if total is not None else ""
    multi = FACET_FIELDS.get(facet, ("", False, False))[1]
    note = "\n(a record counts once under each of its values)" if multi else ""
    ax.set_title(f"{title or facet}: {shown}{of}{note}", fontsize=10, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def stacked_bars(x: Sequence[Any], series: Mapping[str, Sequence[int]], ax: Any = None, title: str = "",
                 xlabel: str = "", numeric_x: bool = False) -> Any:
    """Stacked vertical bars: one bar per ``x``, one segment per series, with a legend.

    Args:
        x: the bar positions (numbers when ``numeric_x``, else category labels).
        series: ``{legend label: counts aligned with x}``, bottom segment first. A series named
            :data:`NOT_STATED` is drawn in grey.
        ax: the Axes to draw on; by default a new figure's.
        title: the title.
        xlabel: the x axis label.
        numeric_x: place bars at the numbers in ``x`` (years) rather than at category slots.

    Returns:
        matplotlib.axes.Axes: the Axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.
    """
    plt = pyplot()
    ax = _new_axes(ax, (10, 4.5))
    positions: List[Any] = list(x) if numeric_x else list(range(len(x)))
    colours = plt.get_cmap("tab10" if len(series) <= 10 else "tab20")
    bottom = [0] * len(positions)
    for i, (label, counts) in enumerate(series.items()):
        colour = "#bbbbbb" if label == NOT_STATED else colours(i % colours.N)
        ax.bar(positions, counts, bottom=bottom, label=label, color=colour, width=0.85)
        bottom = [b + n for b, n in zip(bottom, counts)]
    if numeric_x:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_xticks(positions, [str(v) for v in x], rotation=90 if len(x) > 12 else 0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("records")
    ax.set_title(title, fontsize=10, loc="left")
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax
