"""The :class:`Index`: open or create an index, add records, search it."""

from __future__ import annotations

import json
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from .errors import JurisdexError, QueryError, RecordError, RecordWarning, check_query_text
from .progress import progress_bar
from .research import ResearchMixin
from .results import IngestReport, Rejection, Results
if TYPE_CHECKING:
    from .suggest import Audit, Suggestions  # noqa: F401
from .plots import NOT_STATED
from .vocabulary import default_vocabulary_path

__all__ = ["Index", "validate", "FACETS", "all_of"]

PathLike = Union[str, "os.PathLike[str]"]
FilterValue = Union[str, int, Sequence[Union[str, int]], Tuple[Any, Any]]

#: The facet fields: filter with ``search(country="ITA")``, count with ``facets=["country"]``.
FACETS: Tuple[str, ...] = tuple(name for name, *_ in _core.facet_fields())
_RANGE_FIELDS = ("year", "date")


class all_of:
    """A filter value asking for records that have EVERY one of ``values`` in one facet.

    A list of values is OR (``offences=["a", "b"]``: either); ``all_of`` is AND within the field:

    >>> import jurisdex
    >>> jurisdex.all_of("trafficking_in_persons", "forced_labour")
    all_of('trafficking_in_persons', 'forced_labour')

    Taken wherever filters are: ``search``, ``to_pandas``, ``crosstab``, ``export``, ``similar``,
    ``facet_counts``, ``cited_by``, ``plot_timeline``.
    """

    __slots__ = ("values",)

    def __init__(self, *values: Union[str, int, bool]) -> None:
        if len(values) == 1 and isinstance(values[0], (list, tuple, set)):
            values = tuple(values[0])
        if not values:
            raise ValueError("all_of() needs at least one value")
        self.values: Tuple[str, ...] = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in values)

    def __repr__(self) -> str:
        return "all_of(" + ", ".join(repr(v) for v in self.values) + ")"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, all_of) and other.values == self.values

    def __hash__(self) -> int:
        return hash(self.values)


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[str]:
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    out = [os.fsdecode(p) for p in paths]
    for p in out:
        if not os.path.exists(p):
            raise FileNotFoundError(f"cannot read '{p}': no such file or folder")
    return out


def _vocabulary(path: Optional[PathLike]) -> "_core.Vocabulary":
    return _core.Vocabulary.from_file(os.fsencode(path) if path else default_vocabulary_path())


def _native(paths: Sequence[str]) -> List[bytes]:
    """Paths as the C++ core takes them: the file system's bytes, UTF-8 or not (as os.fsencode)."""
    return [os.fsencode(p) for p in paths]


def _split_filters(filters: Mapping[str, FilterValue]) -> Tuple[Dict[str, List[str]], Dict[str, Tuple[str, str]]]:
    """Keyword filters -> facet values (OR within a field; ``FIELD:all`` keys for :class:`all_of`,
    AND within it) and inclusive ranges on year/date."""
    values: Dict[str, List[str]] = {}
    ranges: Dict[str, Tuple[str, str]] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if isinstance(value, all_of):
            if name in _RANGE_FIELDS and name == "date":
                raise QueryError("all_of() takes facet values, not dates: a record has one date")
            values[f"{name}:all"] = list(value.values)
        elif name in _RANGE_FIELDS and isinstance(value, tuple):
            if len(value) != 2:
                raise TypeError(f"{name}= takes a (low, high) tuple, got {value!r}")
            lo, hi = ("" if v is None else str(v) for v in value)
            ranges[name] = (lo, hi)
        elif name == "date":
            ranges[name] = (str(value), str(value))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            values[name] = [str(value)]
        elif isinstance(value, bool):
            values[name] = [str(value).lower()]
        else:
            values[name] = [str(v).lower() if isinstance(v, bool) else str(v) for v in value]
    return values, ranges


class Index(ResearchMixin):
    """A jurisdex index on disk.

    Args:
        path: the index folder.
        create: create the index if it does not exist (and open it for writing).
        writable: open an existing index for writing. Only one writer at a time.
        vocabulary: a vocabulary.json to validate records against; defaults to the shipped one.

    Raises:
        IndexNotFoundError: no index at ``path`` (and ``create`` is false).
        IndexLockedError: opened for writing while another writer holds the index.

    >>> import tempfile, jurisdex
    >>> idx = jurisdex.Index(tempfile.mkdtemp() + "/idx", create=True)
    >>> idx.add({"id": "x", "type": "legislation", "title": "Protocol art. 6", "country": "INT",
    ...          "language": "en", "date": "2000-11-15", "summary": "Criminalization of migrant smuggling.",
    ...          "offences": ["smuggling_of_migrants"], "source": {"citation": "Smuggling Protocol, art. 6"}})
    IngestReport(added=1, replaced=0, rejected=[], bytes=0, warnings=[])
    >>> idx.search("smuggled migrants").ids()
    ['x']
    """

    def __init__(self, path: PathLike, create: bool = False, writable: bool = False,
                 vocabulary: Optional[PathLike] = None) -> None:
        self.path = os.fsdecode(path)
        self._writer: Optional[_core.Indexer] = None
        self._suggester: Optional[_core.Suggester] = None
        if create or writable:
            self._writer = _core.Indexer(os.fsencode(self.path), _vocabulary(vocabulary), create)
            self._searcher = self._writer.searcher()
        else:
            self._searcher = _core.Searcher(os.fsencode(self.path))

    @classmethod
    def open_shards(cls, shards: Sequence[Union[PathLike, str]]) -> "Index":
        """One read-only view over several shards: index folders and ``tcp://HOST:PORT`` shards
        served by ``jurisdex serve``. Searches, filters, exact facet counts, snippets, sorting and
        ``similar`` give what one index holding all the records would.

        Raises:
            IndexNotFoundError: naming the shard that cannot be opened or reached.
        """
        specs = [os.fsdecode(s) for s in shards]
        index = cls.__new__(cls)
        index.path = ",".join(specs)
        index._writer = None
        index._suggester = None
        index._searcher = _core.Searcher.open_shards(_native(specs))
        return index

    @staticmethod
    def write_stub(path: PathLike, shards: Sequence[Union[PathLike, str]]) -> None:
        """Write a stub database file (Xapian's own format) naming the shards, so that
        ``Index(path)`` and ``jurisdex search --db path`` open them as one index.

        Raises:
            IndexNotFoundError: a shard cannot be opened or reached (nothing is written).
        """
        specs = [os.fsdecode(s) for s in shards]
        specs = [s if s.startswith("tcp://") else os.path.abspath(s) for s in specs]
        Index.open_shards(specs)  # check every shard first
        lines = [f"remote {s[len('tcp://'):]}" if s.startswith("tcp://") else f"auto {s}" for s in specs]
        with open(path, "wb") as f:
            f.write(os.fsencode("\n".join(lines) + "\n"))

    # ---- writing ----

    @property
    def writable(self) -> bool:
        """Whether this handle can add and delete records."""
        return self._writer is not None

    def _write(self) -> "_core.Indexer":
        if self._writer is None:
            raise JurisdexError(f"index '{self.path}' is open read-only; open it with writable=True")
        return self._writer

    def add_files(self, paths: Union[PathLike, Iterable[PathLike]], progress: bool = False, strict: bool = False,
                  batch_size: int = 10000, jobs: int = 1) -> IngestReport:
        """Index .json/.jsonl files and folders (searched recursively), entirely in C++.

        Bad records are skipped and listed in the report; what was committed before stays.

        Args:
            paths: files or folders.
            progress: show a progress bar (terminal or notebook).
            strict: index nothing, and raise RecordError, if any record is bad.
            batch_size: records per commit.
            jobs: worker threads; above 1 each builds a shard of its own (records split by id)
                and the shards are merged into the index with Xapian's compaction.

        Returns:
            IngestReport: added, replaced, and rejected ``(source, line, record_id, message)``.

        Raises:
            FileNotFoundError: a path does not exist.
            RecordError: in strict mode, for the first bad record.
        """
        writer = self._write()
        files = _paths(paths)
        if jobs < 1:
            raise ValueError("jobs must be >= 1")
        with progress_bar(progress, "indexing") as update:
            raw = writer.add_files(_native(files), strict, batch_size, update, jobs)
        self._searcher = writer.searcher()  # a parallel ingest replaces the database
        return IngestReport._from_core(raw)

    def add(self, records: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]) -> IngestReport:
        """Add one record (a dict) or a list of them; a record whose id exists replaces it.

        All or nothing: if one record is bad, none is added.

        Raises:
            RecordError: naming the record (by position and id), the field and what was expected.
        """
        writer = self._write()
        try:
            text = json.dumps(records, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as e:
            raise RecordError(f"<input>: not JSON-serialisable: {e}", source="<input>", problem=str(e)) from None
        return IngestReport._from_core(writer.add_json(text, "<input>"))

    def delete(self, id: str) -> bool:
        """Remove a record. Returns False when no record has that id."""
        return self._write().remove(id)

    def commit(self) -> None:
        """Make all changes durable and visible to other readers."""
        self._write().commit()

    def close(self) -> None:
        """Commit (if writable) and release the index."""
        if self._writer is not None:
            self._writer.commit()
        self._writer = None
        self._searcher = None  # type: ignore[assignment]

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading ----

    def _read(self) -> "_core.Searcher":
        if self._searcher is None:
            raise JurisdexError(f"index '{self.path}' is closed")
        return self._searcher

    def __len__(self) -> int:
        return self._read().size()

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self._read().get(id) is not None

    def get(self, id: str) -> Optional[Dict[str, Any]]:
        """The stored record with this id, as given when indexed, or None."""
        data = self._read().get(id)
        return None if data is None else json.loads(data)

    def search(self, query: str = "", *, facets: Sequence[str] = (), sort: str = "relevance", limit: Optional[int] = 20,
               offset: int = 0, lang: Optional[str] = None, default_op: str = "or", exact_total: bool = False,
               marks: Tuple[str, str] = ("<mark>", "</mark>"), snippets: bool = True, expand: bool = True,
               **filters: FilterValue) -> Results:
        """Search the index.

        Args:
            query: free text in Xapian QueryParser syntax: ``AND OR NOT NEAR``, ``"phrases"``,
                ``field:value`` (title, summary, text and every facet), ``year:2015..2020``,
                ``date:2015-03..2016``, ``+must -mustnot``, ``wild*``. Blank matches everything.
            facets: facet fields to count over all matches.
            sort: ``"relevance"``, ``"date"`` or ``"-date"``.
            limit, offset: the page; ``limit=None`` returns every match.
            lang: stem the query in this language only (default: each language of the index,
                each applied to the records in that language).
            default_op: how words without operators combine, ``"or"`` (ranked) or ``"and"``.
            exact_total: count all matches even when no facets are asked for.
            marks: what surrounds matched words in snippets.
            snippets: False leaves ``Hit.snippet`` empty (saves most of a page's cost on long texts).
            expand: add the concepts the query names in any language (offences, aggravations of
                the vocabulary), weighted, not required; ``Results.concepts`` lists them.
            **filters: facet filters, a value or a list (OR within a field, AND across fields),
                or :class:`jurisdex.all_of` (every value, AND within the field);
                ``year=(2015, 2022)`` and ``date=("2015-03", None)`` are inclusive ranges.

        Returns:
            Results: ``total``, ``hits``, ``facets``.

        Raises:
            QueryError: bad syntax, unknown field or facet, unknown facet value, bad range.
        """
        if limit is None:
            limit = max(len(self) - offset, 0)  # no index has more matches than records
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        values, ranges = _split_filters(filters)
        check_query_text(query, values, ranges)
        raw = self._read().search(query, values, ranges, list(facets), sort, limit, offset, lang or "", default_op,
                                  exact_total, marks[0], marks[1], True, 240, snippets, expand)
        return Results._from_core(raw, self._read().get)

    def similar(self, id: str, limit: int = 10, *, expand: bool = True, **filters: FilterValue) -> Results:
        """Records most like record ``id``, itself excluded, in any language.

        Records are found by the record's most distinctive stems (its own language) and by its
        concepts (every language), weighted as a query's concepts are; ``expand=False`` leaves
        the concepts out.

        Raises:
            QueryError: no record has that id.
        """
        values, ranges = _split_filters(filters)
        if ranges:
            raise TypeError("similar() takes facet filters, not ranges")
        return Results._from_core(self._read().similar(id, limit, values, expand), self._read().get)

    def cited_by(self, provision: str, limit: Optional[int] = 20, **filters: FilterValue) -> Results:
        """Records citing a provision, newest first: ``idx.cited_by("INT:SOM-PROTOCOL:6", type="case")``.

        Citations are the records' ``cites``, or, for records without, those found in their text
        ("8 U.S.C. § 1324", "art. 197a Sr", "§ 96 AufenthG", "article L823-1 du CESEDA"...).
        ``filters`` are :meth:`search`'s; ``limit=None`` returns every citing record.

        Raises:
            QueryError: no record is or cites ``provision`` (with the nearest known ids), or a
                bad filter.
        """
        if "cites" in filters:
            raise QueryError("cited_by() takes the provision as its first argument, not a cites= filter")
        known = self.facet_counts("cites")
        if provision not in known and provision not in self:
            import difflib
            candidates = sorted(set(known) | {p for p in known})
            near = difflib.get_close_matches(provision, candidates, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
            raise QueryError(f"no record is or cites provision '{provision}'{hint}; provision ids are "
                             "COUNTRY:INSTRUMENT:ARTICLE, as idx.facet_counts('cites') lists them")
        return self.search("", cites=provision, sort="-date", limit=limit, exact_total=True, **filters)

    def facet_counts(self, field: str, query: str = "", *, dropna: bool = True, **filters: FilterValue) -> Dict[str, int]:
        """Counts of a facet's values, most frequent first: over the whole index, or over the
        matches of ``query`` and ``filters`` (as for :meth:`search`).

        A record counts once under each value of a multi-valued facet. With ``dropna=False`` (as
        pandas' ``value_counts``), the records with no value are counted too, under
        ``"(not stated)"``, so the counts of a single-valued facet sum to the records counted.

        Raises:
            QueryError: unknown facet, bad query or filter.
        """
        if not query and not any(v is not None for v in filters.values()):
            counts = dict(self._read().facet_counts(field))
            total = len(self)
        else:
            res = self.search(query, facets=[field], limit=0, **filters)
            counts, total = dict(res.facets[field]), res.total
        if not dropna:
            values, ranges = _split_filters(filters)
            missing = self._lacking(field, query, None, "or", True, values, ranges)
            if missing:
                counts[NOT_STATED] = missing
        return counts

    def languages(self) -> List[str]:
        """The languages of the indexed records."""
        return self._read().languages()

    def reopen(self) -> None:
        """See the latest commit of another process's writer (searches also do this by themselves)."""
        self._read().reopen()

    def stats(self) -> Dict[str, Any]:
        """Records, languages, size on disk, and the most frequent values of the main facets."""
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(self.path) for f in fs)
        top = {f: dict(list(self.facet_counts(f).items())[:10])
               for f in ("type", "country", "region", "language", "offences", "aggravations", "financial_benefit")}
        return {"path": self.path, "records": len(self), "bytes_on_disk": size, "languages": self.languages(),
                "facets": top}

    def suggest(self, record_or_text: Union[str, Mapping[str, Any]], lang: Optional[str] = None) -> "Suggestions":
        """Suggest a case's codable fields from its own words, with the words that justify each.

        Fields: offences, aggravations, financial_benefit.element and .kinds, outcome,
        court_level, sentence_months (as pronounced, in months), life_sentence, defendants,
        migrants_or_victims, deaths. Read with the index's vocabulary, in the record's
        language (see docs/suggest.md for how confidence is computed and measured).

        Args:
            record_or_text: a record (``title``, ``summary``, ``text`` and ``court`` are read)
                or plain text.
            lang: the language of the words; default the record's ``language``, or for text
                the vocabulary language whose common words it uses most.

        Returns:
            Suggestions: a dict of field -> [Suggestion(field, value, confidence, evidence)],
            best first; a field the words give no evidence for is absent (no guess).

        >>> import jurisdex, tempfile
        >>> idx = jurisdex.Index(tempfile.mkdtemp() + "/idx", create=True)
        >>> s = idx.suggest("Zu sieben Jahren Haft verurteilt wegen Einschleusens von Ausländern", lang="de")
        >>> s["sentence_months"][0].value, s["offences"][0].value
        (84, 'smuggling_of_migrants')
        """
        from .suggest import suggest
        if self._suggester is None:
            self._suggester = _core.Suggester(self._read().vocabulary())
        return suggest(record_or_text, lang, suggester=self._suggester)

    def audit(self, query: str = "", *, min_confidence: Optional[float] = None,
              fields: Optional[Sequence[str]] = None, **filters: FilterValue) -> "Audit":
        """Records whose coded fields disagree with their own text, as findings to work through.

        A finding is ``missing`` (a suggestion at ``min_confidence`` or above that the record
        does not code), ``unsupported`` (a coded value no words of the record support) or
        ``differs`` (a number coded, another read in the text with high confidence).

        Args:
            query: as for :meth:`search`; blank checks every matching record.
            min_confidence: from which a suggestion missing from a record is reported
                (default ``jurisdex.suggest.HIGH_CONFIDENCE``, 0.8).
            fields: the fields to check (default all of ``jurisdex.suggest.FIELDS``).
            **filters: facet filters, as for :meth:`search`; by default cases only.

        Returns:
            Audit: a list of Finding with ``counts()``, ``by_field()``, ``to_pandas()`` and
            ``to_csv()``; ``records_checked`` says how many records were read.
        """
        from .suggest import FIELDS, HIGH_CONFIDENCE, Audit, audit_record
        filters = dict(filters)
        filters.setdefault("type", "case")
        columns, _ = self._column_export(query, "relevance", None, "or", False, filters)
        out = Audit()
        checked = 0
        for record in self._stored(columns, with_text=True):
            checked += 1
            found = self.suggest(record)
            out.extend(audit_record(record, found, HIGH_CONFIDENCE if min_confidence is None else min_confidence,
                                    tuple(fields) if fields else FIELDS))
        out.records_checked = checked
        return out

    def __repr__(self) -> str:
        mode = "writable" if self._writer is not None else "read-only"
        return f"<jurisdex.Index {self.path!r} {mode}>"


def validate(paths: Union[PathLike, Iterable[PathLike]], vocabulary: Optional[PathLike] = None,
             progress: bool = False, strict: bool = False) -> List[Rejection]:
    """Check files of records against docs/records.md and the vocabulary, without indexing them.

    Every problem of a record is reported at once. A field docs/records.md does not define (a misspelt
    ``"aggravation"``) is kept but never indexed: it is reported as a :class:`RecordWarning`
    naming the nearest field, and, with ``strict``, as a bad record.

    Returns:
        The bad records with where and why; an empty list when all are valid.

    Raises:
        FileNotFoundError: a path does not exist.
    """
    report = validation_report(paths, vocabulary, progress, strict)
    for w in report.warnings:
        warnings.warn(w.message, RecordWarning, stacklevel=2)
    return report.rejected


def validation_report(paths: Union[PathLike, Iterable[PathLike]], vocabulary: Optional[PathLike] = None,
                      progress: bool = False, strict: bool = False) -> IngestReport:
    """:func:`validate`'s findings as an :class:`IngestReport`: ``rejected`` and ``warnings``."""
    files = _paths(paths)
    with progress_bar(progress, "validating") as update:
        raw = _core.validate_files(_native(files), _vocabulary(vocabulary), update, strict)
    return IngestReport._from_core(raw)
