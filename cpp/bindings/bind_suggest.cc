// Suggester: a record's codable fields suggested from its words, with their evidence.
#include <pybind11/stl.h>

#include "bindings.h"
#include "jurisdex/suggest.h"

namespace py = pybind11;
using namespace jurisdex;

void bind_suggest(py::module_& m) {
  py::class_<Evidence>(m, "Evidence")
      .def_readonly("field", &Evidence::field)
      .def_readonly("start", &Evidence::start)
      .def_readonly("end", &Evidence::end)
      .def_readonly("words", &Evidence::words);
  py::class_<Suggestion>(m, "Suggestion")
      .def_readonly("field", &Suggestion::field)
      .def_readonly("value", &Suggestion::value)
      .def_readonly("number", &Suggestion::number)
      .def_readonly("confidence", &Suggestion::confidence)
      .def_readonly("evidence", &Suggestion::evidence);
  py::class_<Suggester>(m, "Suggester")
      .def(py::init<const Vocabulary&, unsigned>(), py::arg("vocabulary"), py::arg("large_group") = kDefaultLargeGroup)
      .def("suggest_record", &Suggester::suggest_record, py::arg("json"), py::arg("lang") = "",
           py::call_guard<py::gil_scoped_release>())
      .def("suggest_text", &Suggester::suggest_text, py::arg("text"), py::arg("lang") = "",
           py::call_guard<py::gil_scoped_release>())
      .def("guess_language", &Suggester::guess_language, py::arg("text"), py::call_guard<py::gil_scoped_release>());
  m.def("suggestible_fields", &suggestible_fields);
  m.attr("DEFAULT_LARGE_GROUP") = kDefaultLargeGroup;
}
