// Registration functions of the _core module, one per concept.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

/// Text that may hold a file name, decoded as Python's os.fsdecode does: bytes that are not UTF-8
/// become lone surrogates ("surrogateescape"), so a path in a message or report round-trips to the
/// same bytes, and a message never fails to reach Python.
inline pybind11::str fs_str(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  if (o == nullptr) throw pybind11::error_already_set();
  return pybind11::reinterpret_steal<pybind11::str>(o);
}

/// None for a missing location part, else the value (shared by errors and reports).
inline pybind11::object optional_long(long value, long missing) {
  return value == missing ? pybind11::object(pybind11::none()) : pybind11::object(pybind11::int_(value));
}
inline pybind11::object optional_str(const std::string& value) {
  return value.empty() ? pybind11::object(pybind11::none()) : pybind11::object(fs_str(value));
}

void bind_errors(pybind11::module_& m);
void bind_index(pybind11::module_& m);
void bind_suggest(pybind11::module_& m);
