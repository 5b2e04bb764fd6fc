// Registration functions of the _core module, one per concept.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

/// None for a missing location part, else the value (shared by errors and reports).
inline pybind11::object optional_long(long value, long missing) {
  return value == missing ? pybind11::object(pybind11::none()) : pybind11::object(pybind11::int_(value));
}
inline pybind11::object optional_str(const std::string& value) {
  return value.empty() ? pybind11::object(pybind11::none()) : pybind11::object(pybind11::str(value));
}

void bind_errors(pybind11::module_& m);
void bind_index(pybind11::module_& m);
