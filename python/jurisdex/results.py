"""What searches and ingests return: :class:`Results`, :class:`Hit`, :class:`IngestReport`."""

from __future__ import annotations

import csv
import html
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Union

__all__ = ["Hit", "Results", "IngestReport", "Rejection"]


class Rejection(NamedTuple):
    """A record that was not indexed: where it was and why."""

    source: str
    """File path; ``path[3]`` for the 4th record of a JSON array; ``<input>`` for ``Index.add``."""
    line: Optional[int]
    """1-based line in a JSONL file, else None."""
    record_id: Optional[str]
    message: str
    """What is wrong, naming the field: ``field 'date': expected ...``."""

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        if self.record_id:
            where += f" (id '{self.record_id}')"
        return f"{where}: {self.message}"


def _rejection(raw: tuple) -> Rejection:
    source, line, index, record_id, field_name, problem, _message = raw
    if index is not None:
        source = f"{source}[{index}]"
    message = f"field '{field_name}': {problem}" if field_name else problem
    return Rejection(source, line, record_id, message)


@dataclass
class IngestReport:
    """What an ingest did."""

    added: int = 0
    """Records whose id was new."""
    replaced: int = 0
    """Records that replaced an existing record with the same id."""
    rejected: List[Rejection] = field(default_factory=list)
    """Records not indexed, with where and why."""
    bytes: int = 0
    """Input bytes read."""
    warnings: List[Rejection] = field(default_factory=list)
    """Records indexed with a field docs/records.md does not define (kept, not indexed: a misspelt
    ``"aggravation"`` never reaches a count), with the nearest field; strict mode rejects them."""

    @classmethod
    def _from_core(cls, raw: Dict[str, Any]) -> "IngestReport":
        return cls(raw["added"], raw["replaced"], [_rejection(r) for r in raw["rejected"]], raw["bytes"],
                   [_rejection(r) for r in raw.get("warnings", [])])

    def __str__(self) -> str:
        out = f"{self.added} added, {self.replaced} replaced, {len(self.rejected)} rejected"
        return out + (f", {len(self.warnings)} with warnings" if self.warnings else "")


@dataclass
class Hit:
    """One matching record."""

    id: str
    score: float
    rank: int
    """0-based position in the whole result list."""
    title: str
    country: str
    date: str
    snippet: str
    """A passage of the summary (or text) with matched words marked."""
    _fetch: Optional[Callable[[str], Optional[str]]] = field(repr=False, compare=False, default=None)

    @property
    def record(self) -> Dict[str, Any]:
        """The stored record, as it was indexed. Read on first use: full texts can be long."""
        cached = self.__dict__.get("_record")
        if cached is None:
            data = self._fetch(self.id) if self._fetch else None
            cached = self.__dict__["_record"] = json.loads(data) if data else {}
        return cached

    def __getitem__(self, key: str) -> Any:
        return self.record[key]


def _hit(raw: tuple, fetch: Callable[[str], Optional[str]]) -> Hit:
    return Hit(*raw, _fetch=fetch)


@dataclass
class Results:
    """A page of hits, the total number of matches and facet counts over all matches."""

    total: int
    """Number of matching records (exact when facets were asked for, or ``exact_total=True``)."""
    hits: List[Hit]
    facets: Dict[str, Dict[str, int]]
    """``{"country": {"ITA": 12, ...}}``: counts over all matches, most frequent first."""
    total_exact: bool = True
    query: str = ""
    """The Xapian query that ran (for debugging)."""
    concepts: List[str] = field(default_factory=list)
    """Concepts (offence and aggravation codes) the query named in any language, added to it."""
    suggestion: Optional[str] = None
    """A respelt query when words are unknown to the index ("did you mean")."""

    @classmethod
    def _from_core(cls, raw: Dict[str, Any], fetch: Callable[[str], Optional[str]]) -> "Results":
        facets = {name: dict(counts) for name, counts in raw["facets"]}
        hits = [_hit(h, fetch) for h in raw["hits"]]
        return cls(raw["total"], hits, facets, raw.get("total_exact", True), raw["query"], list(raw["concepts"]),
                   raw["suggestion"] or None)

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]

    def ids(self) -> List[str]:
        """The ids of the hits, in rank order."""
        return [h.id for h in self.hits]

    def _columns(self, with_text: bool = False) -> Dict[str, List[Any]]:
        """The page as columns: rank, score, the record's fields (dotted), snippet."""
        flat = [_flatten(h.record) for h in self.hits]
        for row in flat:
            with_year(row)
        names = _order(name for row in flat for name in row
                       if name not in _EXTRA_COLUMNS and (with_text or name != "text"))
        columns: Dict[str, List[Any]] = {"rank": [h.rank for h in self.hits], "score": [h.score for h in self.hits]}
        for name in names:
            columns[name] = [row.get(name) for row in flat]
        columns["snippet"] = [h.snippet for h in self.hits]
        return columns

    def to_pandas(self, with_text: bool = False) -> Any:
        """The page as a DataFrame, one row per hit.

        Columns: ``rank`` (0-based position in the whole result list), ``score``, then one column
        per record field in docs/records.md order (any other field after them, alphabetically; the
        full ``text`` only when asked for), then ``snippet``
        (HTML, matched words marked). Nested objects are kept flat with dotted names, as
        ``pandas.json_normalize`` does: ``financial_benefit.element``, ``source.url``. Lists of
        strings stay lists; deeper structures are compact JSON strings. A field a record lacks is
        missing (None or NaN; whole numbers use pandas' nullable ``Int64``). The columns are those
        of :meth:`jurisdex.Index.to_pandas`, which gives all matches rather than one page.

        Args:
            with_text: include the records' full ``text`` (it can be long).

        Returns:
            pandas.DataFrame: one row per hit, in rank order.

        Raises:
            ImportError: pandas is not installed (``pip install jurisdex[pandas]``).
        """
        return _frame(self._columns(with_text), "Results.to_pandas()")

    def _objects(self) -> Iterator[Dict[str, Any]]:
        for h in self.hits:
            obj: Dict[str, Any] = {"rank": h.rank, "score": h.score, "snippet": plain_snippet(h.snippet)}
            obj.update(h.record)
            yield obj

    def to_csv(self, path: Union[str, "os.PathLike[str]"]) -> int:
        """Write the page to a CSV file (UTF-8), one row per hit, without needing pandas.

        The columns are :meth:`to_pandas`'s (without the full ``text``); lists are joined with
        ``"; "``, booleans written ``true``/``false``, missing fields left empty and the snippet
        written as plain text.

        Args:
            path: the file to write (overwritten).

        Returns:
            int: the number of rows written.

        Raises:
            OSError: the file cannot be written.
        """
        columns = self._columns()
        columns["snippet"] = [plain_snippet(s) for s in columns["snippet"]]
        return write_csv(path, columns, len(self.hits))

    def to_jsonl(self, path: Union[str, "os.PathLike[str]"]) -> int:
        """Write the page to a JSON Lines file (UTF-8), one object per hit.

        Each line is the stored record, nested as indexed, after three keys: ``rank``,
        ``score`` and ``snippet`` (plain text). ``jurisdex index`` accepts the file back (the
        three keys are kept as unknown fields and not indexed).

        Args:
            path: the file to write (overwritten).

        Returns:
            int: the number of lines written.

        Raises:
            OSError: the file cannot be written.
        """
        return write_objects(path, "jsonl", self._objects(), len(self.hits))

    def plot_facet(self, facet: str, lang: str = "en", top: int = 20, ax: Any = None,
                   title: Optional[str] = None) -> Any:
        """A horizontal bar chart of a facet's counts over all matches, most frequent on top.

        Bars are labelled with display names in ``lang``: ICU's names of countries, regions and
        languages, the vocabulary's labels of coded facets (offences, aggravations, outcome,
        ``financial_benefit``, ...), and the values themselves for free facets (court, keywords).

        Args:
            facet: a facet that the search counted (``search(..., facets=[facet])``).
            lang: the language of the labels (ISO 639-1).
            top: how many of the most frequent values to show (the others are left out).
            ax: a matplotlib Axes to draw on; by default a new figure's.
            title: the first line of the title (default: the facet's name).

        Returns:
            matplotlib.axes.Axes: the Axes drawn on.

        Raises:
            KeyError: the search did not count ``facet``.
            ImportError: matplotlib is not installed.
        """
        if facet not in self.facets:
            counted = ", ".join(self.facets) or "none"
            raise KeyError(f"facet '{facet}' was not counted by this search (counted: {counted}); "
                           f"search with facets=['{facet}']")
        from .plots import facet_bars

        return facet_bars(self.facets[facet], facet, lang=lang, top=top, ax=ax, total=self.total, title=title)

    def _repr_html_(self) -> str:
        from .plots import facet_label, facet_title

        esc = html.escape
        rows = []
        for h in self.hits:
            rec = h.record
            where = rec.get("court") or rec.get("instrument") or rec.get("author") or ""
            kind = rec.get("type", "")
            related = rec.get("related") or []
            # Other records of the same matter (appeal, retrial, the same facts tried elsewhere).
            same_matter = f"<br><small>same matter: {esc(', '.join(related))}</small>" if related else ""
            rows.append(
                "<tr style='vertical-align:top'>"
                f"<td>{h.rank + 1}</td><td><b>{esc(h.title)}</b><br><small>{esc(h.id)}"
                f"{' · ' + esc(kind) if kind else ''}</small>{same_matter}</td>"
                f"<td>{esc(str(where))}</td>"
                f"<td title='{esc(facet_label('country', h.country))}'>{esc(h.country)}</td>"
                f"<td style='white-space:nowrap'>{esc(h.date or 'undated')}</td>"
                # Snippets come from the core HTML-escaped, with matched words marked.
                f"<td style='text-align:left'>{h.snippet}</td>"
                "</tr>"
            )
        table = (
            "<table><thead><tr><th>#</th><th>title</th><th>court / instrument / author</th><th>country</th>"
            f"<th>date</th><th>snippet</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        facet_html = ""
        for name, counts in self.facets.items():
            items = "".join(f"<li title='{esc(k)}'>{esc(facet_label(name, k))}: {v}</li>"
                            for k, v in list(counts.items())[:10])
            more = f"<li>… {len(counts) - 10} more</li>" if len(counts) > 10 else ""
            facet_html += f"<div><b>{esc(facet_title(name))}</b><ul style='margin:0'>{items}{more}</ul></div>"
        total = f"{self.total}" + ("" if self.total_exact else " (estimate)")
        first = self.hits[0].rank + 1 if self.hits else 0
        shown = f"showing {first}–{first + len(self.hits) - 1}" if self.hits else "showing none"
        notes = ""
        if self.concepts:
            named = ", ".join(esc(facet_label(*c.split(":", 1))) if ":" in c else esc(c) for c in self.concepts)
            notes += f"; also matching the concept{'s' if len(self.concepts) > 1 else ''} {named}"
        if self.suggestion:
            notes += f"; did you mean <i>{esc(self.suggestion)}</i>?"
        return (
            f"<div><p><b>{total}</b> matching records, {shown}{notes}</p>"
            f"<div style='display:flex;gap:2em;align-items:flex-start'><div>{table}</div>"
            f"<div style='min-width:14em'>{facet_html}</div></div></div>"
        )


# ---- tables and exports, shared with jurisdex.Index (research.py) ----

PathLike = Union[str, "os.PathLike[str]"]

#: Column order of tables and exports: docs/records.md's fields, then any other field alphabetically.
_FIELD_ORDER = (
    "id", "type", "title", "country", "language", "date", "year", "summary", "text", "offences", "aggravations",
    "financial_benefit.element", "financial_benefit.kinds", "financial_benefit.amount",
    "financial_benefit.currency", "keywords", "cites", "related", "court", "court_level", "outcome",
    "sentence_months", "life_sentence", "sentence_suspended", "defendants", "migrants_or_victims", "deaths",
    "instrument", "article", "benefit_required", "humanitarian_exemption", "penalty", "penalty_max_months",
    "author", "document_kind", "source.citation", "source.url", "source.licence", "source.retrieved_from",
    "source.published",
)
_EXTRA_COLUMNS = ("rank", "score", "snippet")
FORMATS = ("csv", "jsonl", "json")
_TAG = re.compile(r"<[^>]*>")


def plain_snippet(snippet: str) -> str:
    """A snippet as plain text: the marks removed, ``&amp;`` and friends unescaped."""
    return html.unescape(_TAG.sub("", snippet))


def _cell(value: Any) -> Any:
    # As the core's column export: lists of strings stay lists, other structures become JSON.
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return list(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _flatten(record: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                out[f"{key}.{sub}"] = _cell(inner)
        else:
            out[key] = _cell(value)
    return out


def with_year(row: Dict[str, Any]) -> Dict[str, Any]:
    """``row`` with the integer ``year`` of its ``date`` (the facet's year), when it has one."""
    date = row.get("date")
    if isinstance(date, str) and date[:4].isdigit():
        row["year"] = int(date[:4])
    return row


def year_column(dates: List[Any]) -> List[Any]:
    """The ``year`` column of a ``date`` column: integers, None where undated."""
    return [int(d[:4]) if isinstance(d, str) and d[:4].isdigit() else None for d in dates]


def _order(names: Iterable[str]) -> List[str]:
    """Record field names in docs/records.md order, then the others alphabetically (so that a page
    and all matches order the columns they share alike)."""
    present = set(names)
    return [n for n in _FIELD_ORDER if n in present] + sorted(present.difference(_FIELD_ORDER))


def _pandas(what: str) -> Any:
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"{what} needs pandas: pip install 'jurisdex[pandas]' (or pip install pandas)") from e
    return pd


def _frame(columns: Dict[str, List[Any]], what: str) -> Any:
    """A DataFrame from columns of cells (None for missing), with nullable dtypes where needed."""
    pd = _pandas(what)
    data: Dict[str, Any] = {}
    for name, cells in columns.items():
        present = [c for c in cells if c is not None]
        if any(isinstance(c, list) for c in present):
            data[name] = pd.Series(cells, dtype=object)
        elif present and len(present) < len(cells) and all(isinstance(c, bool) for c in present):
            data[name] = pd.array(cells, dtype="boolean")
        elif (present and len(present) < len(cells)
              and all(isinstance(c, int) and not isinstance(c, bool) for c in present)):
            data[name] = pd.array(cells, dtype="Int64")
        else:
            data[name] = cells
    return pd.DataFrame(data, columns=list(columns))


def format_of(path: PathLike, format: Optional[str]) -> str:
    """The export format: ``format`` if given, else from the file's suffix.

    Raises:
        ValueError: an unknown format, or a suffix that names none.
    """
    if format is None:
        suffix = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
        if suffix not in FORMATS:
            raise ValueError(f"cannot tell the format of '{os.fspath(path)}' from its suffix; "
                             f"use .csv, .jsonl or .json, or name the format")
        return suffix
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    return format


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return value


def write_csv(path: PathLike, columns: Dict[str, List[Any]], n: int,
              advance: Optional[Callable[[int], None]] = None) -> int:
    """Write columns of cells as CSV, row by row (no dict per row); returns the rows written."""
    names = list(columns)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        for i, row in enumerate(zip(*(columns[name] for name in names))):
            writer.writerow([_csv_value(v) for v in row])
            if advance is not None and (i + 1) % 256 == 0:
                advance(256)
        if advance is not None and n % 256:
            advance(n % 256)
    return n


def write_objects(path: PathLike, format: str, objects: Iterable[Dict[str, Any]], n: int,
                  advance: Optional[Callable[[int], None]] = None) -> int:
    """Write objects as JSON Lines (``format="jsonl"``) or as one JSON array (``"json"``)."""
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if format == "json":
            f.write("[")
        for obj in objects:
            text = json.dumps(obj, ensure_ascii=False)
            if format == "json":
                f.write(("\n" if written == 0 else ",\n") + text)
            else:
                f.write(text + "\n")
            written += 1
            if advance is not None and written % 256 == 0:
                advance(256)
        if format == "json":
            f.write("\n]\n" if written else "]\n")
        if advance is not None and written % 256:
            advance(written % 256)
    return written
