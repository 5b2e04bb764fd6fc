// Indexer, Searcher, validation and text analysis. Records cross the boundary as JSON text
// (the Python layer turns it into dicts), and long calls release the GIL.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "jurisdex/jurisdex.h"

namespace py = pybind11;
using namespace jurisdex;

namespace {

py::tuple rejection_tuple(const Rejection& r) {
  return py::make_tuple(fs_str(r.where.source), optional_long(r.where.line, 0), optional_long(r.where.index, -1),
                        optional_str(r.where.record_id), optional_str(r.field), fs_str(r.problem), fs_str(r.message));
}

py::dict report_dict(const IngestReport& report) {
  py::dict d;
  d["added"] = report.added;
  d["replaced"] = report.replaced;
  py::list rejected;
  for (const auto& r : report.rejected) rejected.append(rejection_tuple(r));
  d["rejected"] = rejected;
  py::list warnings;
  for (const auto& w : report.warnings) warnings.append(rejection_tuple(w));
  d["warnings"] = warnings;
  d["bytes"] = report.bytes;
  return d;
}

// Calls the Python progress function (if any) with the GIL held, and lets Ctrl-C interrupt.
IngestOptions ingest_options(bool strict, size_t batch_size, py::object progress, size_t jobs = 1) {
  IngestOptions options;
  options.jobs = jobs == 0 ? 1 : jobs;
  options.strict = strict;
  options.batch_size = batch_size == 0 ? 1 : batch_size;
  options.progress = [progress](const Progress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (!progress.is_none()) progress(p.bytes_done, p.bytes_total, p.records);
  };
  return options;
}

py::dict results_dict(const SearchResults& r) {
  py::dict d;
  d["total"] = r.total;
  d["total_exact"] = r.total_exact;
  py::list hits;
  for (const auto& h : r.hits)
    hits.append(py::make_tuple(h.id, h.score, h.rank, h.title, h.country, h.date, h.snippet));
  d["hits"] = hits;
  py::list facets;
  for (const auto& [name, counts] : r.facets) facets.append(py::make_tuple(name, counts));
  d["facets"] = facets;
  d["query"] = r.query_description;
  d["concepts"] = r.concepts;
  d["suggestion"] = r.suggestion;
  return d;
}

SearchRequest match_request(const std::string& query, const std::map<std::string, std::vector<std::string>>& filters,
                            const std::map<std::string, std::pair<std::string, std::string>>& ranges,
                            const std::string& lang, const std::string& default_op, const std::string& sort,
                            bool expand = true) {
  SearchRequest request;
  request.expand = expand;
  request.query = query;
  request.filters = filters;
  request.ranges = ranges;
  request.lang = lang;
  request.default_op = default_op;
  request.sort = sort;
  return request;
}

}  // namespace

void bind_index(py::module_& m) {
  py::class_<Vocabulary>(m, "Vocabulary")
      .def_static("from_json", &Vocabulary::from_json, py::arg("text"))
      .def_static("from_file", &Vocabulary::from_file, py::arg("path"))
      .def("fields", &Vocabulary::fields)
      .def("codes", &Vocabulary::codes, py::arg("field"))
      .def("has", &Vocabulary::has, py::arg("field"), py::arg("code"))
      .def("nearest", &Vocabulary::nearest, py::arg("field"), py::arg("code"))
      .def("label", &Vocabulary::label, py::arg("field"), py::arg("code"), py::arg("lang") = "en")
      .def("synonyms", &Vocabulary::synonyms, py::arg("field"), py::arg("code"));

  // Both classes are declared before any method, so signatures name them (Indexer.searcher).
  py::class_<Searcher> searcher(m, "Searcher");
  py::class_<Indexer>(m, "Indexer")
      .def(py::init<const std::string&, const Vocabulary&, bool>(), py::arg("path"), py::arg("vocabulary"),
           py::arg("create"), py::call_guard<py::gil_scoped_release>())
      .def("add_json", [](Indexer& self, const std::string& text, const std::string& source) {
             IngestReport r;
             {
               py::gil_scoped_release release;
               r = self.add_json(text, source);
             }
             return report_dict(r);
           }, py::arg("text"), py::arg("source") = "<input>")
      .def("add_files", [](Indexer& self, const std::vector<std::string>& paths, bool strict, size_t batch_size,
                           py::object progress, size_t jobs) {
             IngestOptions options = ingest_options(strict, batch_size, progress, jobs);
             IngestReport r;
             {
               py::gil_scoped_release release;
               r = self.add_files(paths, options);
             }
             return report_dict(r);
           }, py::arg("paths"), py::arg("strict") = false, py::arg("batch_size") = 10000, py::arg("progress") = py::none(),
           py::arg("jobs") = 1)
      .def("remove", &Indexer::remove, py::arg("id"), py::call_guard<py::gil_scoped_release>())
      .def("commit", &Indexer::commit, py::call_guard<py::gil_scoped_release>())
      .def("size", &Indexer::size)
      .def("searcher", &Indexer::searcher);

  searcher
      .def(py::init<const std::string&>(), py::arg("path"), py::call_guard<py::gil_scoped_release>())
      .def_static("open_shards", &Searcher::open_shards, py::arg("shards"), py::call_guard<py::gil_scoped_release>())
      .def("search", [](const Searcher& self, const std::string& query,
                        const std::map<std::string, std::vector<std::string>>& filters,
                        const std::map<std::string, std::pair<std::string, std::string>>& ranges,
                        const std::vector<std::string>& facets, const std::string& sort, size_t limit, size_t offset,
                        const std::string& lang, const std::string& default_op, bool exact_total,
                        const std::string& mark_start, const std::string& mark_end, bool html, size_t snippet_bytes,
                        bool snippets, bool expand) {
             SearchRequest request = match_request(query, filters, ranges, lang, default_op, sort);
             request.facets = facets;
             request.limit = limit;
             request.offset = offset;
             request.exact_total = exact_total;
             request.mark_start = mark_start;
             request.mark_end = mark_end;
             request.html = html;
             request.snippet_bytes = snippet_bytes;
             request.snippets = snippets;
             request.expand = expand;
             SearchResults r;
             {
               py::gil_scoped_release release;
               r = self.search(request);
             }
             return results_dict(r);
           },
           py::arg("query"), py::arg("filters"), py::arg("ranges"), py::arg("facets"), py::arg("sort"),
           py::arg("limit"), py::arg("offset"), py::arg("lang"), py::arg("default_op"), py::arg("exact_total"),
           py::arg("mark_start"), py::arg("mark_end"), py::arg("html"), py::arg("snippet_bytes"),
           py::arg("snippets"), py::arg("expand"))
      .def("similar", [](const Searcher& self, const std::string& id, size_t limit,
                         const std::map<std::string, std::vector<std::string>>& filters, bool expand) {
             SearchResults r;
             {
               py::gil_scoped_release release;
               r = self.similar(id, limit, filters, expand);
             }
             return results_dict(r);
           }, py::arg("id"), py::arg("limit"), py::arg("filters"), py::arg("expand"))
      .def("columns", [](const Searcher& self, const std::string& query,
                         const std::map<std::string, std::vector<std::string>>& filters,
                         const std::map<std::string, std::pair<std::string, std::string>>& ranges,
                         const std::string& lang, const std::string& default_op, const std::string& sort,
                         bool with_text, bool expand) {
             Columns c;
             {
               py::gil_scoped_release release;
               c = self.columns(match_request(query, filters, ranges, lang, default_op, sort, expand), with_text);
             }
             py::dict out;
             out["ids"] = c.ids;
             out["scores"] = c.scores;
             py::dict columns;
             for (size_t i = 0; i < c.names.size(); ++i) columns[py::str(c.names[i])] = py::cast(c.cells[i]);
             out["columns"] = columns;
             return out;
           },
           py::arg("query"), py::arg("filters"), py::arg("ranges"), py::arg("lang"), py::arg("default_op"),
           py::arg("sort"), py::arg("with_text"), py::arg("expand") = true)
      .def("crosstab", [](const Searcher& self, const std::string& query,
                          const std::map<std::string, std::vector<std::string>>& filters,
                          const std::map<std::string, std::pair<std::string, std::string>>& ranges,
                          const std::string& lang, const std::string& default_op, const std::string& rows,
                          const std::string& cols, bool expand) {
             Crosstab t;
             {
               py::gil_scoped_release release;
               t = self.crosstab(match_request(query, filters, ranges, lang, default_op, "relevance", expand), rows, cols);
             }
             py::dict out;
             py::list cells;
             for (const auto& [key, n] : t.cells) cells.append(py::make_tuple(key.first, key.second, n));
             out["cells"] = cells;
             out["row_totals"] = t.row_totals;
             out["col_totals"] = t.col_totals;
             out["total"] = t.total;
             return out;
           },
           py::arg("query"), py::arg("filters"), py::arg("ranges"), py::arg("lang"), py::arg("default_op"),
           py::arg("rows"), py::arg("cols"), py::arg("expand") = true)
      .def("cited_by", [](const Searcher& self, const std::string& cite, size_t limit) {
             SearchResults r;
             {
               py::gil_scoped_release release;
               r = self.cited_by(cite, limit);
             }
             return results_dict(r);
           }, py::arg("cite"), py::arg("limit"))
      .def("get", &Searcher::get, py::arg("id"), py::call_guard<py::gil_scoped_release>())
      .def("facet_counts", &Searcher::facet_counts, py::arg("facet"), py::call_guard<py::gil_scoped_release>())
      .def("size", &Searcher::size)
      .def("languages", &Searcher::languages)
      .def("vocabulary", &Searcher::vocabulary)
      .def("reopen", &Searcher::reopen);

  m.def("validate_files", [](const std::vector<std::string>& paths, const Vocabulary& vocabulary, py::object progress,
                             bool strict) {
    IngestOptions options = ingest_options(strict, 1, progress);
    IngestReport r;
    {
      py::gil_scoped_release release;
      r = validate_files(paths, vocabulary, options);
    }
    return report_dict(r);
  }, py::arg("paths"), py::arg("vocabulary"), py::arg("progress") = py::none(), py::arg("strict") = false);

  m.def("record_fields", &record_fields, "The top-level fields of a record (docs/records.md).");
  m.def("facet_fields", [] {
    py::list out;
    for (const auto& f : facet_fields()) out.append(py::make_tuple(f.name, f.vocabulary, f.multi, f.derived));
    return out;
  });
  m.def("fold", [](const std::string& text) { return Analyzer().fold(text); }, py::arg("text"),
        "Folds text as the index does: words broken by ICU, NFKC, case and accents folded, joined by spaces.");
  m.def("tokenize", [](const std::string& text) {
    py::list out;
    for (const auto& t : Analyzer().tokenize(text)) out.append(py::make_tuple(t.term, t.start, t.end));
    return out;
  }, py::arg("text"));
  m.def("stem", [](const std::string& word, const std::string& lang) { return Analyzer().stem(word, lang); },
        py::arg("word"), py::arg("lang"));
  m.def("has_stemmer", &Analyzer::has_stemmer, py::arg("lang"));
  m.def("place_name", &place_name, py::arg("code"), py::arg("lang") = "en");
  m.def("language_name", &language_name, py::arg("code"), py::arg("lang") = "en");
  m.def("region_of", &region_of, py::arg("country"));
  m.def("is_country_code", &is_country_code, py::arg("code"));
  m.def("edit_distance", &edit_distance, py::arg("a"), py::arg("b"));
}
