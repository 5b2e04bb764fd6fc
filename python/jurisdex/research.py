"""Research conveniences of :class:`jurisdex.Index`: tables, crosstabs, plots and exports over
all matches. Mixed into Index; the counting and the column export happen in C++.

Tables keep nested record fields flat, with dotted column names as ``pandas.json_normalize``
gives them (``financial_benefit.element``, ``source.url``): one column per leaf, directly
filterable and groupable, and the same columns as :meth:`jurisdex.Results.to_pandas`.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from . import _core
from .errors import QueryError
from .progress import count_bar
from .results import _frame, _order, _pandas, format_of, write_csv, write_objects, year_column

__all__ = ["ResearchMixin"]

PathLike = Union[str, "os.PathLike[str]"]
_SORTS = ("relevance", "date", "-date")


def _check_sort(sort: str) -> None:
    if sort not in _SORTS:
        raise QueryError(f"sort must be 'relevance', 'date' or '-date', not '{sort}'")


def _normalization(normalize: Union[bool, str]) -> Optional[str]:
    if normalize is False:
        return None
    if normalize is True:
        return "all"
    if isinstance(normalize, str) and normalize in ("all", "index", "columns"):
        return normalize
    raise ValueError(f"normalize must be False, True, 'all', 'index' or 'columns', not {normalize!r}")


def _label_key(facet: str, value: str) -> Tuple[Any, ...]:
    # Years (and other numbers) in numeric order, everything else alphabetically, "not stated" last.
    from .plots import NOT_STATED
    if value == NOT_STATED:
        return (2, 0, "")
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


class ResearchMixin:
    """Methods that :class:`jurisdex.Index` gains for research in notebooks."""

    path: str

    def _read(self) -> "_core.Searcher":  # pragma: no cover - provided by Index
        raise NotImplementedError

    def _column_export(self, query: str, sort: str, lang: Optional[str], default_op: str, with_text: bool,
                       filters: Dict[str, Any], expand: bool = True) -> Tuple[Dict[str, List[Any]], int]:
        from .index import _split_filters

        _check_sort(sort)
        values, ranges = _split_filters(filters)
        raw = self._read().columns(query, values, ranges, lang or "", default_op, sort, with_text, expand)
        n = len(raw["ids"])
        cells = raw["columns"]
        columns: Dict[str, List[Any]] = {"rank": list(range(n)), "score": raw["scores"]}
        if "date" in cells:
            cells = {**cells, "year": year_column(cells["date"])}
        for name in _order(cells):
            columns[name] = cells[name]
        return columns, n

    def to_pandas(self, query: str = "", *, sort: str = "relevance", lang: Optional[str] = None,
                  default_op: str = "or", with_text: bool = False, expand: bool = True, **filters: Any) -> Any:
        """All matching records as a DataFrame, one row per record (not just a page).

        Built column by column from the core's export; no Python object is made per record.
        Columns: ``rank`` (0-based), ``score`` (0 when the query is blank), then one column per
        record field in docs/records.md order, any other field after them, alphabetically. Nested objects keep
        dotted names, as ``pandas.json_normalize`` gives them (``financial_benefit.element``,
        ``financial_benefit.kinds``, ``source.url``); lists of strings (offences, keywords, ...)
        stay lists; deeper structures are compact JSON strings. A field a record lacks is
        missing (None or NaN; whole numbers use pandas' nullable ``Int64``).

        Args:
            query: as for :meth:`search`; blank matches every record.
            sort: ``"relevance"``, ``"date"`` or ``"-date"``.
            lang: stem the query in this language only.
            default_op: ``"or"`` or ``"and"``.
            expand: match the concepts the query's words name in any language, as
                :meth:`search` does; False matches the words only.
            with_text: include the ``text`` column (full texts can be long).
            **filters: facet filters and ranges, as for :meth:`search`.

        Returns:
            pandas.DataFrame: one row per matching record, in rank order.

        Raises:
            QueryError: bad query, filter or sort.
            ImportError: pandas is not installed.
        """
        columns, _ = self._column_export(query, sort, lang, default_op, with_text, filters, expand)
        return _frame(columns, "Index.to_pandas()")

    def crosstab(self, rows: str = "country", cols: str = "aggravations", query: str = "", *,
                 normalize: Union[bool, str] = False, margins: bool = True, margins_name: str = "All",
                 labels: Optional[str] = None, lang: Optional[str] = None, default_op: str = "or",
                 dropna: bool = True, expand: bool = True, **filters: Any) -> Any:
        """Exact counts of matching records by two facets, counted in C++ over all matches.

        A cell is the number of matching records having both the row value and the column
        value. A record counts once under each value of a multi-valued facet (a case with the
        aggravations ``death`` and ``minors`` is in both columns). Rows and columns are every
        value that a matching record has, in ascending order (years in numeric order), zeros
        included, as a plain numeric DataFrame: ``.style.background_gradient()`` makes it a
        heat map.

        With ``margins``, the ``All`` column holds the number of matching records having the
        row value, the ``All`` row the number having the column value, and the corner the number
        of matching records. With multi-valued facets these totals are record counts, not the
        sums of the cells, and records lacking one facet (legislation has no ``court``) count in
        the totals of the other.

        Args:
            rows: the facet of the rows.
            cols: the facet of the columns.
            query: as for :meth:`search`; blank matches every record.
            normalize: ``False`` for counts; ``True`` or ``"all"`` divides by the number of
                matching records; ``"index"`` divides each row by its row's record count (the
                share of those records having each column value; the ``All`` row is the share
                of all matches, and there is no ``All`` column); ``"columns"`` divides each
                column by its column's record count (likewise, no ``All`` row). As with
                multi-valued facets shares need not sum to 1.
            margins: add the ``All`` row and column of totals.
            margins_name: the name of the totals row and column.
            labels: show display names in this language instead of codes (``"en"``, ``"fr"``):
                country names, vocabulary labels (see :func:`jurisdex.plots.facet_label`).
            dropna: ``False`` adds a ``"(not stated)"`` row and column (as pandas'
                ``value_counts(dropna=False)``) for matching records with no row or no column
                value, so no matching record is missing from the table; by default such records
                count only in the margins.
            lang: stem the query in this language only.
            default_op: ``"or"`` or ``"and"``.
            expand: match the concepts the query's words name in any language, as
                :meth:`search` does; False matches the words only.
            **filters: facet filters and ranges, as for :meth:`search`.

        Returns:
            pandas.DataFrame: counts (int64), or shares (float64) when normalized; the index is
            named ``rows`` and the columns ``cols``.

        Raises:
            QueryError: unknown facet, bad query or filter.
            ValueError: bad ``normalize``.
            ImportError: pandas is not installed.
        """
        from .index import _split_filters

        how = _normalization(normalize)
        pd = _pandas("Index.crosstab()")
        values, ranges = _split_filters(filters)
        raw = self._read().crosstab(query, values, ranges, lang or "", default_op, rows, cols, expand)
        if not dropna:
            raw = self._with_missing(raw, query, values, ranges, lang or "", default_op, rows, cols, expand)
        row_totals: Dict[str, int] = raw["row_totals"]
        col_totals: Dict[str, int] = raw["col_totals"]
        total: int = raw["total"]
        row_keys = sorted(row_totals, key=lambda v: _label_key(rows, v))
        col_keys = sorted(col_totals, key=lambda v: _label_key(cols, v))
        r_at = {v: i for i, v in enumerate(row_keys)}
        c_at = {v: i for i, v in enumerate(col_keys)}
        grid = [[0] * (len(col_keys) + 1) for _ in range(len(row_keys) + 1)]
        for r, c, n in raw["cells"]:
            grid[r_at[r]][c_at[c]] = n
        for r, i in r_at.items():
            grid[i][-1] = row_totals[r]
        for c, j in c_at.items():
            grid[-1][j] = col_totals[c]
        grid[-1][-1] = total
        index = list(row_keys)
        columns = list(col_keys)
        if labels:
            from .plots import facet_label

            index = [facet_label(rows, v, labels) for v in row_keys]
            columns = [facet_label(cols, v, labels) for v in col_keys]
        table = pd.DataFrame(grid, index=pd.Index(index + [margins_name], name=rows),
                             columns=pd.Index(columns + [margins_name], name=cols), dtype="int64")
        if how == "all":
            table = table / total if total else table.astype("float64")
        elif how == "index":
            table = table.div(table[margins_name].where(table[margins_name] != 0), axis=0).fillna(0.0)
            table.loc[margins_name] = [(col_totals[c] / total if total else 0.0) for c in col_keys] + [1.0]
        elif how == "columns":
            table = table.div(table.loc[margins_name].where(table.loc[margins_name] != 0), axis=1).fillna(0.0)
            table[margins_name] = [(row_totals[r] / total if total else 0.0) for r in row_keys] + [1.0]
        if how == "index" and margins:
            table = table.drop(columns=margins_name)
        elif how == "columns" and margins:
            table = table.drop(index=margins_name)
        elif not margins:
            table = table.drop(index=margins_name, columns=margins_name)
        table.index.name, table.columns.name = rows, cols
        return table

    def _with_missing(self, raw: Dict[str, Any], query: str, values: Dict[str, List[str]], ranges: Any,
                      lang: str, default_op: str, rows: str, cols: str, expand: bool) -> Dict[str, Any]:
        """``raw`` with a NOT_STATED row and column: the matches lacking a row (column) value,
        counted from the same crosstab restricted to matches having some row (column) value."""
        from .plots import NOT_STATED

        def restricted(*fields: str) -> Dict[str, Any]:
            extra = {f: list(raw["row_totals"] if f == rows else raw["col_totals"]) for f in fields}
            if any(not v for v in extra.values()):
                return {"cells": [], "row_totals": {}, "col_totals": {}, "total": 0}
            return self._read().crosstab(query, {**values, **extra}, ranges, lang, default_op, rows, cols, expand)

        # A filter on the field itself already leaves only records having a value of it.
        has_row = raw if rows in values or f"{rows}:all" in values else restricted(rows)
        has_col = raw if cols in values or f"{cols}:all" in values else restricted(cols)
        has_both = restricted(*{rows, cols}) if rows != cols else has_row
        out = {"cells": list(raw["cells"]), "row_totals": dict(raw["row_totals"]),
               "col_totals": dict(raw["col_totals"]), "total": raw["total"]}
        no_row = raw["total"] - has_row["total"]
        no_col = raw["total"] - has_col["total"]
        for c, n in raw["col_totals"].items():
            if n - has_row["col_totals"].get(c, 0):
                out["cells"].append((NOT_STATED, c, n - has_row["col_totals"].get(c, 0)))
        for r, n in raw["row_totals"].items():
            if n - has_col["row_totals"].get(r, 0):
                out["cells"].append((r, NOT_STATED, n - has_col["row_totals"].get(r, 0)))
        neither = raw["total"] - has_row["total"] - has_col["total"] + has_both["total"]
        if neither:
            out["cells"].append((NOT_STATED, NOT_STATED, neither))
        if no_row:
            out["row_totals"][NOT_STATED] = no_row
        if no_col:
            out["col_totals"][NOT_STATED] = no_col
        return out

    def plot_timeline(self, query: str = "", by: str = "year", stack: Optional[str] = "outcome", ax: Any = None, *,
                      labels: str = "en", title: Optional[str] = None, lang: Optional[str] = None,
                      default_op: str = "or", expand: bool = True, undated: Optional[str] = None,
                      **filters: Any) -> Any:
        """Stacked bars of matching records per year (or per value of another facet).

        Each bar is the number of matching records with that year (years without any are
        drawn empty; undated records have no year and are left out, which the title says).
        With ``undated="published"``, a record whose decision date is unknown is drawn at the
        year its source was published, when the source states one, as a hatched segment labelled
        as such: a publication year is not a decision year, so it is never mixed in unasked.
        Segments are the values of ``stack``, most frequent at the bottom; for a single-valued
        facet such as ``outcome``, records without a value form a grey "(not stated)" segment,
        so bars are record counts. For a multi-valued ``stack`` (``aggravations``) a record is
        in one segment per value, and records without any value are not drawn.

        Args:
            query: as for :meth:`search`; blank matches every record.
            by: the facet along the x axis; ``"year"`` places bars on a numeric axis.
            stack: the facet of the segments, or None for plain bars.
            ax: a matplotlib Axes to draw on; by default a new figure's.
            labels: the language of the legend's labels (vocabulary labels, ICU names).
            title: the first line of the title (default: "Matching records by year and outcome").
            lang: stem the query in this language only.
            default_op: ``"or"`` or ``"and"``.
            expand: match the concepts the query's words name in any language, as
                :meth:`search` does; False matches the words only.
            undated: ``"published"`` draws undated records at their source's publication year
                (``by="year"`` only); None leaves them out.
            **filters: facet filters and ranges, as for :meth:`search`.

        Returns:
            matplotlib.axes.Axes: the Axes drawn on.

        Raises:
            QueryError: unknown facet, bad query or filter.
            ImportError: matplotlib is not installed.
        """
        from .index import _split_filters
        from .plots import FACET_FIELDS, NOT_STATED, facet_label, facet_title, pyplot, stacked_bars, value_colour

        pyplot()  # fail early, with the install hint, when matplotlib is missing
        values, ranges = _split_filters(filters)
        if undated not in (None, "published"):
            raise ValueError(f"undated must be None or 'published', not {undated!r}")
        if undated and by != "year":
            raise ValueError("undated='published' places records on the year axis: use it with by='year'")
        raw = self._read().crosstab(query, values, ranges, lang or "", default_op, by, stack or by, expand)
        row_totals: Dict[str, int] = raw["row_totals"]
        published: Dict[str, int] = {}
        if undated:  # undated matches by publication year: all matches' minus the dated ones'
            everyone = self._read().crosstab(query, values, ranges, lang or "", default_op, "published_year",
                                             "published_year", expand)["row_totals"]
            dated = self._read().crosstab(query, {**values, "year": list(row_totals)}, ranges, lang or "", default_op,
                                          "published_year", "published_year", expand)["row_totals"] if row_totals else {}
            published = {y: n - dated.get(y, 0) for y, n in everyone.items() if n - dated.get(y, 0)}
        keys = sorted(set(row_totals) | set(published), key=lambda v: _label_key(by, v))
        numeric = by == "year" and all(k.isdigit() for k in keys)
        x: List[Any] = list(range(int(keys[0]), int(keys[-1]) + 1)) if numeric and keys else list(keys)
        slot = {(int(k) if numeric else k): i for i, k in enumerate(keys)}
        position = [slot.get(v) for v in x]

        def aligned(counts: Dict[str, int]) -> List[int]:
            by_key = [counts.get(k, 0) for k in keys]
            return [0 if p is None else by_key[p] for p in position]

        series: Dict[str, List[int]] = {}
        colours: Dict[str, str] = {}
        notes: List[str] = []
        if stack is None:
            series["records"] = aligned(row_totals)
        else:
            cells: Dict[str, Dict[str, int]] = {}
            for r, c, n in raw["cells"]:
                cells.setdefault(c, {})[r] = n
            for c in sorted(cells, key=lambda c: (-raw["col_totals"][c], c)):
                label = facet_label(stack, c, labels)
                series[label] = aligned(cells[c])
                colours[label] = value_colour(stack, c)
            if not FACET_FIELDS.get(stack, ("", False, False))[1]:
                missing = {k: row_totals.get(k, 0) - sum(cells.get(c, {}).get(k, 0) for c in cells) for k in keys}
                if any(missing.values()):
                    series[NOT_STATED] = aligned(missing)
            else:  # a record with no value of a multi-valued facet is in no segment: say how many
                lacking = self._lacking(stack, query, lang, default_op, expand, values, ranges)
                if lacking:
                    notes.append(f"{lacking} matching records have no {facet_title(stack, labels).lower()} "
                                 "and are in no segment")
        hatched: Optional[str] = None
        if published:
            hatched = f"undated: year the source was published ({sum(published.values())})"
            series[hatched] = aligned(published)
            colours[hatched] = "#dddddd"
        counted = sum(row_totals.values()) if not FACET_FIELDS.get(by, ("", False, False))[1] else None
        if title is None:
            title = f"Matching records by {facet_title(by, labels).lower()}"
            title += f" and {facet_title(stack, labels).lower()}" if stack else ""
            if query:
                title += f" — query: {query}"
        if counted is not None and counted != raw["total"]:
            left_out = raw["total"] - counted - sum(published.values())
            notes.insert(0, f"{counted} of {raw['total']} matching records have a {facet_title(by, labels).lower()}"
                            + (f"; {sum(published.values())} undated drawn at their source's publication year"
                               if published else "")
                            + (f"; {left_out} without one are not drawn" if left_out else ""))
        elif counted is not None:
            notes.insert(0, f"{counted} matching records")
        if notes:
            title += "\n" + "; ".join(notes)
        if ax is None:
            _, ax = pyplot().subplots(figsize=(10, 4.5), layout="constrained")
        ax = stacked_bars(x, series, ax=ax, title=title, xlabel=facet_title(by, labels), numeric_x=numeric,
                          colours=colours)
        if hatched:
            for container in ax.containers:
                if container.get_label() == hatched:
                    for patch in container.patches:
                        patch.set_hatch("///")
            ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # with the hatch
        return ax

    def _lacking(self, field: str, query: str, lang: Optional[str], default_op: str, expand: bool,
                 values: Dict[str, List[str]], ranges: Any) -> int:
        """How many matches of a query and split filters have no value of ``field``."""
        raw = self._read().crosstab(query, values, ranges, lang or "", default_op, field, field, expand)
        if not raw["row_totals"] or field in values or f"{field}:all" in values:
            return 0 if raw["row_totals"] else raw["total"]
        having = self._read().crosstab(query, {**values, field: list(raw["row_totals"])}, ranges, lang or "",
                                       default_op, field, field, expand)
        return raw["total"] - having["total"]

    def export(self, path: PathLike, query: str = "", format: Optional[str] = None, *, sort: str = "relevance",
               lang: Optional[str] = None, default_op: str = "or", with_text: bool = False, expand: bool = True,
               progress: Union[bool, str] = True, first_rank: int = 0, **filters: Any) -> int:
        """Write ALL matching records to a file: CSV, JSON Lines or a JSON array.

        CSV has :meth:`to_pandas`'s columns (``rank``, ``score``, the record's fields with
        dotted names for nested ones); lists are joined with ``"; "``, booleans written
        ``true``/``false``, missing fields left empty. JSON Lines and JSON hold each record
        nested, as stored, after two keys ``rank`` and ``score``; ``jurisdex index`` reads such
        a file back (the two keys are kept as unknown fields, not indexed, with a warning).

        Args:
            path: the file to write (overwritten).
            query: as for :meth:`search`; blank matches every record.
            format: ``"csv"``, ``"jsonl"`` or ``"json"``; by default from the suffix of ``path``.
            sort: ``"relevance"``, ``"date"`` or ``"-date"``.
            lang: stem the query in this language only.
            default_op: ``"or"`` or ``"and"``.
            expand: match the concepts the query's words name in any language, as
                :meth:`search` does; False matches the words only.
            with_text: include the records' full ``text``.
            progress: True shows a progress bar for large exports (1,000 records or more) when
                attached to a terminal or a notebook; ``"always"`` always; False never.
            first_rank: the ``rank`` of the first match: 0 as in :meth:`to_pandas` and
                :class:`Hit` (the command line writes 1, as it numbers hits).
            **filters: facet filters and ranges, as for :meth:`search`.

        Returns:
            int: the number of records written.

        Raises:
            ValueError: unknown format, or a suffix that names none.
            QueryError: bad query, filter or sort.
            OSError: the file cannot be written.
        """
        fmt = format_of(path, format)
        columns, n = self._column_export(query, sort, lang, default_op, with_text and fmt == "csv", filters, expand)
        if first_rank:
            columns["rank"] = [r + first_rank for r in columns["rank"]]
        label = f"exporting {os.path.basename(os.fspath(path))}"
        with count_bar(progress, n, label) as advance:
            if fmt == "csv":
                return write_csv(path, columns, n, advance)
            return write_objects(path, fmt, self._stored(columns, with_text), n, advance)

    def _stored(self, columns: Dict[str, List[Any]], with_text: bool) -> Iterator[Dict[str, Any]]:
        searcher = self._read()
        for rank, id, score in zip(columns["rank"], columns.get("id", []), columns["score"]):
            data = searcher.get(id)
            if data is None:  # removed by a writer since the match
                continue
            record = json.loads(data)
            if not with_text:
                record.pop("text", None)
            obj: Dict[str, Any] = {"rank": rank, "score": score}
            obj.update(record)
            yield obj

    def _repr_html_(self) -> str:
        from .plots import facet_label

        esc = html.escape
        stats = self.stats()  # type: ignore[attr-defined]
        facets = "".join(
            f"<tr><th style='text-align:left'>{esc(name)}</th><td style='text-align:left'>"
            + ", ".join(f"<span title='{esc(k)}'>{esc(facet_label(name, k))}</span> {v}" for k, v in counts.items())
            + "</td></tr>"
            for name, counts in stats["facets"].items()
        )
        size = stats["bytes_on_disk"] / 1e6
        return (
            f"<div><p><b>jurisdex index</b> <code>{esc(stats['path'])}</code>: {stats['records']} records, "
            f"{size:.1f} MB on disk, languages {esc(', '.join(stats['languages']))}</p>"
            f"<table><tbody>{facets}</tbody></table></div>"
        )
