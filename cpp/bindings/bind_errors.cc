// Each C++ error becomes its own Python class from jurisdex.errors (most-derived caught first);
// Xapian's errors, which do not derive from std::exception, become JurisdexError.
#include <xapian.h>

#include "bindings.h"
#include "jurisdex/error.h"

namespace py = pybind11;

namespace {

py::object error_class(const char* name) { return py::module_::import("jurisdex.errors").attr(name); }

void raise(const char* name, const std::string& message, py::dict attributes = py::dict()) {
  py::object error = error_class(name)(fs_str(message), **attributes);
  PyErr_SetObject(py::type::handle_of(error).ptr(), error.ptr());
}

}  // namespace

void bind_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const jurisdex::RecordError& e) {
      py::dict a;
      a["source"] = fs_str(e.where().source);
      a["line"] = optional_long(e.where().line, 0);
      a["index"] = optional_long(e.where().index, -1);
      a["record_id"] = optional_str(e.where().record_id);
      a["field"] = optional_str(e.field());
      a["problem"] = fs_str(e.problem());
      raise("RecordError", e.what(), a);
    } catch (const jurisdex::QueryError& e) {
      raise("QueryError", e.what());
    } catch (const jurisdex::IndexLockedError& e) {
      py::dict a;
      a["path"] = fs_str(e.path());
      raise("IndexLockedError", e.what(), a);
    } catch (const jurisdex::IndexNotFoundError& e) {
      py::dict a;
      a["path"] = fs_str(e.path());
      raise("IndexNotFoundError", e.what(), a);
    } catch (const jurisdex::Error& e) {
      raise("JurisdexError", e.what());
    } catch (const Xapian::Error& e) {
      raise("JurisdexError", "index error: " + e.get_description());
    }
  });
}
