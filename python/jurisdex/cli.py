"""The ``jurisdex`` command: index, search, similar, crosstab, export, show, stats, serve,
validate, suggest, audit.

Exit codes: 0 ok, 1 error (or anything rejected under --strict, or invalid records for
validate), 2 usage. Errors are one line on stderr, never a traceback. Hits are numbered from 1
(``rank``) in every output format.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import shutil
import sys
import textwrap
from typing import List, Optional, Sequence

from . import __version__
from .errors import JurisdexError
from .index import FACETS, Index, all_of, validation_report

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jurisdex", description="Search case law and legislation on migrant "
                                "smuggling and trafficking in persons.")
    p.add_argument("--version", action="version", version=f"jurisdex {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    db_help = "index folder (default: $JURISDEX_DB)"

    ix = sub.add_parser("index", help="index .json/.jsonl files and folders")
    ix.add_argument("corpus", nargs="+", metavar="CORPUS", help="files or folders of records")
    ix.add_argument("--db", help=db_help)
    ix.add_argument("--strict", action="store_true", help="index nothing if any record is bad (exit 1)")
    ix.add_argument("--batch-size", type=int, default=10000, metavar="N", help="records per commit")
    ix.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                    help="worker threads: N shards built in parallel, then merged (default 1)")
    ix.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    s = sub.add_parser("search", help="search an index")
    s.add_argument("query", nargs="?", default="", metavar="QUERY",
                   help='free text: AND OR NOT, "phrases", field:value, year:2015..2020')
    s.add_argument("--db", help=db_help)
    _add_filter_arguments(s)
    s.add_argument("--facet", action="append", default=[], metavar="F", help="count a facet over all matches")
    s.add_argument("--sort", choices=["relevance", "date", "-date"], default="relevance",
                   help="relevance (default), date (oldest first) or -date (newest first); undated records last")
    s.add_argument("--limit", type=int, default=10, metavar="N")
    s.add_argument("--offset", type=int, default=0, metavar="N")
    s.add_argument("--lang", metavar="L", help="stem the query in this language only")
    s.add_argument("--all-words", action="store_true", help="match records with all the words (AND)")
    s.add_argument("--no-expand", action="store_true", help="no cross-lingual concept expansion")
    s.add_argument("--format", choices=["table", "json", "jsonl", "csv"], default="table",
                   help="table (default), json, jsonl (one hit a line) or csv")

    sm = sub.add_parser("similar", help="records most like one record, in any language")
    sm.add_argument("id", metavar="ID")
    sm.add_argument("--db", help=db_help)
    _add_filter_arguments(sm, year=False)
    sm.add_argument("--limit", type=int, default=10, metavar="N")
    sm.add_argument("--no-expand", action="store_true", help="only by the record's words, not its concepts")
    sm.add_argument("--format", choices=["table", "json", "jsonl", "csv"], default="table",
                    help="table (default), json, jsonl (one hit a line) or csv")

    e = sub.add_parser("export", help="write ALL matching records to a CSV, JSON Lines or JSON file")
    e.add_argument("query", nargs="?", default="", metavar="QUERY", help="as for search; blank matches everything")
    e.add_argument("--db", help=db_help)
    e.add_argument("--output", "-o", required=True, metavar="FILE",
                   help="the file to write (.csv, .jsonl, .json); - writes to standard output")
    e.add_argument("--format", choices=["csv", "jsonl", "json"],
                   help="default: from the suffix of FILE (csv for -)")
    _add_filter_arguments(e)
    e.add_argument("--sort", choices=["relevance", "date", "-date"], default="relevance",
                   help="relevance (default), date or -date (write --sort=-date)")
    e.add_argument("--lang", metavar="L", help="stem the query in this language only")
    e.add_argument("--all-words", action="store_true", help="match records with all the words (AND)")
    e.add_argument("--with-text", action="store_true", help="include the records' full texts")
    e.add_argument("--no-expand", action="store_true", help="no cross-lingual concept expansion")
    e.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    ct = sub.add_parser("crosstab", help="count matching records by two facets")
    ct.add_argument("rows", metavar="ROW", help=f"the facet of the rows ({', '.join(FACETS)})")
    ct.add_argument("cols", metavar="COL", help="the facet of the columns")
    ct.add_argument("--query", "-q", default="", metavar="QUERY", help="as for search; blank matches everything")
    ct.add_argument("--db", help=db_help)
    _add_filter_arguments(ct)
    ct.add_argument("--lang", metavar="L", help="stem the query in this language only")
    ct.add_argument("--all-words", action="store_true", help="match records with all the words (AND)")
    ct.add_argument("--no-expand", action="store_true", help="no cross-lingual concept expansion")
    ct.add_argument("--normalize", choices=["index", "columns", "all"],
                    help="shares instead of counts: of each row, of each column, or of all matches")
    missing = ct.add_mutually_exclusive_group()
    missing.add_argument("--dropna", dest="dropna", action="store_true", default=True,
                         help="records without a row or column value count only in the totals (default)")
    missing.add_argument("--keep-missing", dest="dropna", action="store_false",
                         help='a "(not stated)" row and column for records without a value')
    ct.add_argument("--labels", metavar="L", help="value names in this language instead of codes (en, fr, ...)")
    ct.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sh = sub.add_parser("show", help="print one record as JSON")
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--db", help=db_help)

    st = sub.add_parser("stats", help="records, facets and size of an index")
    st.add_argument("--db", help=db_help)
    st.add_argument("--format", choices=["table", "json"], default="table")

    sv = sub.add_parser("serve", help="serve an index read-only to other machines (Xapian's remote protocol)")
    sv.add_argument("--db", help=db_help)
    sv.add_argument("--port", type=int, required=True, metavar="P")
    sv.add_argument("--host", default="127.0.0.1", metavar="H", help="interface to listen on (default 127.0.0.1)")

    sg = sub.add_parser("suggest", help="suggest each record's codable fields from its words, with the evidence")
    sg.add_argument("paths", nargs="+", metavar="FILE", help=".jsonl or .json files of records")
    sg.add_argument("--db", help="read with this index's vocabulary (default: the shipped one)")
    sg.add_argument("--lang", metavar="L", help="the records' language (default: each record's `language`)")
    sg.add_argument("--format", choices=["table", "jsonl"], default="table",
                    help="table (default) or jsonl: one object a record, {id, suggestions: {field: [...]}}")

    au = sub.add_parser("audit", help="records whose coded fields disagree with their own text")
    au.add_argument("query", nargs="?", default="", metavar="QUERY", help="as for search; blank checks every case")
    au.add_argument("--db", help=db_help)
    au.add_argument("--format", choices=["table", "csv"], default="table", help="table (default) or csv")
    au.add_argument("--min-confidence", type=float, default=None, metavar="C",
                    help="report a suggestion missing from a record from this confidence (default 0.8)")
    au.add_argument("--field", action="append", default=[], metavar="F", help="check only these fields (repeatable)")
    au.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    _add_filter_arguments(au)

    v = sub.add_parser("validate", help="check records without indexing them")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--strict", action="store_true", help="a field docs/records.md does not define makes a record invalid")
    v.add_argument("--quiet", "-q", action="store_true", help="print only the summary line")
    return p


def _add_filter_arguments(p: argparse.ArgumentParser, year: bool = True) -> None:
    """The facet filters of ``search``, ``export`` and (without ``--year``) ``similar``."""
    p.add_argument("--country", action="append", default=[], metavar="C", help="ISO alpha-3 (repeatable)")
    p.add_argument("--offence", action="append", default=[], metavar="O", help="offence code (repeatable)")
    p.add_argument("--aggravation", action="append", default=[], metavar="A", help="aggravation code (repeatable)")
    p.add_argument("--type", action="append", default=[], metavar="T", help="case, legislation or document")
    p.add_argument("--language", action="append", default=[], metavar="L", help="record language (repeatable)")
    p.add_argument("--cites", action="append", default=[], metavar="PROVISION",
                   help="records citing a provision, e.g. INT:SOM-PROTOCOL:6 or USA:8-USC:1324 (repeatable)")
    p.add_argument("--filter", action="append", default=[], metavar="FACET=VALUE",
                   help=f"any facet filter; repeated for one facet: any of the values; facets: {', '.join(FACETS)}")
    p.add_argument("--all", action="append", default=[], metavar="FACET=V1,V2",
                   help="records having every one of the values (AND within the facet)")
    if year:
        p.add_argument("--year", metavar="Y|Y1..Y2", help="a year or an inclusive range (2015..2020, 2015.., ..2020)")


def _shown(path: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 (surrogate escapes) as U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _db(args: argparse.Namespace) -> str:
    db = args.db or os.environ.get("JURISDEX_DB")
    if not db:
        raise _UsageError("--db DIR is required (or set JURISDEX_DB)")
    return db


def _year_filter(text: Optional[str]) -> dict:
    if not text:
        return {}
    if ".." in text:
        lo, hi = text.split("..", 1)
        return {"year": (lo or None, hi or None)}
    return {"year": text}


def _filters(args: argparse.Namespace) -> dict:
    """The filter options as keyword filters. One option repeated is OR (any of the values),
    --all is AND; two different options on one facet would be ambiguous, so they are refused."""
    filters: dict = {}
    given: dict = {}  # facet -> the option that set it

    def put(name: str, value, option: str) -> None:
        if name in given and given[name] != option:
            raise _UsageError(f"{given[name]} and {option} both filter '{name}': repeat one option for records "
                              f"with any of the values, or use --all {name}=A,B for records with all of them")
        given[name] = option
        if isinstance(value, all_of):
            filters[name] = value
        else:
            filters.setdefault(name, []).append(value)

    for name, option, values in (("country", "--country", args.country), ("offences", "--offence", args.offence),
                                 ("aggravations", "--aggravation", args.aggravation), ("type", "--type", args.type),
                                 ("language", "--language", args.language), ("cites", "--cites", args.cites)):
        for v in values:
            put(name, v, option)
    for item in args.filter:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise _UsageError(f"--filter takes FACET=VALUE, got '{item}'")
        put(name, value, "--filter")
    for item in getattr(args, "all", []):
        name, sep, value = item.partition("=")
        values = [v for v in value.split(",") if v]
        if not sep or not name or not values:
            raise _UsageError(f"--all takes FACET=VALUE1,VALUE2, got '{item}'")
        if name in given:
            raise _UsageError(f"'{name}' is filtered twice (--all and {given[name]}): give all the values in one --all")
        put(name, all_of(*values), "--all")
    filters.update(_year_filter(getattr(args, "year", None)))
    return filters


def _cmd_index(args: argparse.Namespace) -> int:
    with Index(_db(args), create=True) as idx:
        report = idx.add_files(args.corpus, progress=not args.quiet, strict=args.strict, batch_size=args.batch_size,
                               jobs=args.jobs)
        total = len(idx)
    for r in report.rejected:
        print(f"rejected: {r}", file=sys.stderr)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{report}; {total} records in {_shown(_db(args))}")
    return EXIT_OK


def _plain_snippet(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


def _hit_json(h) -> dict:
    return {"rank": h.rank + 1, "score": h.score, "id": h.id, "title": h.title, "country": h.country,
            "date": h.date, "snippet": h.snippet, "record": h.record}


def _cmd_search(args: argparse.Namespace) -> int:
    idx = Index(_db(args))
    res = idx.search(args.query, facets=args.facet, sort=args.sort, limit=args.limit, offset=args.offset,
                     lang=args.lang, default_op="and" if args.all_words else "or", expand=not args.no_expand,
                     marks=("<mark>", "</mark>"), **_filters(args))
    exact = "" if res.total_exact else "about "
    first, last = (args.offset + 1 if res.hits else 0), args.offset + len(res.hits)
    heading = f"{exact}{res.total} matching records; showing {first}-{last}"
    _print_results(res, args.format, heading)
    return EXIT_OK


def _cmd_similar(args: argparse.Namespace) -> int:
    res = Index(_db(args)).similar(args.id, limit=args.limit, expand=not args.no_expand, **_filters(args))
    n = len(res.hits)
    _print_results(res, args.format, f"{n} record{'' if n == 1 else 's'} most like {args.id}")
    return EXIT_OK


def _print_results(res, fmt: str, heading: str) -> None:
    """Prints hits (and facet counts) in a --format; ``heading`` opens the table."""
    if fmt == "json":
        out = {"total": res.total, "total_exact": res.total_exact,
               "hits": [_hit_json(h) for h in res.hits],
               "facets": res.facets}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif fmt == "jsonl":
        for h in res.hits:
            print(json.dumps(_hit_json(h), ensure_ascii=False))
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(["rank", "score", "id", "type", "country", "date", "title", "snippet"])
        for h in res.hits:
            w.writerow([h.rank + 1, f"{h.score:.3f}", h.id, h.record.get("type", ""), h.country, h.date, h.title,
                        _plain_snippet(h.snippet)])
    else:
        width = shutil.get_terminal_size((100, 20)).columns
        print(heading)
        for h in res.hits:
            print(f"\n{h.rank + 1:>3}. {h.title}  [{h.country} {h.date or 'undated'}]  {h.id}")
            print(_wrapped_snippet(h.snippet, width, bold=sys.stdout.isatty()))
        for name, counts in res.facets.items():
            shown = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:15])
            print(f"\n{name}: {shown}")


def _wrapped_snippet(snippet: str, width: int, bold: bool) -> str:
    # Wrap the plain text first, then mark: escape codes must not count toward the width.
    plain = html.unescape(snippet.replace("<mark>", "\x01").replace("</mark>", "\x02"))
    text = textwrap.fill(plain, width=max(40, width - 6), initial_indent="     ", subsequent_indent="     ")
    on, off = ("\033[1m", "\033[0m") if bold else ("", "")
    return text.replace("\x01", on).replace("\x02", off)


def _cmd_export(args: argparse.Namespace) -> int:
    idx = Index(_db(args))
    options = dict(sort=args.sort, lang=args.lang, default_op="and" if args.all_words else "or",
                   with_text=args.with_text, expand=not args.no_expand, first_rank=1, **_filters(args))
    if args.output == "-":  # written whole, then copied out: a bad query writes nothing
        import tempfile
        fmt = args.format or "csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "export." + fmt)
            n = idx.export(path, args.query, format=fmt, progress=False, **options)
            with open(path, "rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
        sys.stdout.flush()
        print(f"{n} records written to standard output", file=sys.stderr)
        return EXIT_OK
    try:
        n = idx.export(args.output, args.query, format=args.format, progress=not args.quiet, **options)
    except OSError as e:
        print(f"jurisdex: error: cannot write '{_shown(args.output)}': {e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{n} records written to {_shown(args.output)}")
    return EXIT_OK


def _cmd_crosstab(args: argparse.Namespace) -> int:
    table = Index(_db(args)).crosstab(args.rows, args.cols, args.query, normalize=args.normalize or False,
                                      labels=args.labels, lang=args.lang,
                                      default_op="and" if args.all_words else "or", dropna=args.dropna,
                                      expand=not args.no_expand, **_filters(args))
    if args.format == "csv":
        table.to_csv(sys.stdout)
    elif args.format == "json":
        json.dump({"rows": args.rows, "cols": args.cols, "index": [str(i) for i in table.index],
                   "columns": [str(c) for c in table.columns], "data": table.values.tolist()},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    record = Index(_db(args)).get(args.id)
    if record is None:
        print(f"jurisdex: error: no record with id '{args.id}' in {_shown(_db(args))}", file=sys.stderr)
        return EXIT_ERROR
    json.dump(record, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    stats = Index(_db(args)).stats()
    if args.format == "json":
        json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    print(f"index      {_shown(stats['path'])}")
    print(f"records    {stats['records']}")
    print(f"on disk    {stats['bytes_on_disk'] / 1e6:.1f} MB")
    print(f"languages  {', '.join(stats['languages'])}")
    from .plots import facet_label
    for name, counts in stats["facets"].items():
        named = name in ("region",)  # M49 codes say nothing to a reader: "Europe 250", not "150 250"
        print(f"{name:<18} " + ", ".join(f"{facet_label(name, k) if named else k} {v}" for k, v in counts.items()))
    return EXIT_OK


def _tcpsrv() -> Optional[str]:
    """The xapian-tcpsrv to run: the wheel's own (jurisdex/bin, built against the Xapian bundled
    with the module, so both speak the same remote protocol), else the first on PATH."""
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "xapian-tcpsrv")
    if os.access(bundled, os.X_OK):
        return bundled
    return shutil.which("xapian-tcpsrv")


def _cmd_serve(args: argparse.Namespace) -> int:
    """Runs Xapian's xapian-tcpsrv on the index until SIGINT or SIGTERM."""
    import signal
    import socket
    import subprocess

    db = _db(args)
    Index(db)  # IndexNotFoundError names a missing or foreign index before anything starts
    server = _tcpsrv()
    if server is None:
        raise JurisdexError("xapian-tcpsrv is not installed: install Xapian's tools (Debian and Ubuntu: apt-get "
                            "install xapian-tools; Fedora: dnf install xapian-core; macOS: brew install xapian) "
                            "or jurisdex from a wheel built by scripts/build_wheel.sh, which bundles it")
    if not 0 < args.port < 65536:
        raise _UsageError(f"--port must be between 1 and 65535, not {args.port}")
    with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError as e:
            raise JurisdexError(f"cannot listen on {args.host}:{args.port}: {e.strerror}") from None
    # Its own session: on SIGTERM xapian-tcpsrv signals its whole process group, which must not
    # include whoever started this command.
    child = subprocess.Popen([server, "--port", str(args.port), "--interface", args.host, db],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def stop(signum, frame):  # forward the signal, then wait for a clean exit
        child.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"serving {_shown(db)} read-only on tcp://{args.host}:{args.port} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code not in (0, -signal.SIGTERM, -signal.SIGINT):
        detail = (child.stderr.read() or "").strip().splitlines()
        raise JurisdexError(f"xapian-tcpsrv stopped (exit {code})" + (f": {detail[-1]}" if detail else ""))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    report = validation_report(args.paths, strict=args.strict)
    if not args.quiet:
        for r in report.rejected:
            print(str(r))
        for w in report.warnings:
            print(f"warning: {w}")
    if report.rejected:
        print(f"{len(report.rejected)} invalid record(s)", file=sys.stderr)
        return EXIT_ERROR
    if report.warnings:
        print(f"all records valid; {len(report.warnings)} warning(s): fields that are kept but not indexed "
              "(--strict makes them errors)")
        return EXIT_OK
    print("all records valid")
    return EXIT_OK


def _read_records(paths: Sequence[str]) -> List[dict]:
    records: List[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            if path.endswith(".jsonl"):
                for n, line in enumerate(f, 1):
                    if line.strip():
                        try:
                            records.append(json.loads(line))
                        except json.JSONDecodeError as e:
                            raise ValueError(f"{path}:{n}: not JSON: {e.msg}") from None
            else:
                data = json.load(f)
                records.extend(data if isinstance(data, list) else [data])
    return records


def _cmd_suggest(args: argparse.Namespace) -> int:
    from .suggest import suggest
    index = Index(args.db) if args.db else None
    for n, record in enumerate(_read_records(args.paths), 1):
        if not isinstance(record, dict):
            raise ValueError(f"record {n} is not a JSON object")
        found = index.suggest(record, args.lang) if index else suggest(record, args.lang)
        rid = record.get("id", f"#{n}")
        if args.format == "jsonl":
            print(json.dumps({"id": rid, "suggestions": found.to_dict()}, ensure_ascii=False))
            continue
        print(f"{rid} ({record.get('language', '?')})")
        if not found:
            print("  (no evidence in the text: nothing suggested)")
        for field, suggestions in found.items():
            for s in suggestions:
                words = "; ".join(f"{e.words!r} [{e.field} {e.start}:{e.end}]" for e in s.evidence[:3])
                print(f"  {field:<26} {str(s.value):<30} {s.confidence:.2f}  {words}")
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from .suggest import format_table
    filters = _filters(args)
    audit = Index(_db(args)).audit(args.query, min_confidence=args.min_confidence, fields=args.field or None, **filters)
    text = audit.to_csv() if args.format == "csv" else format_table(audit)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            f.write(text if text.endswith("\n") else text + "\n")
    else:
        print(text.rstrip("\n"))
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(audit.counts().items())) or "no findings"
    print(f"{audit.records_checked} records checked: {counts}", file=sys.stderr)
    return EXIT_OK


_COMMANDS = {"serve": _cmd_serve, "index": _cmd_index, "search": _cmd_search, "export": _cmd_export, "show": _cmd_show,
             "similar": _cmd_similar, "crosstab": _cmd_crosstab, "stats": _cmd_stats, "validate": _cmd_validate,
             "suggest": _cmd_suggest, "audit": _cmd_audit}


def _sort_values_attached(argv: Sequence[str]) -> List[str]:
    """``--sort -date`` as ``--sort=-date``: argparse would read ``-date`` as an option."""
    out: List[str] = []
    for arg in argv:
        if out and out[-1] == "--sort" and arg.startswith("-"):
            out[-1] = f"--sort={arg}"
        else:
            out.append(arg)
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]); returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(_sort_values_attached(sys.argv[1:] if argv is None else list(argv)))
    except SystemExit as e:  # argparse: --help, --version (0) or a usage error (2)
        return int(e.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except _UsageError as e:
        parser.print_usage(sys.stderr)
        print(f"jurisdex: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (JurisdexError, FileNotFoundError, ValueError, TypeError) as e:
        print(f"jurisdex: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("jurisdex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `jurisdex search ... | head`
        sys.stderr.close()
        return EXIT_OK


def main_entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
