"""Plots of facet counts and timelines, and display names of facet values.

matplotlib is optional: it is imported when a plot is first drawn, and its absence raises an
ImportError that says how to install it. Plots draw on pyplot figures, so Jupyter shows them.
"""

from __future__ import annotations

import functools
import json
import zlib
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _core
from .vocabulary import default_vocabulary_path, language_name, place_name

__all__ = ["facet_label", "facet_title", "value_colour", "facet_bars", "stacked_bars", "NOT_STATED"]

#: ``{facet: (vocabulary field, multi-valued, derived)}``, from the core's schema.
FACET_FIELDS: Dict[str, Tuple[str, bool, bool]] = {
    name: (vocab, multi, derived) for name, vocab, multi, derived in _core.facet_fields()
}

#: The label of the records that have no value of a facet: a plot's grey segment, the
#: ``dropna=False`` row and column of ``crosstab`` and key of ``facet_counts``.
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


@functools.lru_cache(maxsize=None)
def _facet_labels() -> Dict[str, Dict[str, str]]:
    with open(default_vocabulary_path(), encoding="utf-8") as f:
        return json.load(f).get("facet_labels", {})


def facet_title(facet: str, lang: str = "en") -> str:
    """The display name of a facet in ``lang`` ("aggravations" -> "Aggravating circumstances"),
    from the vocabulary's ``facet_labels``; the facet's name when it has none."""
    labels = _facet_labels().get(facet, {})
    return labels.get(lang) or labels.get("en") or facet


# Colours for values, the same for a value in every plot: tab20's, then a grey for NOT_STATED.
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
            "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
            "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")


def value_colour(facet: str, value: str) -> str:
    """The colour of a facet value in every plot: a coded value by its place among its field's
    codes, any other value by a hash of it (stable across runs and plots); grey for NOT_STATED."""
    if value == NOT_STATED:
        return "#bbbbbb"
    vocab_field = FACET_FIELDS.get(facet, ("", False, False))[0]
    if vocab_field:
        codes = _vocabulary().codes(vocab_field)
        if value in codes:
            return _PALETTE[codes.index(value) % len(_PALETTE)]
    return _PALETTE[zlib.crc32(f"{facet}:{value}".encode("utf-8")) % len(_PALETTE)]


def _title(ax: Any, text: str) -> None:
    # Wrapped at the figure's edge when drawn, so a long title is never cut off.
    ax.set_title(text, fontsize=10, loc="left").set_wrap(True)


def _integer_counts(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _new_axes(ax: Any, size: Tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, ax = pyplot().subplots(figsize=size, layout="constrained")
    return ax


def facet_bars(counts: Mapping[str, int], facet: str, lang: str = "en", top: int = 20, ax: Any = None,
               total: Optional[int] = None, title: Optional[str] = None) -> Any:
    """A horizontal bar chart of facet counts, the most frequent value on top.

    Each value has its colour of every plot (:func:`value_colour`); counts are whole numbers on
    the axis. The title says how many matching records have no value when the counts tell it
    (a single-valued facet and ``total``), or shows them as a grey ``NOT_STATED`` bar when
    ``counts`` holds one (``facet_counts(..., dropna=False)``).

    Args:
        counts: ``{value: records}``.
        facet: the facet's name (for labels and the title).
        lang: the language of the value labels and of the default title.
        top: how many of the most frequent values to show.
        ax: the Axes to draw on; by default a new figure's.
        total: the number of matching records, for the title.
        title: the first line of the title (default: the facet's display name).

    Returns:
        matplotlib.axes.Axes: the Axes drawn on.

    Raises:
        ValueError: ``top`` is not positive.
        ImportError: matplotlib is not installed.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    items = sorted(counts.items(), key=lambda kv: (kv[0] == NOT_STATED, -kv[1], kv[0]))[:top]
    ax = _new_axes(ax, (7.5, 0.32 * max(len(items), 1) + 1.5))
    positions = list(range(len(items)))
    bars = ax.barh(positions, [n for _, n in items], color=[value_colour(facet, v) for v, _ in items])
    ax.set_yticks(positions, [facet_label(facet, value, lang) for value, _ in items])
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.margins(x=0.12)
    ax.set_xlabel("records")
    _integer_counts(ax.xaxis)
    values = len([v for v in counts if v != NOT_STATED])
    shown = f"top {len(items)} of {values} values" if values > len(items) else f"{values} values"
    of = f"; {total} matching records" if total is not None else ""
    multi = FACET_FIELDS.get(facet, ("", False, False))[1]
    notes = []
    if multi:
        notes.append("a record counts once under each of its values")
    if total is not None and not multi and NOT_STATED not in counts:
        missing = total - sum(counts.values())
        if missing:
            notes.append(f"{missing} of the {total} have no value")
    note = "\n(" + "; ".join(notes) + ")" if notes else ""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _title(ax, f"{title or facet_title(facet, lang)}: {shown}{of}{note}")
    return ax


def stacked_bars(x: Sequence[Any], series: Mapping[str, Sequence[int]], ax: Any = None, title: str = "",
                 xlabel: str = "", numeric_x: bool = False, colours: Optional[Mapping[str, str]] = None) -> Any:
    """Stacked vertical bars: one bar per ``x``, one segment per series, with a legend.

    Args:
        x: the bar positions (numbers when ``numeric_x``, else category labels).
        series: ``{legend label: counts aligned with x}``, bottom segment first. A series named
            :data:`NOT_STATED` is drawn in grey.
        ax: the Axes to draw on; by default a new figure's.
        title: the title.
        xlabel: the x axis label.
        numeric_x: place bars at the numbers in ``x`` (years) rather than at category slots.
        colours: ``{legend label: colour}`` (see :func:`value_colour`); others from tab10.

    Returns:
        matplotlib.axes.Axes: the Axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.
    """
    plt = pyplot()
    ax = _new_axes(ax, (10, 4.5))
    positions: List[Any] = list(x) if numeric_x else list(range(len(x)))
    palette = plt.get_cmap("tab10" if len(series) <= 10 else "tab20")
    bottom = [0] * len(positions)
    for i, (label, counts) in enumerate(series.items()):
        colour = (colours or {}).get(label) or ("#bbbbbb" if label == NOT_STATED else palette(i % palette.N))
        ax.bar(positions, counts, bottom=bottom, label=label, color=colour, width=0.85)
        bottom = [b + n for b, n in zip(bottom, counts)]
    if numeric_x:
        _integer_counts(ax.xaxis)
    else:
        ax.set_xticks(positions, [str(v) for v in x], rotation=90 if len(x) > 12 else 0)
    _integer_counts(ax.yaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("records")
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _title(ax, title)
    return ax
