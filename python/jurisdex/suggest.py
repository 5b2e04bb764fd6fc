"""Coding help: a case's codable fields suggested from its own words, and an audit of coded
records against their text. The reading runs in C++ (``_core.Suggester``); this module turns
its answers into plain Python objects. See docs/suggest.md.

>>> from jurisdex.suggest import suggest
>>> s = suggest("Il a été condamné à 4 ans d'emprisonnement pour aide au séjour irrégulier.")
>>> s["sentence_months"][0].value, s["sentence_months"][0].evidence[0].words
(48, '4 ans')
>>> suggest("The weather was fine.")
{}
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core

#: The fields suggest() fills, in the order it reports them.
FIELDS: Tuple[str, ...] = tuple(_core.suggestible_fields())
NUMBER_FIELDS = ("sentence_months", "defendants", "migrants_or_victims", "deaths")
#: Fields holding one value (the others are lists).
SINGLE_VALUED = ("financial_benefit.element", "outcome", "court_level", "life_sentence") + NUMBER_FIELDS
#: The confidence from which the audit reports a suggestion missing from a record.
HIGH_CONFIDENCE = 0.8
# Codes that say "not stated" or "none of these": never evidence to look for.
_NO_EVIDENCE_EXPECTED = {("financial_benefit.element", "unknown"), ("financial_benefit.kinds", "other"),
                         ("outcome", "other"), ("offences", "other")}


@dataclass(frozen=True)
class Evidence:
    """Words of a record justifying a suggestion: ``record[field].encode()[start:end]`` is ``words``."""
    field: str
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class Suggestion:
    """A suggested value of a codable field, how sure, and the words behind it."""
    field: str
    value: Union[str, int, bool]
    confidence: float
    evidence: Tuple[Evidence, ...]

    def to_dict(self) -> Dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 3),
                "evidence": [{"field": e.field, "start": e.start, "end": e.end, "words": e.words} for e in self.evidence]}


class Suggestions(Dict[str, List[Suggestion]]):
    """Suggestions by field (only fields with evidence appear), best first within a field.

    ``values(min_confidence)`` gives a record-shaped dict of the values at or above a confidence.
    """

    def best(self, field: str) -> Optional[Suggestion]:
        found = self.get(field)
        return found[0] if found else None

    def record_values(self, min_confidence: float = 0.0) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for field, found in self.items():
            kept = [s.value for s in found if s.confidence >= min_confidence]
            if kept:
                out[field] = kept[0] if field in SINGLE_VALUED else kept
        return out

    def to_dict(self) -> Dict[str, List[Dict[str, Any]]]:
        return {field: [s.to_dict() for s in found] for field, found in self.items()}


def _convert(raw: Iterable[Any]) -> Suggestions:
    out = Suggestions()
    for s in raw:
        if s.field == "life_sentence":
            value: Union[str, int, bool] = True
        elif s.field in NUMBER_FIELDS:
            value = int(round(s.number))
        else:
            value = s.value
        evidence = tuple(Evidence(e.field, e.start, e.end, e.words) for e in s.evidence)
        out.setdefault(s.field, []).append(Suggestion(s.field, value, s.confidence, evidence))
    return out


_default: Optional["_core.Suggester"] = None


def _suggester(vocabulary: Optional["_core.Vocabulary"] = None) -> "_core.Suggester":
    global _default
    if vocabulary is not None:
        return _core.Suggester(vocabulary)
    if _default is None:
        from .vocabulary import default_vocabulary_path
        _default = _core.Suggester(_core.Vocabulary.from_file(os.fsencode(default_vocabulary_path())))
    return _default


def suggest(record_or_text: Union[str, Mapping[str, Any]], lang: Optional[str] = None, *,
            suggester: Optional["_core.Suggester"] = None) -> Suggestions:
    """Suggest a record's codable fields from its words (the shipped vocabulary's synonyms).

    Args:
        record_or_text: a record (its ``title``, ``summary``, ``text`` and ``court`` are read)
            or plain text.
        lang: the language of the words; by default the record's ``language``, or for text
            the vocabulary language whose common words it uses most.
        suggester: a ``_core.Suggester`` of another vocabulary (``Index.suggest`` passes the
            index's own).

    Returns:
        Suggestions: field -> suggestions, best first; a field without evidence is absent.

    Raises:
        TypeError: neither a mapping nor a string.
        JurisdexError: a record that cannot be written as JSON.
    """
    s = suggester or _suggester()
    if isinstance(record_or_text, str):
        return _convert(s.suggest_text(record_or_text, lang or ""))
    if isinstance(record_or_text, Mapping):
        return _convert(s.suggest_record(json.dumps(dict(record_or_text), ensure_ascii=False), lang or ""))
    raise TypeError(f"suggest() takes a record (dict) or text (str), not {type(record_or_text).__name__}")


# ---- Audit ----

@dataclass(frozen=True)
class Finding:
    """A coded field that disagrees with the record's own text.

    kind: ``"missing"`` (the text supports a value the record lacks, with high confidence),
    ``"unsupported"`` (a coded value no words of the text support) or ``"differs"`` (a number
    coded, and another one read in the text).
    """
    id: str
    language: str
    field: str
    kind: str
    coded: str
    suggested: str
    confidence: Optional[float]
    evidence: str
    title: str = ""

    COLUMNS = ("id", "language", "field", "kind", "coded", "suggested", "confidence", "evidence", "title")

    def row(self) -> List[Any]:
        return [getattr(self, c) if c != "confidence" or self.confidence is None else round(self.confidence, 2)
                for c in self.COLUMNS]


class Audit(List[Finding]):
    """Findings of :meth:`Index.audit`, one per record and field value, in index order."""

    records_checked: int = 0

    def counts(self) -> Dict[str, int]:
        """Number of findings of each kind."""
        out: Dict[str, int] = {}
        for f in self:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    def by_field(self) -> Dict[Tuple[str, str], int]:
        """Number of findings by (field, kind)."""
        out: Dict[Tuple[str, str], int] = {}
        for f in self:
            out[(f.field, f.kind)] = out.get((f.field, f.kind), 0) + 1
        return dict(sorted(out.items()))

    def to_pandas(self) -> Any:
        import pandas as pd
        return pd.DataFrame([f.row() for f in self], columns=list(Finding.COLUMNS))

    def to_csv(self, path: Optional[Union[str, os.PathLike]] = None) -> str:
        """The findings as CSV (written to ``path`` when given); returns the text."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(Finding.COLUMNS)
        for f in self:
            w.writerow(f.row())
        text = buf.getvalue()
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        return text


def _coded(record: Mapping[str, Any], field: str) -> List[Any]:
    if field.startswith("financial_benefit."):
        fb = record.get("financial_benefit") or {}
        value = fb.get(field.split(".", 1)[1]) if isinstance(fb, Mapping) else None
    else:
        value = record.get(field)
    if value is None or value is False:
        return []
    return list(value) if isinstance(value, list) else [value]


def audit_record(record: Mapping[str, Any], found: Suggestions, min_confidence: float = HIGH_CONFIDENCE,
                 fields: Sequence[str] = FIELDS) -> List[Finding]:
    """The findings on one record given its suggestions (see :class:`Finding`)."""
    out: List[Finding] = []
    rid, lang, title = str(record.get("id", "")), str(record.get("language", "")), str(record.get("title", ""))
    for field in fields:
        coded = _coded(record, field)
        suggested = found.get(field, [])
        by_value = {s.value: s for s in suggested}
        for s in suggested:
            if s.confidence < min_confidence or s.value in coded:
                continue
            words = "; ".join(e.words for e in s.evidence[:3])
            if field in NUMBER_FIELDS and coded:
                out.append(Finding(rid, lang, field, "differs", str(coded[0]), str(s.value), s.confidence, words, title))
            elif field in SINGLE_VALUED and coded:
                continue  # another value coded, and evidence for it or not: reported below if none
            else:
                out.append(Finding(rid, lang, field, "missing", "", str(s.value), s.confidence, words, title))
        for value in coded:
            if (field, value) in _NO_EVIDENCE_EXPECTED or value in by_value:
                continue
            if field in NUMBER_FIELDS and suggested:
                continue  # reported as "differs" when confident
            best = suggested[0] if suggested and field in SINGLE_VALUED else None  # the value the words support instead
            out.append(Finding(rid, lang, field, "unsupported", str(value).lower() if isinstance(value, bool) else str(value),
                               str(best.value) if best else "", best.confidence if best else None,
                               "; ".join(e.words for e in best.evidence[:3]) if best else "", title))
    return out


def format_table(audit: Sequence[Finding], width: int = 100) -> str:
    """The findings as an aligned text table, one line each."""
    if not audit:
        return "no findings"
    rows = [["id", "field", "kind", "coded", "suggested", "conf", "evidence"]]
    for f in audit:
        conf = "" if f.confidence is None else f"{f.confidence:.2f}"
        rows.append([f.id[:40], f.field, f.kind, f.coded, f.suggested, conf, f.evidence[:40]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
