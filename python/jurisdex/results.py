"""What searches and ingests return: :class:`Results`, :class:`Hit`, :class:`IngestReport`."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional

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

    @classmethod
    def _from_core(cls, raw: Dict[str, Any]) -> "IngestReport":
        return cls(raw["added"], raw["replaced"], [_rejection(r) for r in raw["rejected"]], raw["bytes"])

    def __str__(self) -> str:
        return f"{self.added} added, {self.replaced} replaced, {len(self.rejected)} rejected"


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

    @classmethod
    def _from_core(cls, raw: Dict[str, Any], fetch: Callable[[str], Optional[str]]) -> "Results":
        facets = {name: dict(counts) for name, counts in raw["facets"]}
        hits = [_hit(h, fetch) for h in raw["hits"]]
        return cls(raw["total"], hits, facets, raw.get("total_exact", True), raw["query"])

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]

    def ids(self) -> List[str]:
        """The ids of the hits, in rank order."""
        return [h.id for h in self.hits]

    def to_pandas(self):
        """One row per hit: rank, score, id, every record field (lists kept as lists), snippet.

        Requires pandas (``pip install jurisdex[pandas]``).
        """
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Results.to_pandas() needs pandas: pip install pandas") from e
        rows = []
        for h in self.hits:
            row = {"rank": h.rank, "score": h.score}
            row.update(h.record)
            row["snippet"] = h.snippet
            rows.append(row)
        columns = ["rank", "score", "id"]
        for row in rows:
            columns.extend(k for k in row if k not in columns)
        return pd.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for h in self.hits:
            rec = h.record
            snippet = esc(h.snippet).replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
            rows.append(
                "<tr>"
                f"<td>{h.rank + 1}</td><td><b>{esc(h.title)}</b><br><small>{esc(h.id)}</small></td>"
                f"<td>{esc(str(rec.get('court', rec.get('instrument', ''))))}</td>"
                f"<td>{esc(h.country)}</td><td>{esc(h.date)}</td><td>{snippet}</td>"
                "</tr>"
            )
        table = (
            "<table><thead><tr><th>#</th><th>title</th><th>court / instrument</th><th>country</th>"
            f"<th>date</th><th>snippet</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        facet_html = ""
        for name, counts in self.facets.items():
            items = "".join(f"<li>{esc(k)}: {v}</li>" for k, v in list(counts.items())[:10])
            facet_html += f"<div><b>{esc(name)}</b><ul>{items}</ul></div>"
        total = f"{self.total}" + ("" if self.total_exact else " (estimate)")
        return (
            f"<div><p>{total} matching records, showing {len(self.hits)}</p>"
            f"<div style='display:flex;gap:2em'><div>{table}</div><div>{facet_html}</div></div></div>"
        )
